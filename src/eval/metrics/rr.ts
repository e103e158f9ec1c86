/**
 * Reciprocal rank — ir_measures `RR` / `RR@k` (`RR(rel=ℓ)@k`), trec_eval `recip_rank`
 * (`RR@k` is trec_eval's `recip_rank` under `-M k`).
 *
 *   RR@k = 1 / min{ i ≤ k : rel_i ≥ ℓ },   0 when no relevant document is in the top k
 *
 * No cutoff unless one is written (trec_eval m_recip_rank.c). Averaged over queries it is MRR.
 */
import { cutoffArg, levelArg, toLabels } from './labels.js';

export function rrKernel(labels: Int32Array, n: number, k: number, level: number): number {
  const m = n < k ? n : k;
  for (let i = 0; i < m; i++) if (labels[i]! >= level) return 1 / (i + 1);
  return 0;
}

/** RR (or RR@k) of one ranking given its relevance labels in rank order (null = not in the qrels). */
export function reciprocalRank(ranking: ArrayLike<number | null>, options: { k?: number; rel?: number } = {}): number {
  const labels = toLabels(ranking);
  return rrKernel(labels, labels.length, cutoffArg(options.k), levelArg(options.rel));
}
