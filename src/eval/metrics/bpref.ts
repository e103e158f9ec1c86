/**
 * Binary preference — ir_measures `Bpref` (`Bpref(rel=ℓ)`), trec_eval `bpref` (Buckley & Voorhees,
 * "Retrieval Evaluation with Incomplete Information", SIGIR 2004):
 *
 *   Bpref = 1/R · Σ over retrieved judged-relevant r of (1 − min(n_r, R) / min(N, R)),
 *
 * R = judged documents with rel ≥ ℓ, N = judged documents with 0 ≤ rel < ℓ, n_r = judged
 * non-relevant documents ranked above r (a term is 1 when n_r = 0); 0 when R = 0. Only judged
 * documents count: one not in the qrels, or judged with a negative relevance ("in the pool, not
 * judged"), is skipped, neither relevant nor non-relevant (trec_eval m_bpref.c, form_res_rels.c).
 */
import { countRelevant, levelArg, toJudged, toLabels } from './labels.js';

export function bprefKernel(labels: Int32Array, n: number, level: number, numRel: number, numNonrel: number): number {
  if (numRel === 0) return 0;
  const denominator = numNonrel < numRel ? numNonrel : numRel;
  let nonrelSoFar = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < 0) continue; // not in the qrels (UNJUDGED), or judged negative
    if (l < level) nonrelSoFar++;
    else sum += nonrelSoFar === 0 ? 1 : 1 - (nonrelSoFar < numRel ? nonrelSoFar : numRel) / denominator;
  }
  return sum / numRel;
}

/** Judged documents with 0 ≤ relevance < level: Bpref's N. */
export function countNonrelevant(judged: Int32Array, level: number): number {
  let c = 0;
  for (let i = 0; i < judged.length; i++) if (judged[i]! >= 0 && judged[i]! < level) c++;
  return c;
}

/** Bpref of one ranking (labels in rank order, null = not in the qrels) against the query's judged levels. */
export function bpref(ranking: ArrayLike<number | null>, judged: ArrayLike<number>, options: { rel?: number } = {}): number {
  const labels = toLabels(ranking);
  const level = levelArg(options.rel);
  const j = toJudged(judged);
  return bprefKernel(labels, labels.length, level, countRelevant(j, level), countNonrelevant(j, level));
}
