/**
 * Paired bootstrap confidence interval for the mean difference mean(b − a) (Efron & Tibshirani
 * 1993): queries are resampled with replacement, B times, keeping each query's pair together.
 *
 * - `percentile`: the α/2 and 1 − α/2 quantiles of the B bootstrap means (linear interpolation,
 *   Hyndman & Fan type 7, as numpy/scipy), α = 1 − confidence.
 * - `bca`, bias-corrected and accelerated (Efron 1987; Efron & Tibshirani 1993, §14.3, eq. 14.14–15;
 *   computed exactly as `scipy.stats.bootstrap(method='BCa')`):
 *   ẑ₀ = Φ⁻¹(#{θ*_b < θ̂}/B + #{θ*_b = θ̂}/(2B)), the acceleration from the jackknife means θ₍ᵢ₎,
 *   â = Σ U³ / (6 (Σ U²)^{3/2}) with Uᵢ = (n − 1)(θ̄₍·₎ − θ₍ᵢ₎), and the quantile levels
 *   α₁,₂ = Φ(ẑ₀ + (ẑ₀ + z_{α/2, 1−α/2}) / (1 − â(ẑ₀ + z_{α/2, 1−α/2}))). When every jackknife mean is
 *   equal (all differences equal) â is taken as 0, where scipy returns NaN; the interval is then
 *   the single point θ̂. One deliberate difference from scipy: θ*_b counts as equal to θ̂ when
 *   |θ*_b − θ̂| ≤ 10⁻⁹ · mean|dᵢ|, since IR metrics are discrete and a resample mean that equals θ̂
 *   in exact arithmetic often differs from it in the last bits (scipy's strict comparisons then
 *   split such ties at random, moving ẑ₀).
 *
 * Resample b draws its query indices from stream (seed, b) of `src/random.ts`: seeded and reproducible.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { checkInteger, checkOpenUnit, mean, pairedDifferences, sampleVariance, type Scores } from './paired.js';
import { checkSeed } from '../../args.js';
import { stream, STREAM_BOOTSTRAP } from '../../random.js';

export type BootstrapMethod = 'bca' | 'percentile';

export interface BootstrapOptions {
  /** B, bootstrap resamples; default 10,000 */
  resamples?: number;
  /** confidence level in (0, 1); default 0.95 */
  confidence?: number;
  /** default `bca` */
  method?: BootstrapMethod;
  /** seed of the resampling streams; default 0 */
  seed?: number;
}

export interface BootstrapResult {
  /** observed mean difference θ̂ = mean(b − a) */
  statistic: number;
  /** lower end of the interval */
  low: number;
  /** upper end of the interval */
  high: number;
  confidence: number;
  method: BootstrapMethod;
  resamples: number;
  /** standard deviation (ddof 1) of the bootstrap means */
  standardError: number;
  seed: number;
}

/** Largest n for which `Xoshiro128.below` is exact. */
const MAX_PAIRS = 2 ** 21;

/** Type-7 quantile of sorted values at level q ∈ [0, 1]. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const x = sorted[lo] as number;
  return x + (h - lo) * ((sorted[hi] as number) - x);
}

/** BCa quantile levels (scipy's `_bca_interval`) for the mean of `d`. */
function bcaLevels(d: Float64Array, thetaHat: number, thetaStar: Float64Array, alpha: number): [number, number] {
  const B = thetaStar.length;
  const n = d.length;
  let sum = 0;
  let magnitude = 0;
  for (const v of d) {
    sum += v;
    magnitude += Math.abs(v);
  }
  const tolerance = (1e-9 * magnitude) / n;
  let below = 0;
  let equal = 0;
  for (const t of thetaStar) {
    if (Math.abs(t - thetaHat) <= tolerance) equal++;
    else if (t < thetaHat) below++;
  }
  const z0 = normalQuantile((below + equal / 2) / B, 0, 1);
  const jack = d.map((v) => (sum - v) / (n - 1));
  const jackMean = mean(jack);
  let num = 0;
  let den = 0;
  for (const t of jack) {
    const u = (n - 1) * (jackMean - t);
    num += u ** 3;
    den += u ** 2;
  }
  const a = den === 0 ? 0 : num / n ** 3 / (6 * (den / n ** 2) ** 1.5);
  const zAlpha = normalQuantile(alpha, 0, 1);
  const level = (z: number): number => {
    const s = z0 + z;
    return normalCdf(z0 + s / (1 - a * s), 0, 1);
  };
  return [level(zAlpha), level(-zAlpha)];
}

/**
 * Paired bootstrap confidence interval of mean(b − a).
 * @throws TypeError / RangeError for bad input or options; n < 2 is a RangeError.
 */
export function bootstrapCI(a: Scores, b: Scores, options: BootstrapOptions = {}): BootstrapResult {
  const fn = 'bootstrapCI';
  const { resamples = 10_000, confidence = 0.95, method = 'bca', seed = 0 } = options;
  checkInteger(fn, 'resamples', resamples, 2);
  checkOpenUnit(fn, 'confidence', confidence);
  checkSeed(seed, `${fn}: seed`);
  if (method !== 'bca' && method !== 'percentile') {
    throw new RangeError(`${fn}: method must be 'bca' or 'percentile', got ${String(method)}`);
  }
  const d = pairedDifferences(fn, a, b, 2);
  const n = d.length;
  if (n > MAX_PAIRS) throw new RangeError(`${fn}: supports at most ${MAX_PAIRS} pairs, got ${n}`);
  const thetaHat = mean(d);
  const thetaStar = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const rng = stream(seed, r, STREAM_BOOTSTRAP);
    let s = 0;
    for (let i = 0; i < n; i++) s += d[rng.below(n)] as number;
    thetaStar[r] = s / n;
  }
  const standardError = Math.sqrt(sampleVariance(thetaStar));
  const alpha = (1 - confidence) / 2;
  const [q1, q2] = method === 'bca' ? bcaLevels(d, thetaHat, thetaStar, alpha) : [alpha, 1 - alpha];
  thetaStar.sort();
  const low = quantileSorted(thetaStar, q1);
  const high = quantileSorted(thetaStar, q2);
  return { statistic: thetaHat, low, high, confidence, method, resamples, standardError, seed };
}
