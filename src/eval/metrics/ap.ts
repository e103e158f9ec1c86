/**
 * Average precision — ir_measures `AP` / `AP@k` (`AP(rel=ℓ)`), trec_eval `map` / `map_cut_k`.
 *
 *   AP@k = ( Σ_{i ≤ k, rel_i ≥ ℓ} P@i ) / R,   R = number of judged documents with rel ≥ ℓ
 *
 * Divided by all relevant documents, retrieved or not (trec_eval m_map.c, m_map_cut.c); 0 when R = 0.
 */
import { countRelevant, cutoffArg, levelArg, toJudged, toLabels } from './labels.js';

export function apKernel(labels: Int32Array, n: number, k: number, level: number, numRel: number): number {
  if (numRel === 0) return 0;
  const m = n < k ? n : k;
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    if (labels[i]! >= level) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / numRel;
}

/** AP (or AP@k) of one ranking (labels in rank order, null = unjudged) against the query's judged levels. */
export function averagePrecision(ranking: ArrayLike<number | null>, judged: ArrayLike<number>, options: { k?: number; rel?: number } = {}): number {
  const labels = toLabels(ranking);
  const level = levelArg(options.rel);
  return apKernel(labels, labels.length, cutoffArg(options.k), level, countRelevant(toJudged(judged), level));
}
