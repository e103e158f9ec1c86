/**
 * Mann–Whitney U test (Mann & Whitney 1947; Wilcoxon rank-sum) of two independent samples, as
 * `scipy.stats.mannwhitneyu(x, y)` of scipy 1.17, two-sided:
 *
 * - ranks: average ranks of the pooled sample; U₁ = R₁ − n₁(n₁+1)/2 from x's rank sum R₁, and
 *   U₂ = n₁n₂ − U₁. The reported statistic is U₁ (scipy's); the p-value uses U = max(U₁, U₂).
 * - `exact`: p = 2·P(U ≥ u) under the null distribution of U for untied samples, clipped to 1. The
 *   distribution counts, for each u, the orderings of n₁ x's among n₂ y's with U = u, by the
 *   recurrence c(i, j, u) = c(i − 1, j, u − j) + c(i, j − 1, u) (Mann & Whitney 1947, eq. 1: the
 *   largest value is an x, above all j y's, or a y), summed in doubles (additions only).
 * - `asymptotic`: z = (U − n₁n₂/2 − ½) / σ with the tie-corrected
 *   σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))) over the tie groups t of the pooled sample
 *   (the ½ is the continuity correction, scipy's default), p = 2·Φ(−z) clipped to 1; p = 1 when
 *   every value is tied (σ = 0).
 * - `auto` (scipy's rule): `asymptotic` when both samples are larger than 8 or there are ties,
 *   else `exact`.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { checkScores, type Scores } from './paired.js';
import { averageRanks } from './ranks.js';

export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic';

export interface MannWhitneyResult {
  /** U₁, the U statistic of x (scipy's `statistic`) */
  statistic: number;
  /** two-sided p-value */
  pValue: number;
  /** the method actually used (`auto` resolved) */
  method: 'exact' | 'asymptotic';
  /** z of the normal approximation (continuity-corrected, for U = max(U₁, U₂)); NaN when exact */
  zStatistic: number;
}

/**
 * Null distribution of U for samples of sizes n1 and n2 without ties: P(U = u), u = 0 … n1·n2.
 * Built over the smaller size, so the work is O(min² · max²) / 2 additions.
 */
export function mannWhitneyNullDistribution(n1: number, n2: number): Float64Array {
  const small = Math.min(n1, n2);
  const large = Math.max(n1, n2);
  // rows[i] = counts c(i, j, ·) for the current j; U's distribution is symmetric in (n1, n2).
  let rows: Float64Array[] = Array.from({ length: small + 1 }, () => Float64Array.of(1)); // j = 0: U = 0
  for (let j = 1; j <= large; j++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let i = 1; i <= small; i++) {
      const c = new Float64Array(i * j + 1);
      const withY = rows[i] as Float64Array; // c(i, j − 1, u)
      for (let u = 0; u < withY.length; u++) c[u] = withY[u] as number;
      const withX = next[i - 1] as Float64Array; // c(i − 1, j, u − j)
      for (let u = 0; u < withX.length; u++) c[u + j] = (c[u + j] as number) + (withX[u] as number);
      next.push(c);
    }
    rows = next;
  }
  const counts = rows[small] as Float64Array;
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c) => c / total);
}

/**
 * Two-sided Mann–Whitney U test of `x` against `y`.
 * @throws TypeError / RangeError for bad input or an unknown method; an empty sample is a RangeError.
 */
export function mannWhitneyU(x: Scores, y: Scores, options: { method?: MannWhitneyMethod } = {}): MannWhitneyResult {
  const fn = 'mannWhitneyU';
  const { method = 'auto' } = options;
  if (method !== 'auto' && method !== 'exact' && method !== 'asymptotic') {
    throw new RangeError(`${fn}: method must be 'auto', 'exact' or 'asymptotic', got ${String(method)}`);
  }
  checkScores(fn, 'x', x);
  checkScores(fn, 'y', y);
  const n1 = x.length;
  const n2 = y.length;
  if (n1 < 1 || n2 < 1) throw new RangeError(`${fn}: needs at least 1 value in each sample, got ${n1} and ${n2}`);
  const pooled = new Float64Array(n1 + n2);
  for (let i = 0; i < n1; i++) pooled[i] = x[i] as number;
  for (let i = 0; i < n2; i++) pooled[n1 + i] = y[i] as number;
  const { ranks, tieGroups } = averageRanks(pooled);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  const ties = tieGroups.some((t) => t > 1);
  const resolved = method === 'auto' ? (n1 > 8 && n2 > 8) || ties ? 'asymptotic' : 'exact' : method;
  if (resolved === 'exact') {
    const pmf = mannWhitneyNullDistribution(n1, n2);
    // P(U ≥ u) = P(U ≤ n1·n2 − u) by symmetry, summed from the short tail as scipy does.
    let tail = 0;
    for (let k = 0; k <= n1 * n2 - u; k++) tail += pmf[k] as number;
    return { statistic: u1, pValue: Math.min(1, 2 * tail), method: resolved, zStatistic: NaN };
  }
  const n = n1 + n2;
  const tieTerm = tieGroups.reduce((s, t) => s + t ** 3 - t, 0);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sigma > 0 ? (u - (n1 * n2) / 2 - 0.5) / sigma : -Infinity;
  return { statistic: u1, pValue: Math.min(1, 2 * normalCdf(-z, 0, 1)), method: resolved, zStatistic: z };
}
