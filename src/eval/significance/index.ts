/**
 * Paired significance tests for per-query scores (baseline `a`, system `b`), and two-sample ones
 * for independent measurements (Mann–Whitney U, the ratio of medians): each returns the
 * statistic, the p-value (or interval) and the options it used. See each file for the formula and
 * its source; every p-value is two-sided.
 */
export { pairedTTest, type TTestResult } from './ttest.js';
export {
  wilcoxonSignedRank,
  wilcoxonNullDistribution,
  type WilcoxonMethod,
  type WilcoxonOptions,
  type WilcoxonResult,
  type WilcoxonZeroMethod,
} from './wilcoxon.js';
export {
  randomizationTest,
  randomizationTestParallel,
  type RandomizationOptions,
  type RandomizationResult,
} from './randomization.js';
export { bootstrapCI, type BootstrapMethod, type BootstrapOptions, type BootstrapResult } from './bootstrap.js';
export { adjustPValues, P_ADJUST_METHODS, type PAdjustMethod } from './adjust.js';
export { mcnemarTest, MCNEMAR_METHODS, type McNemarMethod, type McNemarOptions, type McNemarResult } from './mcnemar.js';
export { cohensDz, winTieLoss, type WinTieLoss } from './effect-size.js';
export type { Scores } from './paired.js';
export { mannWhitneyU, mannWhitneyNullDistribution, type MannWhitneyMethod, type MannWhitneyResult } from './mann-whitney.js';
export { median, medianRatioCI, type MedianRatioOptions, type MedianRatioResult } from './median-ratio.js';
