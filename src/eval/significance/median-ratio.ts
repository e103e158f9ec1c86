/**
 * Two-sample bootstrap confidence interval of the ratio of medians median(y) / median(x) (Efron &
 * Tibshirani 1993, §6 and §13: percentile interval), for positive measurements such as times:
 * x and y are resampled independently with replacement, B times, and the interval is the α/2 and
 * 1 − α/2 quantiles (type 7, as numpy) of the B resampled ratios, α = 1 − confidence. A median is
 * numpy's: the middle value, or the mean of the two middle values for an even count.
 *
 * The percentile interval is transformation-respecting, so it is also the exponentiated interval of
 * log(median(y)) − log(median(x)); ratios of times are skewed, and this is why no normal-theory
 * interval is used. Resample b draws x's indices and then y's from stream (seed, b) of
 * `src/random.ts`: seeded and reproducible.
 */
import { quantileSorted } from './bootstrap.js';
import { checkInteger, checkOpenUnit, type Scores } from './paired.js';
import { checkSeed } from '../../args.js';
import { stream, STREAM_MEDIAN_RATIO } from '../../random.js';

export interface MedianRatioOptions {
  /** B, bootstrap resamples; default 10,000 */
  resamples?: number;
  /** confidence level in (0, 1); default 0.95 */
  confidence?: number;
  /** seed of the resampling streams; default 0 */
  seed?: number;
}

export interface MedianRatioResult {
  /** median(y) / median(x) of the observed samples */
  ratio: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
}

/** Largest sample for which `Xoshiro128.below` is exact. */
const MAX_VALUES = 2 ** 21;

/** Median of `v`, which it sorts in place. */
function medianInPlace(v: Float64Array): number {
  v.sort();
  const h = v.length >> 1;
  return v.length % 2 === 1 ? (v[h] as number) : ((v[h - 1] as number) + (v[h] as number)) / 2;
}

function positiveSample(fn: string, name: string, s: Scores): Float64Array {
  if (s === null || typeof s !== 'object' || typeof s.length !== 'number') throw new TypeError(`${fn}: ${name} must be an array of numbers`);
  if (s.length < 1 || s.length > MAX_VALUES) throw new RangeError(`${fn}: ${name} must hold 1 to ${MAX_VALUES} values, got ${s.length}`);
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${typeof v}`);
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${fn}: ${name}[${i}] must be a positive finite number, got ${v}`);
    out[i] = v;
  }
  return out;
}

/** The median of positive finite values. */
export function median(values: Scores): number {
  return medianInPlace(positiveSample('median', 'values', values));
}

/**
 * Ratio median(y) / median(x) with its percentile bootstrap interval.
 * @throws TypeError / RangeError for bad input or options (values must be positive and finite).
 */
export function medianRatioCI(x: Scores, y: Scores, options: MedianRatioOptions = {}): MedianRatioResult {
  const fn = 'medianRatioCI';
  const { resamples = 10_000, confidence = 0.95, seed = 0 } = options;
  checkInteger(fn, 'resamples', resamples, 2);
  checkOpenUnit(fn, 'confidence', confidence);
  checkSeed(seed, `${fn}: seed`);
  const xs = positiveSample(fn, 'x', x);
  const ys = positiveSample(fn, 'y', y);
  const ratio = medianInPlace(ys.slice()) / medianInPlace(xs.slice());
  const rx = new Float64Array(xs.length);
  const ry = new Float64Array(ys.length);
  const ratios = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    const rng = stream(seed, b, STREAM_MEDIAN_RATIO);
    for (let i = 0; i < rx.length; i++) rx[i] = xs[rng.below(xs.length)] as number;
    for (let i = 0; i < ry.length; i++) ry[i] = ys[rng.below(ys.length)] as number;
    ratios[b] = medianInPlace(ry) / medianInPlace(rx);
  }
  ratios.sort();
  const alpha = (1 - confidence) / 2;
  return { ratio, low: quantileSorted(ratios, alpha), high: quantileSorted(ratios, 1 - alpha), confidence, resamples, seed };
}
