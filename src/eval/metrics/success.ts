/**
 * Success at k — ir_measures `Success@k` (`Success(rel=ℓ)@k`), trec_eval `success_k`.
 *
 *   Success@k = 1 if some i ≤ k has rel_i ≥ ℓ, else 0
 *
 * (trec_eval m_success.c; the "hit rate" / "top-k accuracy" of retrieval papers.)
 */
import { cutoffArg, levelArg, toLabels } from './labels.js';
import { positiveInteger } from '../../args.js';

export function successKernel(labels: Int32Array, n: number, k: number, level: number): number {
  const m = n < k ? n : k;
  for (let i = 0; i < m; i++) if (labels[i]! >= level) return 1;
  return 0;
}

/** Success@k of one ranking given its relevance labels in rank order (null = not in the qrels). */
export function success(ranking: ArrayLike<number | null>, k: number, options: { rel?: number } = {}): number {
  const labels = toLabels(ranking);
  positiveInteger(k, 'k');
  return successKernel(labels, labels.length, cutoffArg(k), levelArg(options.rel));
}
