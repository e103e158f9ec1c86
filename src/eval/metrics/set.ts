/**
 * Set measures: the retrieved documents as an unranked set (trec_eval m_set_P.c, m_set_rel_P.c,
 * m_set_recall.c, m_set_F.c, m_set_map.c, m_utility.c, m_num_nonrel_judged_ret.c), with n retrieved,
 * r of them relevant (rel ≥ ℓ) and R relevant judged:
 *
 *   SetP = r / n,   SetRelP = r / min(n, R),   SetR = r / R,   SetF = 2·P·R / (P + R) (β = 1),
 *   SetAP = r² / (n · R),   Utility = r − (n − r)   (trec_eval's default coefficients 1, −1, 0, 0)
 *
 * each 0 where its denominator is (SetF: where r is), and NumNonRelJudgedRet, the retrieved
 * documents judged with 0 ≤ rel < ℓ (a count, summed over queries).
 */
import { countRelevant, levelArg, toJudged, toLabels } from './labels.js';

export type SetMeasure = 'SetP' | 'SetRelP' | 'SetR' | 'SetF' | 'SetAP' | 'Utility' | 'NumNonRelJudgedRet';

export function setKernel(measure: SetMeasure, labels: Int32Array, n: number, level: number, numRel: number): number {
  let relRet = 0;
  let nonrelJudged = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l >= level) relRet++;
    else if (l >= 0) nonrelJudged++;
  }
  switch (measure) {
    case 'SetP':
      return n === 0 ? 0 : relRet / n;
    case 'SetRelP':
      return n === 0 || numRel === 0 ? 0 : relRet / Math.min(n, numRel);
    case 'SetR':
      return numRel === 0 ? 0 : relRet / numRel;
    case 'SetF': {
      if (relRet === 0) return 0;
      const p = relRet / n;
      const r = relRet / numRel;
      const beta = 1; // m_set_F.c's default parameter, in its order of operations
      return ((beta + 1) * p * r) / (beta * p + r);
    }
    case 'SetAP':
      return n === 0 || numRel === 0 ? 0 : (relRet * relRet) / (n * numRel);
    case 'Utility':
      return relRet - (n - relRet);
    case 'NumNonRelJudgedRet':
      return nonrelJudged;
  }
}

/** A set measure of one ranking (labels in rank order, null = not in the qrels) against the query's judged levels. */
export function setMeasure(measure: SetMeasure, ranking: ArrayLike<number | null>, judged: ArrayLike<number>, options: { rel?: number } = {}): number {
  const labels = toLabels(ranking);
  const level = levelArg(options.rel);
  return setKernel(measure, labels, labels.length, level, countRelevant(toJudged(judged), level));
}
