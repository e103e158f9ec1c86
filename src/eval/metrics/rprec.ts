/**
 * R-precision — ir_measures `Rprec` (`Rprec(rel=ℓ)`), trec_eval `Rprec`.
 *
 *   Rprec = |{ i ≤ R : rel_i ≥ ℓ }| / R,   R = number of judged documents with rel ≥ ℓ;  0 when R = 0
 *
 * (trec_eval m_Rprec.c; i.e. P@R, counting only what was retrieved within the first R ranks).
 */
import { countRelevant, levelArg, toJudged, toLabels } from './labels.js';
import { precisionKernel } from './precision.js';

export function rprecKernel(labels: Int32Array, n: number, level: number, numRel: number): number {
  return numRel === 0 ? 0 : precisionKernel(labels, n, numRel, level);
}

/** Rprec of one ranking (labels in rank order, null = unjudged) against the query's judged levels. */
export function rPrecision(ranking: ArrayLike<number | null>, judged: ArrayLike<number>, options: { rel?: number } = {}): number {
  const labels = toLabels(ranking);
  const level = levelArg(options.rel);
  return rprecKernel(labels, labels.length, level, countRelevant(toJudged(judged), level));
}
