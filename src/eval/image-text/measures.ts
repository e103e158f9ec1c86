/**
 * Image–text retrieval measures from the rank of the first relevant item of each query, as
 * CLIP_benchmark defines recall (clip_benchmark/metrics/zeroshot_retrieval.py, `recall_at_k`) and
 * as retrieval papers report MedR / MeanR.
 *
 * With r the 1-based rank of the best-ranked relevant item of a query:
 * - `R@k` = [r ≤ k] per query. For text→image (one relevant image) this is ordinary recall; for
 *   image→text (all the image's captions relevant) it is CLIP_benchmark's "a hit when any caption
 *   is in the top k" (`(nb_true_positive > 0)`), i.e. ir_measures' `Success@k`, not trec_eval's
 *   recall_k (the share of the captions found). Under `xmrbench compare` on the written runs, use
 *   `Success@k` to get these values.
 * - `RR` = 1/r per query (no cutoff), its mean the MRR.
 * - `MedR` = median of r over the queries (the mean of the two middle ranks for an even count, as
 *   numpy.median); `MeanR` = mean of r. These two exist only as averages.
 * Means are plain left-to-right float64 sums divided by the query count; CLIP_benchmark's torch
 * means are float32, i.e. `Math.fround` of these.
 */

/** Default cutoffs: CLIP_benchmark's recall_k_list. */
export const DEFAULT_CUTOFFS: readonly number[] = [1, 5, 10];

/** The names of the per-query measures, in table order: R@k for each cutoff, then RR. */
export function perQueryNames(cutoffs: readonly number[]): string[] {
  return [...cutoffs.map((k) => `R@${k}`), 'RR'];
}

/** The names of the averaged measures, in table order. */
export function averageNames(cutoffs: readonly number[], withRanks: boolean): string[] {
  return withRanks ? [...perQueryNames(cutoffs), 'MedR', 'MeanR'] : cutoffs.map((k) => `R@${k}`);
}

export interface RankMeasures {
  /** measure → per-query values */
  perQuery: Map<string, Float64Array>;
  /** measure → average over the queries */
  means: Record<string, number>;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** numpy.median of positive integers. */
export function median(x: ArrayLike<number>): number {
  const s = Float64Array.from(x).sort();
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * Measures from first-relevant ranks. `ranks[i]` is query i's rank (≥ 1), or 0 when only "not in
 * the top `depth`" is known (then RR, MedR and MeanR cannot be given: pass `withRanks` false).
 */
export function measuresFromRanks(ranks: Int32Array, cutoffs: readonly number[], withRanks: boolean): RankMeasures {
  const perQuery = new Map<string, Float64Array>();
  for (const k of cutoffs) perQuery.set(`R@${k}`, Float64Array.from(ranks, (r) => (r >= 1 && r <= k ? 1 : 0)));
  const means: Record<string, number> = {};
  for (const [name, v] of perQuery) means[name] = mean(v);
  if (withRanks) {
    const rr = Float64Array.from(ranks, (r) => 1 / r);
    perQuery.set('RR', rr);
    means['RR'] = mean(rr);
    means['MedR'] = median(ranks);
    means['MeanR'] = mean(ranks);
  }
  return { perQuery, means };
}
