/**
 * Reader for dictd databases (dictd(8), dictfmt(1)): a `.index` of tab-separated
 * `headword  offset  length` lines, where offset and length are numbers written in dictd's base64
 * digits `A–Z a–z 0–9 + /` (most significant first), and a `.dict.dz` (dictzip, i.e. gzip with a
 * random-access table in the header's extra field — plain gunzip reads it whole).
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { XmrError } from '../../errors.js';

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...DIGITS].map((c, i) => [c, i]));

/** Decodes one dictd base64 number; returns -1 for an empty string or a character outside the alphabet. */
export function decodeDictdNumber(s: string): number {
  if (s === '') return -1;
  let v = 0;
  for (const c of s) {
    const d = VALUE.get(c);
    if (d === undefined) return -1;
    v = v * 64 + d;
  }
  return v;
}

export interface DictdEntry {
  /** Headword as the index has it (dictd folds case for lookup). */
  headword: string;
  offset: number;
  length: number;
  /** 1-based line in the .index file. */
  line: number;
}

export interface Dictd {
  name: string;
  entries: DictdEntry[];
  /** The text of one entry. */
  body(e: DictdEntry): string;
}

function readOrThrow(file: string): Buffer {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such file', { file });
  return readFileSync(file);
}

/**
 * Reads `<base>.index` and `<base>.dict.dz` (or an uncompressed `<base>.dict`). Entries whose headword
 * starts with `00database` (dictfmt's metadata) or is empty are left out.
 */
export function readDictd(base: string): Dictd {
  const indexFile = `${base}.index`;
  const index = readOrThrow(indexFile).toString('utf8');
  let dict: Buffer;
  if (existsSync(`${base}.dict.dz`) || !existsSync(`${base}.dict`)) {
    const dzFile = `${base}.dict.dz`;
    const raw = readOrThrow(dzFile);
    try {
      dict = gunzipSync(raw);
    } catch (e) {
      throw new XmrError('E_PARSE', `not a valid dictzip (gzip) file: ${(e as Error).message}`, { file: dzFile });
    }
  } else {
    dict = readFileSync(`${base}.dict`);
  }
  const entries: DictdEntry[] = [];
  const lines = index.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text === '') continue;
    const f = text.split('\t');
    if (f.length !== 3) throw new XmrError('E_PARSE', `expected 3 tab-separated fields, got ${f.length}`, { file: indexFile, line: i + 1 });
    const offset = decodeDictdNumber(f[1]!);
    const length = decodeDictdNumber(f[2]!);
    if (offset < 0 || length < 0) throw new XmrError('E_PARSE', `offset and length must be dictd base64 numbers, got ${JSON.stringify(f[1])} ${JSON.stringify(f[2])}`, { file: indexFile, line: i + 1 });
    if (offset + length > dict.length) throw new XmrError('E_PARSE', `entry ends at byte ${offset + length}, past the end of the dictionary (${dict.length} bytes)`, { file: indexFile, line: i + 1 });
    const headword = f[0]!;
    if (headword === '' || headword.startsWith('00database')) continue;
    entries.push({ headword, offset, length, line: i + 1 });
  }
  if (entries.length === 0) throw new XmrError('E_EMPTY', 'no entries', { file: indexFile });
  const name = base.replace(/^.*\//, '');
  return { name, entries, body: (e) => dict.subarray(e.offset, e.offset + e.length).toString('utf8') };
}
