/**
 * What the metric kernels see of one query: `labels[i]` is the qrels relevance of the document at
 * rank i+1 (0-based index i) of the ranking trec_eval would build, or UNJUDGED when the qrels do not
 * name it; `n` is how many documents were retrieved (labels may be a longer scratch buffer).
 * A document is relevant at level ℓ when its label ≥ ℓ (trec_eval `-l ℓ`, default 1), so judged
 * non-relevant (0), negative ("unjudged in the pool") and absent documents all count as non-relevant.
 * Shared argument checks for the per-ranking wrappers live here too.
 */
import { positiveInteger } from '../../args.js';
export const UNJUDGED = -2147483648;

/** Converts a ranking's relevance labels (`null`/`undefined` = not in the qrels) to kernel labels. */
export function toLabels(ranking: ArrayLike<number | null | undefined>): Int32Array {
  if (ranking === null || typeof ranking !== 'object' || typeof ranking.length !== 'number') throw new TypeError('ranking must be an array of relevance labels (null for unjudged)');
  const out = new Int32Array(ranking.length);
  for (let i = 0; i < ranking.length; i++) {
    const r = ranking[i];
    if (r === null || r === undefined) out[i] = UNJUDGED;
    else if (Number.isInteger(r) && r > UNJUDGED && r <= 2147483647) out[i] = r;
    else throw new RangeError(`ranking[${i}] must be an integer relevance or null, got ${r}`);
  }
  return out;
}

/** Checks a query's judged relevance levels (every qrels entry of the query). */
export function toJudged(judged: ArrayLike<number>): Int32Array {
  if (judged === null || typeof judged !== 'object' || typeof judged.length !== 'number') throw new TypeError('judged must be an array of the query\'s qrels relevance levels');
  const out = new Int32Array(judged.length);
  for (let i = 0; i < judged.length; i++) {
    const r = judged[i]!;
    if (!Number.isInteger(r) || r <= UNJUDGED || r > 2147483647) throw new RangeError(`judged[${i}] must be an integer relevance, got ${r}`);
    out[i] = r;
  }
  return out;
}

/** Number of judged documents with relevance ≥ level (trec_eval's num_rel under `-l level`). */
export function countRelevant(judged: Int32Array, level: number): number {
  let c = 0;
  for (let i = 0; i < judged.length; i++) if (judged[i]! >= level) c++;
  return c;
}

/** A cutoff: a positive integer, or undefined for none (Infinity). */
export function cutoffArg(k: number | undefined): number {
  if (k === undefined) return Infinity;
  return positiveInteger(k, 'k');
}

/** A relevance level ℓ ≥ 1 (trec_eval `-l`). */
export function levelArg(rel: number | undefined): number {
  if (rel === undefined) return 1;
  return positiveInteger(rel, 'rel');
}
