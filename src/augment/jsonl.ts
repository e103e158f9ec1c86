/**
 * Streaming JSON Lines for the augmentation commands: records are read in batches (so a batch can go to
 * worker threads) and written in input order with back-pressure. `-` means stdin/stdout.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { XmrError } from '../errors.js';

export type JsonRecord = Record<string, unknown>;

/** Yields batches of parsed records with the 0-based index of the batch's first record. */
export async function* readJsonlBatches(path: string, batchSize: number): AsyncGenerator<{ start: number; records: JsonRecord[] }> {
  if (path !== '-' && !existsSync(path)) throw new XmrError('E_MISSING', 'no such file', { file: path });
  const input = path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  const file = path === '-' ? '<stdin>' : path;
  const rl = createInterface({ input, crlfDelay: Infinity });
  let batch: JsonRecord[] = [];
  let start = 0;
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      throw new XmrError('E_PARSE', `invalid JSON: ${(e as Error).message}`, { file, line: lineNo });
    }
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new XmrError('E_PARSE', 'expected a JSON object', { file, line: lineNo });
    batch.push(rec as JsonRecord);
    if (batch.length >= batchSize) {
      yield { start, records: batch };
      start += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) yield { start, records: batch };
}

/** Reads a string field of every record, with an error naming the record when it is not a string. */
export function stringField(records: readonly JsonRecord[], field: string, start: number, file: string): string[] {
  return records.map((r, i) => {
    const v = r[field];
    if (typeof v !== 'string') throw new XmrError('E_PARSE', `record ${start + i + 1} has no string field ${JSON.stringify(field)}`, { file });
    return v;
  });
}

export interface JsonlWriter {
  write(records: readonly JsonRecord[]): Promise<void>;
  close(): Promise<void>;
}

export function openJsonlWriter(path: string): JsonlWriter {
  const out: Writable = path === '-' ? process.stdout : createWriteStream(path);
  return {
    async write(records) {
      if (records.length === 0) return;
      if (!out.write(records.map((r) => JSON.stringify(r)).join('\n') + '\n')) await once(out, 'drain');
    },
    async close() {
      if (path === '-') return;
      out.end();
      await once(out, 'finish');
    },
  };
}

/** Reads a `{_id, text}` JSONL file into id → text, rejecting duplicate ids. */
export async function readTextsById(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const { start, records } of readJsonlBatches(file, 10000)) {
    const ids = stringField(records, '_id', start, file);
    const texts = stringField(records, 'text', start, file);
    ids.forEach((id, i) => {
      if (out.has(id)) throw new XmrError('E_DUPLICATE', `duplicate id ${JSON.stringify(id)} in record ${start + i + 1}`, { file });
      out.set(id, texts[i]!);
    });
  }
  return out;
}
