/**
 * fastText / MUSE `.vec` text embeddings: a header `count dim`, then `word v1 … vdim` per line, most
 * frequent words first (Bojanowski et al. 2017; Conneau et al. 2018).
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../atomic-write.js';
import { XmrError } from '../../errors.js';
import { decimalText } from '../trec/numbers.js';

export interface Embeddings {
  words: string[];
  dim: number;
  /** words.length × dim, row-major. */
  vectors: Float32Array;
}

/** Reads the first `maxWords` vectors (all when omitted); a repeated word keeps its first vector. */
export function readVec(file: string, maxWords = Infinity): Embeddings {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such file', { file });
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const header = /^(\d+) (\d+)\s*$/.exec(lines[0] ?? '');
  if (header === null) throw new XmrError('E_PARSE', 'expected a "count dim" header', { file, line: 1 });
  const dim = Number(header[2]);
  if (dim < 1) throw new XmrError('E_PARSE', `dim must be positive, got ${dim}`, { file, line: 1 });
  // A row holds dim numbers of at least two characters each (" 0"): the header cannot make the
  // reader allocate more than the file could hold (a damaged dim of 2^31 would ask for gigabytes).
  const fits = Math.floor(text.length / (2 * dim));
  if (fits === 0) throw new XmrError('E_PARSE', `dim ${header[2]} is more numbers than the file holds`, { file, line: 1 });
  const cap = Math.min(maxWords, Number(header[1]), lines.length - 1, fits);
  const words: string[] = [];
  const vectors = new Float32Array(cap * dim);
  const seen = new Set<string>();
  let rows = 0;
  let i = 1;
  for (; i < lines.length && words.length < cap; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '') continue;
    rows++;
    const f = line.split(' ');
    if (f.length !== dim + 1) throw new XmrError('E_PARSE', `expected a word and ${dim} numbers, got ${f.length} fields`, { file, line: i + 1 });
    const w = f[0]!;
    if (seen.has(w)) continue;
    seen.add(w);
    const row = words.length * dim;
    for (let j = 0; j < dim; j++) {
      // A decimal literal whose float32 is finite, as fastText and MUSE write them (printf's %g/%f):
      // Number() alone also takes 0x10 or "" and 1e39, which a Float32Array stores as Infinity.
      const x = Math.fround(decimalText(f[j + 1]!));
      if (!Number.isFinite(x)) throw new XmrError('E_PARSE', `not a number: ${JSON.stringify(f[j + 1])}`, { file, line: i + 1 });
      vectors[row + j] = x;
    }
    words.push(w);
  }
  if (words.length === 0) throw new XmrError('E_EMPTY', 'no vectors', { file });
  const wanted = Math.min(maxWords, Number(header[1]));
  if (words.length < wanted && rows < wanted) throw new XmrError('E_PARSE', `the header announces ${header[1]} vectors, the file ends after ${rows}`, { file, line: i });
  return { words, dim, vectors: vectors.subarray(0, words.length * dim) };
}

/**
 * The shortest decimal (6 to 9 significant digits) that reads back as the same float32: 9 digits always
 * suffice for binary32 (IEEE 754-2008 §5.12.2: ⌈1 + 24·log10 2⌉ = 9), and Number() then Math.fround,
 * which is what {@link readVec} does (a Float32Array store rounds to nearest), recovers the value exactly.
 */
function float32Text(x: number): string {
  if (Object.is(x, -0)) return '-0';
  for (let p = 6; ; p++) {
    const s = x.toPrecision(p);
    if (p === 9 || Math.fround(Number(s)) === x) return s.includes('e') ? s.replace(/\.?0+e/, 'e') : s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  }
}

/**
 * Writes embeddings as a `.vec` file (header `count dim`, then `word v1 … vdim` per line, rows in the
 * given order), atomically. Every float is written so that {@link readVec} reads back the same float32
 * bits (see float32Text). Words must be non-empty and free of white space (the format splits on spaces).
 */
export function writeVec(file: string, e: Embeddings): void {
  if (!Number.isInteger(e.dim) || e.dim < 1) throw new RangeError(`dim must be an integer ≥ 1, got ${e.dim}`);
  if (e.vectors.length !== e.words.length * e.dim)
    throw new RangeError(`vectors.length (${e.vectors.length}) must be words.length × dim (${e.words.length} × ${e.dim})`);
  const chunks: Buffer[] = [Buffer.from(`${e.words.length} ${e.dim}\n`)];
  let lines: string[] = [];
  for (let r = 0; r < e.words.length; r++) {
    const w = e.words[r]!;
    if (w === '' || /\s/u.test(w)) throw new RangeError(`words[${r}] must be non-empty and without white space, got ${JSON.stringify(w)}`);
    const f = new Array<string>(e.dim + 1);
    f[0] = w;
    for (let j = 0; j < e.dim; j++) {
      const x = e.vectors[r * e.dim + j]!;
      if (!Number.isFinite(x)) throw new RangeError(`the vector of words[${r}] (${JSON.stringify(w)}) has a non-finite value: ${x}`);
      f[j + 1] = float32Text(x);
    }
    lines.push(f.join(' '));
    if (lines.length === 4096) {
      chunks.push(Buffer.from(lines.join('\n') + '\n'));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(lines.join('\n') + '\n'));
  writeFileAtomic(file, Buffer.concat(chunks));
}

/** Scales every row to unit length in place (zero rows stay zero). */
export function normalizeRows(v: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < v.length; r += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[r + j]! * v[r + j]!;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) v[r + j]! *= inv;
  }
  return v;
}
