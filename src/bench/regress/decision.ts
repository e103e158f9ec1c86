/**
 * The regression decision for benchmark timings (lower is better), per workload:
 *
 * - change: the ratio of medians B / A with a two-sample percentile bootstrap interval
 *   (`medianRatioCI`, default 95%, seeded);
 * - test: the two-sided Mann–Whitney U test on the two samples (scipy's rules), its p-values
 *   adjusted across the workloads of one comparison by Holm's step-down method (family-wise error
 *   rate, `adjustPValues`);
 * - verdict, with the noise threshold t (default 5%) as a symmetric factor band
 *   [1 / (1 + t), 1 + t]:
 *   `regression` when the adjusted p < α and the whole interval lies above 1 + t;
 *   `improvement` when the adjusted p < α and the whole interval lies below 1 / (1 + t);
 *   `unchanged` when the whole interval lies inside the band (any change is within the noise);
 *   `uncertain` otherwise (more rounds would be needed to tell).
 *
 * Requiring both halves is what asv (a factor and a significant Mann–Whitney U) and criterion.rs (a
 * significant test and an interval clear of a noise band) do; a bare threshold on a point estimate,
 * as pytest-benchmark's, fires on noise. Unlike criterion.rs (its issue #824), a regression makes
 * the exit status 1.
 */
import { openUnitInterval } from '../../args.js';
import { adjustPValues, mannWhitneyU, median, medianRatioCI, type PAdjustMethod } from '../../eval/significance/index.js';

export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'uncertain';

export interface SeriesPair {
  /** workload (and driver) name */
  name: string;
  /** build A's measurements (times, or any cost where lower is better); A is the baseline */
  a: readonly number[];
  /** build B's measurements */
  b: readonly number[];
}

export interface DecisionOptions {
  /** noise threshold t as a fraction; default 0.05 */
  threshold?: number;
  /** significance level of the adjusted p-values; default 0.05 */
  alpha?: number;
  /** confidence level of the interval; default 0.95 */
  confidence?: number;
  /** bootstrap resamples; default 10,000 */
  resamples?: number;
  /** bootstrap seed; default 0 */
  seed?: number;
  /** correction across workloads; default `holm` */
  correction?: PAdjustMethod;
}

export interface WorkloadDecision {
  name: string;
  n: { a: number; b: number };
  medianA: number;
  medianB: number;
  /** median(B) / median(A): above 1 is slower */
  ratio: number;
  interval: { low: number; high: number };
  test: { name: 'Mann–Whitney U (two-sided)'; statistic: number; method: 'exact' | 'asymptotic'; pValue: number; adjustedPValue: number };
  verdict: Verdict;
}

export interface Decision {
  threshold: number;
  alpha: number;
  confidence: number;
  resamples: number;
  seed: number;
  correction: PAdjustMethod;
  workloads: WorkloadDecision[];
  counts: Record<Verdict, number>;
  /** 1 when any workload regressed, else 0 */
  exitCode: 0 | 1;
}

/** The verdict for an interval and an adjusted p-value (see the file comment). */
export function verdictOf(interval: { low: number; high: number }, adjustedPValue: number, threshold: number, alpha: number): Verdict {
  const upper = 1 + threshold;
  const lower = 1 / upper;
  const significant = adjustedPValue < alpha;
  if (significant && interval.low > upper) return 'regression';
  if (significant && interval.high < lower) return 'improvement';
  if (interval.low >= lower && interval.high <= upper) return 'unchanged';
  return 'uncertain';
}

/**
 * Decides every workload of one comparison; the Holm family is the list given.
 * @throws TypeError / RangeError for bad options or samples (each needs ≥ 1 positive value).
 */
export function decide(series: readonly SeriesPair[], options: DecisionOptions = {}): Decision {
  const { threshold = 0.05, alpha = 0.05, confidence = 0.95, resamples = 10_000, seed = 0, correction = 'holm' } = options;
  openUnitInterval(threshold, 'threshold');
  openUnitInterval(alpha, 'alpha');
  if (series.length === 0) throw new RangeError('decide needs at least one workload');
  const rows = series.map((s) => {
    const ci = medianRatioCI(s.a, s.b, { resamples, confidence, seed });
    const mw = mannWhitneyU(s.a, s.b);
    return { s, ci, mw };
  });
  const adjusted = adjustPValues(rows.map((r) => r.mw.pValue), correction);
  const counts: Record<Verdict, number> = { regression: 0, improvement: 0, unchanged: 0, uncertain: 0 };
  const workloads = rows.map(({ s, ci, mw }, i): WorkloadDecision => {
    const interval = { low: ci.low, high: ci.high };
    const verdict = verdictOf(interval, adjusted[i]!, threshold, alpha);
    counts[verdict]++;
    return {
      name: s.name,
      n: { a: s.a.length, b: s.b.length },
      medianA: median(s.a),
      medianB: median(s.b),
      ratio: ci.ratio,
      interval,
      test: { name: 'Mann–Whitney U (two-sided)', statistic: mw.statistic, method: mw.method, pValue: mw.pValue, adjustedPValue: adjusted[i]! },
      verdict,
    };
  });
  return { threshold, alpha, confidence, resamples, seed, correction, workloads, counts, exitCode: counts.regression > 0 ? 1 : 0 };
}
