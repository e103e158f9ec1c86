/**
 * Counter-based random streams for the resampling tests, so that resample b's randomness depends
 * only on (seed, b) and never on how resamples are split over threads.
 *
 * Stream b of a given purpose is xoshiro128** (Blackman & Vigna 2018) whose 128-bit state is one
 * block of Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as
 * 1, 2, 3") with counter (b mod 2³², ⌊b / 2³²⌋, purpose, 0) and key (seed mod 2³², ⌊seed / 2³²⌋).
 * Philox is checked against Random123's known-answer vectors in the tests.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO32 = 4294967296;

/** Stream purposes: one per resampling procedure, so their streams never coincide. */
export const STREAM_RANDOMIZATION = 1;
export const STREAM_BOOTSTRAP = 2;
export const STREAM_MEDIAN_RATIO = 3;

/**
 * High 32 bits of the 64-bit product of two uint32. The double product is within 2¹² of the exact
 * one and the low word is exact (`Math.imul`), so rounding recovers the high word exactly.
 */
function mulhi(a: number, b: number): number {
  const lo = Math.imul(a, b) >>> 0;
  return Math.round((a * b - lo) / TWO32) >>> 0;
}

/** Philox4x32-10: one 128-bit block for a 128-bit counter and a 64-bit key (all uint32 words). */
export function philox4x32(counter: readonly [number, number, number, number], key: readonly [number, number]): Uint32Array {
  let [c0, c1, c2, c3] = counter;
  let [k0, k1] = key;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi0 = mulhi(M0, c0);
    const lo1 = Math.imul(M1, c2) >>> 0;
    const hi1 = mulhi(M1, c2);
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  return Uint32Array.of(c0, c1, c2, c3);
}

/** Checks a seed: a non-negative safe integer. */
export function checkSeed(fn: string, seed: number): void {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`${fn}: seed must be a non-negative safe integer, got ${String(seed)}`);
  }
}

/** xoshiro128**: a small, fast 32-bit generator; its state comes from `stream`. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: Uint32Array) {
    this.s0 = state[0] as number;
    this.s1 = state[1] as number;
    this.s2 = state[2] as number;
    this.s3 = state[3] as number;
    // The all-zero state is xoshiro's only fixed point (probability 2⁻¹²⁸); move off it.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uint32. */
  next(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /**
   * Uniform integer in [0, n), n ≤ 2²¹, unbiased (Lemire 2019, multiply and reject): w·n is exact
   * in a double for such n, its low word decides rejection and its high word is the result.
   */
  below(n: number): number {
    let m = this.next() * n;
    let lo = m >>> 0;
    if (lo < n) {
      const threshold = TWO32 % n;
      while (lo < threshold) {
        m = this.next() * n;
        lo = m >>> 0;
      }
    }
    return (m - lo) / TWO32;
  }
}

/** The generator of resample `index` for `purpose` under `seed`. */
export function stream(seed: number, index: number, purpose: number): Xoshiro128 {
  const block = philox4x32([index >>> 0, Math.floor(index / TWO32) >>> 0, purpose, 0], [seed >>> 0, Math.floor(seed / TWO32) >>> 0]);
  return new Xoshiro128(block);
}
