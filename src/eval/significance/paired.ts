/**
 * Input validation shared by the paired tests (and, one sample at a time, by the two-sample ones):
 * two equally long arrays of finite numbers, one value per query, `a` the baseline and `b` the
 * system. Every paired test works on the differences d = b − a, computed element by element exactly
 * as scipy does (`b - a` in float64), so zero and tie detection agree with scipy bit for bit.
 */

/** Per-query scores of one system: a plain array or any typed array of numbers. */
export type Scores = ArrayLike<number>;

export function checkScores(fn: string, name: string, x: Scores): void {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new TypeError(`${fn}: ${name} must be an array of numbers`);
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${typeof v}`);
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] must be finite, got ${v}`);
  }
}

/**
 * Validates a pair of score arrays and returns d = b − a.
 * @throws TypeError when either is not an array of numbers; RangeError for a non-finite value,
 *   mismatched lengths, or fewer than `minPairs` pairs.
 */
export function pairedDifferences(fn: string, a: Scores, b: Scores, minPairs: number): Float64Array {
  checkScores(fn, 'a', a);
  checkScores(fn, 'b', b);
  if (a.length !== b.length) {
    throw new RangeError(`${fn}: a and b must have the same length, got ${a.length} and ${b.length}`);
  }
  if (a.length < minPairs) {
    throw new RangeError(`${fn}: needs at least ${minPairs} pair${minPairs === 1 ? '' : 's'}, got ${a.length}`);
  }
  const d = new Float64Array(a.length);
  for (let i = 0; i < d.length; i++) d[i] = (b[i] as number) - (a[i] as number);
  return d;
}

/** Checks an integer option in [min, max]. */
export function checkInteger(fn: string, name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${fn}: ${name} must be an integer, got ${String(v)}`);
  if (v < min || v > max) throw new RangeError(`${fn}: ${name} must be in [${min}, ${max}], got ${v}`);
}

/** Checks a probability-like option strictly inside (0, 1). */
export function checkOpenUnit(fn: string, name: string, v: number): void {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof v}`);
  if (!(v > 0 && v < 1)) throw new RangeError(`${fn}: ${name} must be in (0, 1), got ${v}`);
}

/** Arithmetic mean (plain left-to-right sum). */
export function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/** Sample variance with ddof = 1, two-pass (sum of squared deviations from the mean). */
export function sampleVariance(x: Float64Array, m = mean(x)): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const e = (x[i] as number) - m;
    ss += e * e;
  }
  return ss / (x.length - 1);
}
