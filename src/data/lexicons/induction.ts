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
 *  - Evaluation: precision@k against a gold lexicon (a hit when any gold translation is among the first
 *    k predictions), over the gold source words present in the source vocabulary (MUSE's convention).
 *    Because r_T(Wx) is constant per query, the top-k lists by 2·cos − r_S(y) are CSLS's top-k lists.
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
  const row = new Float64Array(d);
  // Row r of the result is Σ_a x_a·W[a, ·]: the inner loop runs along a row of W (contiguous).
  for (let r = 0; r < src.words.length; r++) {
    row.fill(0);
    for (let a = 0; a < d; a++) {
      const xa = src.vectors[r * d + a]!;
      const wa = a * d;
      for (let b = 0; b < d; b++) row[b]! += xa * w[wa + b]!;
    }
    out.set(row, r * d);
  }
  return { ...src, vectors: out };
}

export interface TranslateOptions {
  method: 'nn' | 'csls';
  /** Neighbourhood size K for CSLS; default 10. */
  knn?: number;
  threads?: number;
}

/**
 * CSLS's neighbourhood radius: r[j] = mean cosine of row j of `of` to its K nearest rows of `among`
 * (Conneau et al. 2018, §2.3: r_S(y) with of = targets, among = mapped sources; r_T(Wx) the other way).
 */
export function cslsRadius(of: Space, among: Space, knn: number, threads = 1): Float32Array {
  if (of.dim !== among.dim) throw new RangeError(`source dim (${among.dim}) differs from target dim (${of.dim})`);
  const k = Math.min(positiveInteger(knn, 'knn'), among.words.length);
  const near = topKSync(of.vectors, among.vectors, { dim: of.dim, k, metric: 'ip', threads }).scores;
  const r = new Float32Array(of.words.length);
  for (let j = 0; j < r.length; j++) {
    let sum = 0;
    for (let t = 0; t < k; t++) sum += near[j * k + t]!;
    r[j] = sum / k;
  }
  return r;
}

export interface RankOptions extends TranslateOptions {
  /** Candidates per source row; default 1, at most the number of targets. */
  k?: number;
  /** CSLS only: r_S of every target row, as {@link cslsRadius}(tgt, src, knn) returns; computed when omitted. */
  radius?: Float32Array;
}

/**
 * The k best target rows for each of the given source rows (src already mapped into the target space),
 * rows.length × k row-major, best first (ties by lower target row, as topK orders them).
 */
export function rankTargets(src: Space, tgt: Space, rows: readonly number[], opts: RankOptions): Int32Array {
  if (src.dim !== tgt.dim) throw new RangeError(`source dim (${src.dim}) differs from target dim (${tgt.dim})`);
  if (opts.method !== 'nn' && opts.method !== 'csls') throw new TypeError(`method must be "nn" or "csls", got ${JSON.stringify(opts.method)}`);
  const d = src.dim;
  const threads = opts.threads ?? 1;
  const k = Math.min(positiveInteger(opts.k ?? 1, 'k'), tgt.words.length);
  const q = new Float32Array(rows.length * d);
  rows.forEach((r, i) => q.set(src.vectors.subarray(r * d, (r + 1) * d), i * d));
  if (opts.method === 'nn') return topKSync(q, tgt.vectors, { dim: d, k, metric: 'ip', threads }).ids;
  const radius = opts.radius ?? cslsRadius(tgt, src, opts.knn ?? 10, threads);
  if (radius.length !== tgt.words.length) throw new RangeError(`radius.length (${radius.length}) must be the number of targets (${tgt.words.length})`);
  const d1 = d + 1;
  const docs = new Float32Array(tgt.words.length * d1);
  for (let j = 0; j < tgt.words.length; j++) {
    docs.set(tgt.vectors.subarray(j * d, (j + 1) * d), j * d1);
    docs[j * d1 + d] = -radius[j]!;
  }
  const qx = new Float32Array(rows.length * d1);
  for (let i = 0; i < rows.length; i++) {
    for (let a = 0; a < d; a++) qx[i * d1 + a] = 2 * q[i * d + a]!;
    qx[i * d1 + d] = 1;
  }
  return topKSync(qx, docs, { dim: d1, k, metric: 'ip', threads }).ids;
}

/** Best target row for each of the given source rows (src already mapped into the target space). */
export function nearestTargets(src: Space, tgt: Space, rows: readonly number[], opts: Omit<RankOptions, 'k'>): Int32Array {
  return rankTargets(src, tgt, rows, { ...opts, k: 1 });
}

/** Translates `words` (default: every source word) into a lexicon. */
export function induceLexicon(src: Space, tgt: Space, opts: Omit<RankOptions, 'k'> & { words?: readonly string[] }): Lexicon {
  const words = (opts.words ?? src.words).filter((w) => src.index.has(w));
  if (words.length === 0) throw new XmrError('E_EMPTY', 'none of the words to translate is in the source embeddings');
  const best = nearestTargets(src, tgt, words.map((w) => src.index.get(w)!), opts);
  const lex: Lexicon = new Map();
  words.forEach((w, i) => lex.set(w, tgt.words[best[i]!]!));
  return lex;
}

/**
 * Precision@k against gold translations (MUSE's get_word_translation_accuracy): a gold source word is a
 * hit when any of its gold translations is among its first k candidates; over the gold source words
 * that have candidates.
 */
export function precisionAtK(candidates: ReadonlyMap<string, readonly string[]>, gold: ReadonlyMap<string, ReadonlySet<string>>, k: number): { evaluated: number; hits: number; p: number } {
  positiveInteger(k, 'k');
  let evaluated = 0;
  let hits = 0;
  for (const [s, ts] of gold) {
    const c = candidates.get(s);
    if (c === undefined) continue;
    evaluated++;
    if (c.slice(0, k).some((t) => ts.has(t))) hits++;
  }
  return { evaluated, hits, p: evaluated === 0 ? 0 : hits / evaluated };
}

/** Precision@1 of a one-translation lexicon against gold translations, over gold source words the lexicon covers. */
export function precisionAt1(lex: Lexicon, gold: ReadonlyMap<string, ReadonlySet<string>>): { evaluated: number; hits: number; p1: number } {
  const { evaluated, hits, p } = precisionAtK(new Map([...lex].map(([s, t]) => [s, [t]])), gold, 1);
  return { evaluated, hits, p1: p };
}
