/**
 * Interpolated precision at a recall level — ir_measures `IPrec@r`, trec_eval `iprec_at_recall_r`
 * (by default at r = 0, 0.1, …, 1: the points of the standard recall–precision graph).
 *
 *   IPrec@r = max_{j ≥ i_c} P@j,   c = lround(r · R),   i_c = the rank of the c-th relevant document
 *   retrieved (of the first for c = 0), j up to the last document retrieved
 *
 * and 0 when fewer than max(c, 1) relevant documents are retrieved. R is the number of judged
 * documents with rel ≥ ℓ. trec_eval 10 (m_iprec_at_recall.c) rounds r · R with lround, half away
 * from zero (9.0 and before added 0.9 and truncated); it walks the ranking backwards keeping the
 * running maximum, which is this forward scan's maximum over the same P@j = hits_j / j.
 */
import { countRelevant, levelArg, toJudged, toLabels } from './labels.js';

export function iprecKernel(labels: Int32Array, n: number, recall: number, level: number, numRel: number): number {
  // An empty ranking (trec_eval -J keeps none of its documents): trec_eval starts from P@n = 0/0,
  // and levels with lround(r·R) = 0 take it.
  if (n === 0) return Math.round(recall * numRel) === 0 ? NaN : 0;
  const c = Math.max(Math.round(recall * numRel), 1); // Math.round is lround for x ≥ 0
  let hits = 0;
  let best = -1; // < 0 until the c-th relevant document
  for (let i = 0; i < n; i++) {
    if (labels[i]! >= level) hits++;
    if (hits >= c) {
      const p = hits / (i + 1);
      if (p > best) best = p;
    }
  }
  return best < 0 ? 0 : best;
}

/** trec_eval's 11 recall levels (m_11pt_avg.c, m_iprec_at_recall.c). */
const ELEVEN_POINTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * `IPrecAvg`, trec_eval `11pt_avg`: IPrec@r averaged over r = 0, 0.1, …, 1. m_11pt_avg.c adds the
 * levels from 1 down to 0 (its backward walk meets the higher recall levels first); so does this.
 */
export function iprecAvgKernel(labels: Int32Array, n: number, level: number, numRel: number): number {
  let sum = 0;
  for (let j = ELEVEN_POINTS.length - 1; j >= 0; j--) sum += iprecKernel(labels, n, ELEVEN_POINTS[j]!, level, numRel);
  return sum / ELEVEN_POINTS.length;
}

/** IPrec@r of one ranking (labels in rank order, null = unjudged) against the query's judged levels. */
export function interpolatedPrecision(ranking: ArrayLike<number | null>, judged: ArrayLike<number>, recall: number, options: { rel?: number } = {}): number {
  if (typeof recall !== 'number' || !(recall >= 0 && recall <= 1)) throw new RangeError(`recall must be a number in [0, 1], got ${recall}`);
  const labels = toLabels(ranking);
  const level = levelArg(options.rel);
  return iprecKernel(labels, labels.length, recall, level, countRelevant(toJudged(judged), level));
}
