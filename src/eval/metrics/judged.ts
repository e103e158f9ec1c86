/**
 * Judged at k — ir_measures `Judged@k` (no trec_eval counterpart) — and unjudged at k, trec_eval
 * `unj_k` (`Unj@k`, m_unjudged.c):
 *
 *   Judged@k = |{ i ≤ k : document i appears in the query's qrels }| / k
 *   Unj@k    = |{ i ≤ k : document i is absent from the qrels or judged negative }| / k
 *
 * Any qrels entry counts as a judgment, whatever its level (also 0 and negative ones), and like P@k
 * it divides by k even when fewer were retrieved (ir_measures: "P@k with a rel lower than any
 * judgment"). A diagnostic for pool bias, not an effectiveness measure.
 */
import { cutoffArg, toLabels, UNJUDGED } from './labels.js';
import { positiveInteger } from '../../args.js';

export function judgedKernel(labels: Int32Array, n: number, k: number): number {
  const m = n < k ? n : k;
  let judged = 0;
  for (let i = 0; i < m; i++) if (labels[i] !== UNJUDGED) judged++;
  return judged / k;
}

export function unjudgedKernel(labels: Int32Array, n: number, k: number): number {
  const m = n < k ? n : k;
  let unjudged = 0;
  for (let i = 0; i < m; i++) if (labels[i]! < 0) unjudged++;
  return unjudged / k;
}

/** Judged@k of one ranking given its relevance labels in rank order (null = not in the qrels). */
export function judgedAt(ranking: ArrayLike<number | null>, k: number): number {
  const labels = toLabels(ranking);
  positiveInteger(k, 'k');
  return judgedKernel(labels, labels.length, cutoffArg(k));
}
