/**
 * McNemar's test (McNemar 1947) for paired hit/miss outcomes, e.g. R@k or Success@k per query
 * (each 0 or 1) of a baseline `a` and a system `b`.
 *
 * Only the discordant pairs carry information: n01 = queries a missed and b hit, n10 = queries a
 * hit and b missed. Under H0 (equal hit rates) each discordant pair falls either way with
 * probability ½, so min(n01, n10) ~ Binomial(n = n01 + n10, ½).
 *
 * - `exact` (two-sided): p = min(1, 2·F(m; n, ½)) with m = min(n01, n10) and F the binomial CDF;
 *   p = 1 when n = 0 or n01 = n10. This is `scipy.stats.binomtest(m, n, 0.5).pvalue` (its
 *   two-sided rule sums the outcomes no likelier than m, which for p = ½ is the mirrored tail) and
 *   statsmodels' `mcnemar(table, exact=True)`.
 * - `mid-p` (Lancaster 1961; Fagerland, Lydersen & Laake 2013): p = 2·F(m; n, ½) − f(m; n, ½), f
 *   the binomial PMF, capped at 1 — the exact p with half the probability of the observed outcome,
 *   less conservative and closer to the nominal level.
 *
 * Numerics: f(m) = exp(ln C(n, m) − n·ln 2) with ln C(n, m) = Σ_{i=1..m} ln((n−m+i)/i) summed
 * compensated (Neumaier), then F(m) = f(m)·Σ_{i≤m} C(n,i)/C(n,m), the ratios built downwards by
 * C(n,i−1)/C(n,i) = i/(n−i+1) (each < 1 since m ≤ n/2), so no term overflows and small p-values
 * keep full relative precision (down to the double range: below ~1e-308 p underflows to 0).
 */
import { oneOf } from '../../args.js';
import { pairedDifferences, type Scores } from './paired.js';

export type McNemarMethod = 'exact' | 'mid-p';
export const MCNEMAR_METHODS: readonly McNemarMethod[] = ['exact', 'mid-p'];

export interface McNemarOptions {
  /** default `exact` */
  method?: McNemarMethod;
}

export interface McNemarResult {
  /** min(n01, n10), the binomial count tested (statsmodels' `statistic`) */
  statistic: number;
  /** two-sided p-value */
  pValue: number;
  method: McNemarMethod;
  /** queries a missed and b hit */
  n01: number;
  /** queries a hit and b missed */
  n10: number;
}

/** ln C(n, m) as a compensated sum of ln((n−m+i)/i), i = 1 … m. */
function lnChoose(n: number, m: number): number {
  let sum = 0;
  let c = 0;
  for (let i = 1; i <= m; i++) {
    const x = Math.log((n - m + i) / i);
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}

/** f(m; n, ½) and F(m; n, ½) for 0 ≤ m ≤ n/2. */
function binomialHalf(m: number, n: number): { pmf: number; cdf: number } {
  const pmf = Math.exp(lnChoose(n, m) - n * Math.LN2);
  let ratio = 1;
  let sum = 1;
  for (let i = m; i > 0; i--) {
    ratio *= i / (n - i + 1);
    sum += ratio;
    if (ratio < sum * 1e-18) break;
  }
  return { pmf, cdf: pmf * sum };
}

/**
 * McNemar's test of system `b` against baseline `a` on paired 0/1 outcomes (two-sided).
 * @throws TypeError / RangeError for bad input (see `pairedDifferences`); a RangeError for a value
 *   other than 0 or 1, or an unknown method.
 */
export function mcnemarTest(a: Scores, b: Scores, options: McNemarOptions = {}): McNemarResult {
  const method = oneOf(options.method ?? 'exact', 'mcnemarTest: method', MCNEMAR_METHODS);
  pairedDifferences('mcnemarTest', a, b, 1);
  let n01 = 0;
  let n10 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== 0 && x !== 1) throw new RangeError(`mcnemarTest: a[${i}] must be 0 or 1 (a hit or a miss), got ${x}`);
    if (y !== 0 && y !== 1) throw new RangeError(`mcnemarTest: b[${i}] must be 0 or 1 (a hit or a miss), got ${y}`);
    if (x < y) n01++;
    else if (x > y) n10++;
  }
  const n = n01 + n10;
  const m = Math.min(n01, n10);
  let pValue = 1;
  if (n > 0 && 2 * m !== n) {
    const { pmf, cdf } = binomialHalf(m, n);
    pValue = Math.min(1, method === 'exact' ? 2 * cdf : 2 * cdf - pmf);
  }
  return { statistic: m, pValue, method, n01, n10 };
}
