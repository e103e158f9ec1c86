/**
 * Normalised discounted cumulative gain — ir_measures `nDCG` / `nDCG@k`, trec_eval `ndcg` /
 * `ndcg_cut_k` (Järvelin & Kekäläinen 2002, with trec_eval's gains and discount):
 *
 *   DCG@k  = Σ_{i ≤ k} gain(rel_i) / log2(i + 1),   gain(r) = r for r > 0, else 0
 *   nDCG@k = DCG@k / IDCG@k,   0 when IDCG@k = 0
 *
 * IDCG@k is the DCG@k of every judged document sorted by relevance descending — relevant documents
 * that were not retrieved count. Gains are the relevance levels themselves (trec_eval's default gain
 * table), not 2^rel − 1 (Burges et al.'s variant, which ranx calls `ndcg_burges`). trec_eval ignores
 * the relevance level `-l` for nDCG, so there is no `nDCG(rel=ℓ)`: a level-1 document still gains 1.
 * Without a cutoff, k = every retrieved document (numerator) and every judged document (ideal).
 * `DCG` and `IDCG` (trec_eval `dcg`, `ideal_dcg`) are those two without a cutoff.
 */
import { cutoffArg, toJudged, toLabels } from './labels.js';

/**
 * @param labels relevance of the ranked documents (see labels.ts), n of them retrieved
 * @param ideal  the query's positive relevance levels sorted descending, nIdeal of them
 */
export function ndcgKernel(labels: Int32Array, n: number, k: number, ideal: Int32Array, nIdeal: number): number {
  const idcg = idcgKernel(ideal, nIdeal < k ? nIdeal : k);
  return idcg === 0 ? 0 : dcgKernel(labels, n < k ? n : k) / idcg;
}

/** DCG of the first n documents (trec_eval `dcg` with n = all retrieved), nDCG's numerator. */
export function dcgKernel(labels: Int32Array, n: number): number {
  let dcg = 0;
  for (let i = 0; i < n; i++) {
    const g = labels[i]!;
    if (g > 0) dcg += g / Math.log2(i + 2);
  }
  return dcg;
}

/** IDCG of the first nIdeal ideal gains (trec_eval `ideal_dcg` with every judged document), nDCG's denominator. */
export function idcgKernel(ideal: Int32Array, nIdeal: number): number {
  let idcg = 0;
  for (let i = 0; i < nIdeal; i++) idcg += ideal[i]! / Math.log2(i + 2);
  return idcg;
}

/** Writes the positive levels of `judged` into `out`, sorted descending; returns how many. */
export function idealGains(judged: Int32Array, out: Int32Array): number {
  let m = 0;
  for (let i = 0; i < judged.length; i++) if (judged[i]! > 0) out[m++] = judged[i]!;
  out.subarray(0, m).sort().reverse();
  return m;
}

/** nDCG (or nDCG@k) of one ranking (labels in rank order, null = unjudged) against the query's judged levels. */
export function ndcg(ranking: ArrayLike<number | null>, judged: ArrayLike<number>, options: { k?: number } = {}): number {
  const labels = toLabels(ranking);
  const j = toJudged(judged);
  const ideal = new Int32Array(j.length);
  return ndcgKernel(labels, labels.length, cutoffArg(options.k), ideal, idealGains(j, ideal));
}
