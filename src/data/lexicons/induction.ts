/**
 * Word translation from cross-lingual word embeddings (the paper's CLWE-CS lexicons; Litschko et al.
 * 2023 used MUSE's aligned fastText vectors).
 *  - Alignment, when the two spaces are not already one: orthogonal Procrustes on a seed lexicon
 *    (Schönemann 1966; Xing et al. 2015; Conneau et al. 2018): W = argmin_{WᵀW=I} ‖XW − Y‖_F = U·Vᵀ
 *    where U·Σ·Vᵀ = SVD(XᵀY), X and Y holding the unit-length vectors of the seed pairs as rows.
 *  - Translation: nearest neighbour by cosine, or CSLS (Conneau et al. 2018, §2.3):
 *      CSLS(Wx, y) = 2·cos(Wx, y) − r_T(Wx) − r_S(y),
 *    r_S(y) = mean cosine of y to its K nearest mapped source vectors, r_T likewise for Wx among targets.
 *    r_T(Wx) is the same for every candidate y, so argmax_y needs only 2·cos − r_S(y); that is one exact
 *    inner-product search with the native topK over vectors extended by one coordinate:
 *    [2·Wx, 1]·[y, −r_S(y)].
 *  - Evaluation: precision@1 against a gold lexicon (a hit when the prediction is any gold translation),
 *    over the gold source words present in the source vocabulary (MUSE's convention).
 */
import { topKSync } from '../../search/topk.js';
import { XmrError } from '../../errors.js';
import type { Lexicon } from './muse.js';
import { jacobiSvd } from './svd.js';
import { normalizeRows } from './vec.js';
import type { Embeddings } from './vec.js';
import { positiveInteger } from '../../args.js';

/** Unit-length copy of an embedding set, with a word → row index. */
export interface Space {
  words: string[];
  dim: number;
  vectors: Float32Array;
  index: Map<string, number>;
}

export function toSpace(e: Embeddings): Space {
  return { words: e.words, dim: e.dim, vectors: normalizeRows(Float32Array.from(e.vectors), e.dim), index: new Map(e.words.map((w, i) => [w, i])) };
}

/** The orthogonal map W (dim×dim, row-major, float64) with x·W ≈ y over the seed pairs found in both spaces. */
export function procrustes(src: Space, tgt: Space, seed: readonly (readonly [string, string])[]): { w: Float64Array; pairs: number } {
  if (src.dim !== tgt.dim) throw new RangeError(`source dim (${src.dim}) differs from target dim (${tgt.dim})`);
  const d = src.dim;
  const m = new Float64Array(d * d);
  let pairs = 0;
  for (const [s, t] of seed) {
    const i = src.index.get(s);
    const j = tgt.index.get(t);
    if (i === undefined || j === undefined) continue;
    pairs++;
    for (let a = 0; a < d; a++) {
      const xa = src.vectors[i * d + a]!;
      for (let b = 0; b < d; b++) m[a * d + b]! += xa * tgt.vectors[j * d + b]!;
    }
  }
  if (pairs === 0) throw new XmrError('E_EMPTY', 'no seed pair has both words in the embeddings');
  const { u, s, v } = jacobiSvd(m, d);
  const top = Math.max(...s);
  const rank = s.filter((x) => x > top * 1e-9).length;
  if (rank < d) throw new RangeError(`the ${pairs} seed pairs span only ${rank} of ${d} dimensions; give at least ${d} independent pairs`);
  const w = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let x = 0;
    for (let k = 0; k < d; k++) x += u[a * d + k]! * v[b * d + k]!;
    w[a * d + b] = x;
  }
  return { w, pairs };
}

/** Maps every source vector: returns a new Space whose rows are x·W (still unit length, W being orthogonal). */
export function mapSpace(src: Space, w: Float64Array): Space {
  const d = src.dim;
  if (w.length !== d * d) throw new RangeError(`w.length (${w.length}) must be dim*dim (${d * d})`);
  const out = new Float32Array(src.vectors.length);
  for (let r = 0; r < src.words.length; r++) {
    for (let b = 0; b < d; b++) {
      let x = 0;
      for (let a = 0; a < d; a++) x += src.vectors[r * d + a]! * w[a * d + b]!;
      out[r * d + b] = x;
    }
  }
  return { ...src, vectors: out };
}

export interface TranslateOptions {
  method: 'nn' | 'csls';
  /** Neighbourhood size K for CSLS; default 10. */
  knn?: number;
  threads?: number;
}

/** Best target row for each of the given source rows (src already mapped into the target space). */
export function nearestTargets(src: Space, tgt: Space, rows: readonly number[], opts: TranslateOptions): Int32Array {
  if (src.dim !== tgt.dim) throw new RangeError(`source dim (${src.dim}) differs from target dim (${tgt.dim})`);
  if (opts.method !== 'nn' && opts.method !== 'csls') throw new TypeError(`method must be "nn" or "csls", got ${JSON.stringify(opts.method)}`);
  const d = src.dim;
  const threads = opts.threads ?? 1;
  const q = new Float32Array(rows.length * d);
  rows.forEach((r, i) => q.set(src.vectors.subarray(r * d, (r + 1) * d), i * d));
  if (opts.method === 'nn') return topKSync(q, tgt.vectors, { dim: d, k: 1, metric: 'ip', threads }).ids;
  const knn = Math.min(positiveInteger(opts.knn ?? 10, 'knn'), src.words.length);
  const near = topKSync(tgt.vectors, src.vectors, { dim: d, k: knn, metric: 'ip', threads }).scores;
  const d1 = d + 1;
  const docs = new Float32Array(tgt.words.length * d1);
  for (let j = 0; j < tgt.words.length; j++) {
    let r = 0;
    for (let t = 0; t < knn; t++) r += near[j * knn + t]!;
    docs.set(tgt.vectors.subarray(j * d, (j + 1) * d), j * d1);
    docs[j * d1 + d] = -r / knn;
  }
  const qx = new Float32Array(rows.length * d1);
  for (let i = 0; i < rows.length; i++) {
    for (let a = 0; a < d; a++) qx[i * d1 + a] = 2 * q[i * d + a]!;
    qx[i * d1 + d] = 1;
  }
  return topKSync(qx, docs, { dim: d1, k: 1, metric: 'ip', threads }).ids;
}

/** Translates `words` (default: every source word) into a lexicon. */
export function induceLexicon(src: Space, tgt: Space, opts: TranslateOptions & { words?: readonly string[] }): Lexicon {
  const words = (opts.words ?? src.words).filter((w) => src.index.has(w));
  if (words.length === 0) throw new XmrError('E_EMPTY', 'none of the words to translate is in the source embeddings');
  const best = nearestTargets(src, tgt, words.map((w) => src.index.get(w)!), opts);
  const lex: Lexicon = new Map();
  words.forEach((w, i) => lex.set(w, tgt.words[best[i]!]!));
  return lex;
}

/** Precision@1 of a lexicon against gold translations, over gold source words the lexicon covers. */
export function precisionAt1(lex: Lexicon, gold: ReadonlyMap<string, ReadonlySet<string>>): { evaluated: number; hits: number; p1: number } {
  let evaluated = 0;
  let hits = 0;
  for (const [s, ts] of gold) {
    const t = lex.get(s);
    if (t === undefined) continue;
    evaluated++;
    if (ts.has(t)) hits++;
  }
  return { evaluated, hits, p1: evaluated === 0 ? 0 : hits / evaluated };
}
