/**
 * fastText / MUSE `.vec` text embeddings: a header `count dim`, then `word v1 … vdim` per line, most
 * frequent words first (Bojanowski et al. 2017; Conneau et al. 2018).
 */
import { existsSync, readFileSync } from 'node:fs';
import { XmrError } from '../../errors.js';

export interface Embeddings {
  words: string[];
  dim: number;
  /** words.length × dim, row-major. */
  vectors: Float32Array;
}

/** Reads the first `maxWords` vectors (all when omitted); a repeated word keeps its first vector. */
export function readVec(file: string, maxWords = Infinity): Embeddings {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such file', { file });
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = /^(\d+) (\d+)\s*$/.exec(lines[0] ?? '');
  if (header === null) throw new XmrError('E_PARSE', 'expected a "count dim" header', { file, line: 1 });
  const dim = Number(header[2]);
  if (dim < 1) throw new XmrError('E_PARSE', `dim must be positive, got ${dim}`, { file, line: 1 });
  const cap = Math.min(maxWords, Number(header[1]), lines.length - 1);
  const words: string[] = [];
  const vectors = new Float32Array(cap * dim);
  const seen = new Set<string>();
  for (let i = 1; i < lines.length && words.length < cap; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '') continue;
    const f = line.split(' ');
    if (f.length !== dim + 1) throw new XmrError('E_PARSE', `expected a word and ${dim} numbers, got ${f.length} fields`, { file, line: i + 1 });
    const w = f[0]!;
    if (seen.has(w)) continue;
    seen.add(w);
    const row = words.length * dim;
    for (let j = 0; j < dim; j++) {
      const x = Number(f[j + 1]);
      if (!Number.isFinite(x)) throw new XmrError('E_PARSE', `not a number: ${JSON.stringify(f[j + 1])}`, { file, line: i + 1 });
      vectors[row + j] = x;
    }
    words.push(w);
  }
  if (words.length === 0) throw new XmrError('E_EMPTY', 'no vectors', { file });
  return { words, dim, vectors: vectors.subarray(0, words.length * dim) };
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
