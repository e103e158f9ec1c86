/**
 * Recall at k — ir_measures `R@k` (`R(rel=ℓ)@k`), trec_eval `recall_k` (under `-l ℓ`).
 *
 *   R@k = |{ i ≤ k : rel_i ≥ ℓ }| / |{ judged d : rel_d ≥ ℓ }|,   0 when the query has no relevant document
 *
 * (trec_eval m_recall.c).
 */
import { countRelevant, cutoffArg, levelArg, toJudged, toLabels } from './labels.js';
import { positiveInteger } from '../../args.js';

export function recallKernel(labels: Int32Array, n: number, k: number, level: number, numRel: number): number {
  if (numRel === 0) return 0;
  const m = n < k ? n : k;
  let hits = 0;
  for (let i = 0; i < m; i++) if (labels[i]! >= level) hits++;
  return hits / numRel;
}

/** R@k of one ranking (labels in rank order, null = unjudged) against all the query's judged levels. */
export function recall(ranking: ArrayLike<number | null>, judged: ArrayLike<number>, k: number, options: { rel?: number } = {}): number {
  const labels = toLabels(ranking);
  positiveInteger(k, 'k');
  const level = levelArg(options.rel);
  return recallKernel(labels, labels.length, cutoffArg(k), level, countRelevant(toJudged(judged), level));
}
