/**
 * Paired randomization test (Fisher 1935; the sign-flip form used for IR by Smucker, Allan &
 * Carterette 2007), two-sided, on the mean of d = b − a.
 *
 * Under H₀ each difference is equally likely to have either sign. A sign assignment is at least as
 * extreme as the observed data when |Σ sᵢdᵢ| ≥ |Σ dᵢ| − τ, where τ = 10⁻⁹ · Σ|dᵢ| absorbs floating
 * error between sums that are equal in exact arithmetic (IR metric differences take few distinct
 * values, so such ties are common; 10⁻⁹ of the largest possible |sum| is far above rounding error
 * and far below any real difference). The statistic is the sum; its mean orders the same.
 *
 * - exact: when 2ⁿ ≤ `permutations` (at most 2³⁰), all 2ⁿ assignments are enumerated and
 *   p = hits / 2ⁿ, as counting |mean| ≥ observed |mean| over every sign flip.
 * - Monte Carlo: otherwise B = `permutations` random assignments, p = (hits + 1) / (B + 1)
 *   (Phipson & Smyth 2010). Assignment b's signs come from stream (seed, b) of `src/random.ts`, so the
 *   result is identical whatever the number of threads.
 *
 * Speed: the signs of 8 consecutive queries are one byte of a 32-bit random word, and a table of
 * the 256 subset sums of each 8-query block turns a permutation into n/8 lookups.
 */
import { Worker } from 'node:worker_threads';
import { checkInteger, pairedDifferences, type Scores } from './paired.js';
import { checkSeed } from '../../args.js';
import { stream, STREAM_RANDOMIZATION } from '../../random.js';

export interface RandomizationOptions {
  /** B, random sign assignments; also the enumeration limit (exact when 2ⁿ ≤ B). Default 10,000. */
  permutations?: number;
  /** seed of the random streams; default 0 */
  seed?: number;
}

export interface RandomizationResult {
  /** observed mean difference, mean(b − a) */
  statistic: number;
  /** two-sided p-value */
  pValue: number;
  /** whether every sign assignment was enumerated */
  exact: boolean;
  /** assignments evaluated: 2ⁿ when exact, else B */
  permutations: number;
  /** assignments at least as extreme as the observed one */
  hits: number;
  seed: number;
}

/** Everything a thread needs to count hits over a range of assignments. */
export interface SignFlipPlan {
  /** per 8-query block k, 256 subset sums: table[k·256 + mask] = Σ_{j ∈ mask} d[8k + j] */
  table: Float64Array;
  /** 32-bit words of signs per assignment */
  words: number;
  /** Σ dᵢ */
  total: number;
  /** |Σ sᵢdᵢ| ≥ threshold counts as a hit */
  threshold: number;
  exact: boolean;
  seed: number;
}

const MAX_PERMUTATIONS = 2 ** 30;

function makePlan(d: Float64Array, permutations: number, seed: number): SignFlipPlan {
  const words = Math.ceil(d.length / 32);
  const table = new Float64Array(words * 4 * 256);
  let total = 0;
  let magnitude = 0;
  for (let i = 0; i < d.length; i++) {
    total += d[i] as number;
    magnitude += Math.abs(d[i] as number);
  }
  for (let block = 0; block * 8 < d.length; block++) {
    const base = block * 256;
    for (let mask = 1; mask < 256; mask++) {
      const low = 31 - Math.clz32(mask & -mask);
      const value = d[block * 8 + low] ?? 0;
      table[base + mask] = (table[base + (mask & (mask - 1))] as number) + value;
    }
  }
  const exact = d.length < 31 && 2 ** d.length <= permutations;
  return { table, words, total, threshold: Math.abs(total) - 1e-9 * magnitude, exact, seed };
}

/** |Σ sᵢdᵢ| for the sign assignment whose flipped queries are the set bits of `signs`. */
function flippedSum(plan: SignFlipPlan, signs: (w: number) => number): number {
  const { table } = plan;
  let flipped = 0;
  for (let w = 0, base = 0; w < plan.words; w++, base += 1024) {
    const x = signs(w);
    flipped +=
      (table[base + (x & 255)] as number) +
      (table[base + 256 + ((x >>> 8) & 255)] as number) +
      (table[base + 512 + ((x >>> 16) & 255)] as number) +
      (table[base + 768 + (x >>> 24)] as number);
  }
  return Math.abs(plan.total - 2 * flipped);
}

/** Hits among assignments [from, to): enumerated masks when exact, else streams (seed, b). */
export function countHits(plan: SignFlipPlan, from: number, to: number): number {
  let hits = 0;
  for (let b = from; b < to; b++) {
    let sum: number;
    if (plan.exact) {
      sum = flippedSum(plan, () => b); // n < 31, so one word holds every sign
    } else {
      const rng = stream(plan.seed, b, STREAM_RANDOMIZATION);
      sum = flippedSum(plan, () => rng.next());
    }
    if (sum >= plan.threshold) hits++;
  }
  return hits;
}

function prepare(fn: string, a: Scores, b: Scores, options: RandomizationOptions): { d: Float64Array; plan: SignFlipPlan; count: number } {
  const { permutations = 10_000, seed = 0 } = options;
  checkInteger(fn, 'permutations', permutations, 1, MAX_PERMUTATIONS);
  checkSeed(seed, `${fn}: seed`);
  const d = pairedDifferences(fn, a, b, 1);
  const plan = makePlan(d, permutations, seed);
  return { d, plan, count: plan.exact ? 2 ** d.length : permutations };
}

function finish(d: Float64Array, plan: SignFlipPlan, count: number, hits: number): RandomizationResult {
  const pValue = plan.exact ? hits / count : (hits + 1) / (count + 1);
  return { statistic: plan.total / d.length, pValue, exact: plan.exact, permutations: count, hits, seed: plan.seed };
}

/**
 * Paired randomization (sign-flip) test of system `b` against baseline `a`, on this thread.
 * @throws TypeError / RangeError for bad input or options.
 */
export function randomizationTest(a: Scores, b: Scores, options: RandomizationOptions = {}): RandomizationResult {
  const { d, plan, count } = prepare('randomizationTest', a, b, options);
  return finish(d, plan, count, countHits(plan, 0, count));
}

/**
 * The same test with the assignments split into `threads` contiguous ranges: the first on the
 * calling thread, the others on worker threads started before it. The result equals
 * `randomizationTest`'s for every thread count. Starting a worker costs tens of milliseconds, so
 * this pays only when one thread needs longer than that (about 10⁸ sign flips take 35 ms on one
 * thread; see src/bench/significance.ts).
 */
export async function randomizationTestParallel(
  a: Scores,
  b: Scores,
  options: RandomizationOptions & { threads: number },
): Promise<RandomizationResult> {
  const fn = 'randomizationTestParallel';
  checkInteger(fn, 'threads', options.threads, 1, 256);
  const { d, plan, count } = prepare(fn, a, b, options);
  const threads = Math.min(options.threads, count);
  const bound = (t: number): number => Math.floor((count * t) / threads);
  const script = new URL('./randomization-worker.js', import.meta.url);
  const workers = Array.from({ length: threads - 1 }, (_, k) => {
    return new Promise<number>((resolve, reject) => {
      const worker = new Worker(script, { workerData: { plan, from: bound(k + 1), to: bound(k + 2) } });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`${fn}: worker exited with code ${code}`)));
    });
  });
  const own = countHits(plan, 0, bound(1));
  const parts = await Promise.all(workers);
  return finish(d, plan, count, parts.reduce((s, h) => s + h, own));
}
