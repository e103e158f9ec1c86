/**
 * Paired (dependent-samples) Student t-test, as `scipy.stats.ttest_rel(b, a)` (two-sided).
 *
 * With d = b − a over n pairs: t = mean(d) / (sd(d) / √n), sd with ddof = 1, df = n − 1, and
 * p = 2 · F_t(−|t|; df) (Student 1908; scipy's `ttest_1samp(b - a)`). The t CDF is stdlib's
 * regularised incomplete beta, evaluated on the lower tail so small p keep full relative precision.
 *
 * Degenerate cases follow scipy: a sample variance of exactly zero gives t = ±∞ and p = 0, or
 * t = NaN and p = NaN when every difference is zero.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { mean, pairedDifferences, sampleVariance, type Scores } from './paired.js';

export interface TTestResult {
  /** t statistic; positive when b scores higher on average. */
  statistic: number;
  /** two-sided p-value */
  pValue: number;
  /** degrees of freedom, n − 1 */
  df: number;
  /** mean of b − a */
  meanDifference: number;
  /** standard error of the mean difference, sd / √n */
  standardError: number;
}

/**
 * Paired t-test of system `b` against baseline `a` (two-sided).
 * @throws TypeError / RangeError for bad input (see `pairedDifferences`); n < 2 is a RangeError.
 */
export function pairedTTest(a: Scores, b: Scores): TTestResult {
  const d = pairedDifferences('pairedTTest', a, b, 2);
  const n = d.length;
  const m = mean(d);
  const se = Math.sqrt(sampleVariance(d, m) / n);
  const t = m / se;
  const df = n - 1;
  const pValue = Number.isNaN(t) ? NaN : 2 * tCdf(-Math.abs(t), df);
  return { statistic: t, pValue, df, meanDifference: m, standardError: se };
}
