/**
 * Wilcoxon signed-rank test (Wilcoxon 1945) on paired differences d = b − a, following
 * `scipy.stats.wilcoxon(b, a, ...)` of scipy 1.17 (two-sided):
 *
 * - zeros: `wilcox` drops zero differences before ranking (n counts the non-zero ones); `pratt`
 *   (Pratt 1959) ranks them with the rest, then gives their ranks to neither sign.
 * - ranks: average ranks of |d|; R+ and R− are the rank sums of positive and negative differences.
 *   The reported statistic is min(R+, R−).
 * - `approx`: z = (R+ − μ) / σ with μ = n(n+1)/4 and σ² = [n(n+1)(2n+1) − Σ(t³ − t)/2] / 24 over
 *   the tie groups t of non-zero |d|; under `pratt` μ and σ² drop the n₀ zeros' share,
 *   μ −= n₀(n₀+1)/4 and σ²·24 −= n₀(n₀+1)(2n₀+1) (Cureton 1967). With `correction`, z moves 0.5/σ
 *   towards zero; p = 2·Φ(−|z|).
 * - `exact`: the null distribution of R+ over the n non-zero differences by dynamic programming
 *   (scipy's `_get_wilcoxon_distr`); p = 2·min(P(R+ ≥ ⌊R+⌋), P(R+ ≤ ⌈R+⌉)) clipped to 1, rounding a
 *   tie-induced half-integer the conservative way as scipy does (gh-19872).
 * - `auto` (scipy's rule): with more than 50 pairs, `approx`; otherwise `exact` when there are no
 *   zeros and no ties among |d|, else an exact sign-flip permutation test of R+ when n ≤ 13
 *   (`permutation`), else `approx`. The permutation distribution is enumerated exactly: ranks are
 *   multiples of ½, so the distribution of 2R+ over all 2ⁿ sign flips is a subset-sum count.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { pairedDifferences, type Scores } from './paired.js';
import { averageRanks } from './ranks.js';

export type WilcoxonZeroMethod = 'wilcox' | 'pratt';
export type WilcoxonMethod = 'auto' | 'exact' | 'approx';

export interface WilcoxonOptions {
  /** treatment of zero differences; default `wilcox` (scipy's default) */
  zeroMethod?: WilcoxonZeroMethod;
  /** continuity correction of the normal approximation; default false (scipy's default) */
  correction?: boolean;
  /** how p is computed; default `auto` */
  method?: WilcoxonMethod;
}

export interface WilcoxonResult {
  /** min(R+, R−) */
  statistic: number;
  /** two-sided p-value */
  pValue: number;
  /** the method actually used (`auto` resolved) */
  method: 'exact' | 'approx' | 'permutation';
  /** sum of ranks of positive differences (b > a) */
  rPlus: number;
  /** sum of ranks of negative differences */
  rMinus: number;
  /** z of the normal approximation, −|z| as scipy reports it; NaN for other methods */
  zStatistic: number;
  /** pairs entering the ranks (non-zero ones under `wilcox`) */
  n: number;
  /** zero differences found */
  zeros: number;
}

/**
 * Null distribution of R+ for n untied, non-zero differences: P(R+ = k), k = 0 … n(n+1)/2, built
 * by adding one rank at a time (each rank joins R+ with probability ½), as scipy's
 * `_get_wilcoxon_distr`.
 */
export function wilcoxonNullDistribution(n: number): Float64Array {
  let c = new Float64Array([1]);
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array((k * (k + 1)) / 2 + 1);
    for (let i = 0; i < c.length; i++) {
      const half = (c[i] as number) * 0.5;
      next[i] = (next[i] as number) + half;
      next[i + k] = (next[i + k] as number) + half;
    }
    c = next;
  }
  return c;
}

/** Two-sided exact p-value of R+ under n untied ranks (scipy's `WilcoxonDistribution`). */
function exactPValue(rPlus: number, n: number): number {
  const pmf = wilcoxonNullDistribution(n);
  const mn = (n * (n + 1)) / 4;
  const sumRange = (from: number, to: number): number => {
    let s = 0;
    for (let k = Math.max(from, 0); k <= Math.min(to, pmf.length - 1); k++) s += pmf[k] as number;
    return s;
  };
  const last = pmf.length - 1;
  // P(R+ <= k) and P(R+ >= k), each summed over the tail below/above the mean as scipy does.
  const cdf = (k: number): number => (k <= mn ? sumRange(0, k) : 1 - sumRange(k + 1, last));
  const sf = (k: number): number => (k <= mn ? sumRange(k, last) : 1 - sumRange(0, k - 1));
  return Math.min(1, 2 * Math.min(sf(Math.floor(rPlus)), cdf(Math.ceil(rPlus))));
}

/**
 * Exact sign-flip permutation p-value of R+ (scipy's `permutation_test` on R+ when it can enumerate
 * all 2ⁿ flips): counts of flips with R+ ≤ observed and ≥ observed, p = 2·min(...)/2ⁿ clipped to 1.
 * Zeros never change R+ and cancel from the ratio, so only the signed ranks enter.
 */
function permutationPValue(signedRanks: Float64Array, rPlus: number): number {
  const twice = Array.from(signedRanks, (r) => Math.round(2 * r));
  const total = twice.reduce((s, r) => s + r, 0);
  const counts = new Float64Array(total + 1);
  counts[0] = 1;
  let reach = 0;
  for (const r of twice) {
    for (let s = reach; s >= 0; s--) counts[s + r] = (counts[s + r] as number) + (counts[s] as number);
    reach += r;
  }
  const observed = Math.round(2 * rPlus);
  let less = 0;
  let greater = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= observed) less += counts[s] as number;
    if (s >= observed) greater += counts[s] as number;
  }
  const flips = 2 ** twice.length;
  return Math.min(1, (2 * Math.min(less, greater)) / flips);
}

/**
 * Wilcoxon signed-rank test of system `b` against baseline `a` (two-sided).
 * @throws TypeError / RangeError for bad input or options; n < 1 is a RangeError.
 */
export function wilcoxonSignedRank(a: Scores, b: Scores, options: WilcoxonOptions = {}): WilcoxonResult {
  const fn = 'wilcoxonSignedRank';
  const { zeroMethod = 'wilcox', correction = false, method = 'auto' } = options;
  if (zeroMethod !== 'wilcox' && zeroMethod !== 'pratt') {
    throw new RangeError(`${fn}: zeroMethod must be 'wilcox' or 'pratt', got ${String(zeroMethod)}`);
  }
  if (method !== 'auto' && method !== 'exact' && method !== 'approx') {
    throw new RangeError(`${fn}: method must be 'auto', 'exact' or 'approx', got ${String(method)}`);
  }
  if (typeof correction !== 'boolean') throw new TypeError(`${fn}: correction must be a boolean`);
  const all = pairedDifferences(fn, a, b, 1);
  const zeros = all.reduce((z, v) => z + (v === 0 ? 1 : 0), 0);
  const d = zeroMethod === 'wilcox' ? all.filter((v) => v !== 0) : all;
  const n = d.length;

  const { ranks, tieGroups } = averageRanks(d.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  for (let i = 0; i < n; i++) {
    if ((d[i] as number) > 0) rPlus += ranks[i] as number;
    else if ((d[i] as number) < 0) rMinus += ranks[i] as number;
  }
  // Zeros, when ranked (pratt), form the first tie group; they are left out of the tie correction.
  const zeroGroup = zeroMethod === 'pratt' && zeros > 0 ? 1 : 0;
  const nonZeroGroups = tieGroups.slice(zeroGroup);
  const hasTies = tieGroups.some((t) => t > 1);

  let resolved: WilcoxonResult['method'] = method === 'auto' ? 'approx' : method;
  if (method === 'auto' && all.length <= 50) {
    if (!hasTies && zeros === 0) resolved = 'exact';
    else if (all.length <= 13) resolved = 'permutation';
  }

  let pValue: number;
  let zStatistic = NaN;
  if (resolved === 'exact') {
    pValue = exactPValue(rPlus, n);
  } else if (resolved === 'permutation') {
    pValue = permutationPValue(ranks.filter((_, i) => d[i] !== 0), rPlus);
  } else {
    const zn = zeroMethod === 'pratt' ? zeros : 0;
    const mu = (n * (n + 1)) / 4 - (zn * (zn + 1)) / 4;
    const ties = nonZeroGroups.reduce((s, t) => s + t ** 3 - t, 0);
    const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1) - zn * (zn + 1) * (2 * zn + 1) - ties / 2) / 24);
    let z = (rPlus - mu) / sigma;
    if (correction) z -= (Math.sign(z) * 0.5) / sigma;
    pValue = 2 * normalCdf(-Math.abs(z), 0, 1);
    zStatistic = -Math.abs(z);
  }
  return { statistic: Math.min(rPlus, rMinus), pValue, method: resolved, rPlus, rMinus, zStatistic, n, zeros };
}
