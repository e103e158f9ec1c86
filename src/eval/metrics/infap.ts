/**
 * Inferred average precision — `infAP` (`infAP(rel=ℓ)`), trec_eval `infAP` (Yilmaz & Aslam,
 * "Estimating Average Precision with Incomplete and Imperfect Judgments", CIKM 2006): AP for a pool
 * of which only a random sample was judged. The qrels name the pool: a document they judge with a
 * negative relevance is in the pool but not judged (trec_eval's form_res_rels.c: every rel < 0),
 * one they do not name is outside it. Summed over the relevant documents retrieved, at 0-based rank
 * j with r relevant (this one included), x judged non-relevant and u in the pool but unjudged above it,
 *
 *   1                                                         for j = 0,
 *   1/(j+1) + j/(j+1) · ((r − 1 + x + u) / j) · ((r − 1 + ε) / (r − 1 + x + 2ε))   otherwise,
 *
 * divided by R (judged documents with rel ≥ ℓ), ε = 10⁻⁵ (trec_eval m_infap.c, INFAP_EPSILON);
 * documents outside the pool are skipped. Evaluated in m_infap.c's order, so that every double is its.
 */
import { countRelevant, levelArg, toJudged, toLabels, UNJUDGED } from './labels.js';

const INFAP_EPSILON = 0.00001;

export function infapKernel(labels: Int32Array, n: number, level: number, numRel: number): number {
  let rel = 0;
  let nonrel = 0;
  let unjudged = 0;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const l = labels[j]!;
    if (l === UNJUDGED) continue; // not in the pool
    if (l < 0) {
      unjudged++;
      continue;
    }
    if (l < level) {
      nonrel++;
      continue;
    }
    rel++;
    sum += j === 0 ? 1 : 1 / (j + 1) + (j / (j + 1)) * ((rel - 1 + nonrel + unjudged) / j) * ((rel - 1 + INFAP_EPSILON) / (rel - 1 + nonrel + 2 * INFAP_EPSILON));
  }
  return numRel === 0 ? sum : sum / numRel;
}

/** infAP of one ranking (labels in rank order, null = not in the qrels) against the query's judged levels. */
export function inferredAP(ranking: ArrayLike<number | null>, judged: ArrayLike<number>, options: { rel?: number } = {}): number {
  const labels = toLabels(ranking);
  const level = levelArg(options.rel);
  return infapKernel(labels, labels.length, level, countRelevant(toJudged(judged), level));
}
