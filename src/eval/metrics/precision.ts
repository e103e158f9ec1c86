/**
 * Precision at k — ir_measures `P@k` (`P(rel=ℓ)@k`), trec_eval `P_k` (under `-l ℓ`).
 *
 *   P@k = |{ i ≤ k : rel_i ≥ ℓ }| / k
 *
 * Divided by k even when fewer than k documents were retrieved (trec_eval m_P.c).
 */
import { cutoffArg, levelArg, toLabels } from './labels.js';
import { positiveInteger } from '../../args.js';

export function precisionKernel(labels: Int32Array, n: number, k: number, level: number): number {
  const m = n < k ? n : k;
  let hits = 0;
  for (let i = 0; i < m; i++) if (labels[i]! >= level) hits++;
  return hits / k;
}

/** P@k of one ranking given its relevance labels in rank order (null = not in the qrels). */
export function precision(ranking: ArrayLike<number | null>, k: number, options: { rel?: number } = {}): number {
  const labels = toLabels(ranking);
  positiveInteger(k, 'k');
  return precisionKernel(labels, labels.length, cutoffArg(k), levelArg(options.rel));
}
