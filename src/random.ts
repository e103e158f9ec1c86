/**
 * The seeded random numbers of xmrbench, in one module; seeds are checked by args.ts's checkSeed.
 * Three generators, because three jobs need different guarantees (each keeps its exact output:
 * cached models, the study's numbers and the tests depend on it):
 *
 * - {@link rng} (mulberry32; Box–Muller for {@link randn}): a small sequential stream for synthetic
 *   data in tests, benchmarks and helpers, where only reproducibility under a seed matters.
 * - {@link textKey} / {@link draw} (augmentation): counter-based, a draw is a pure function of (seed,
 *   text index, token index, stream), so augmented output is identical whatever the batching or
 *   thread count (the idea of Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3", with
 *   MurmurHash3's 32-bit finaliser as the mixer).
 * - {@link stream} (resampling tests): resample b's randomness depends only on (seed, b), never on how
 *   resamples are split over threads. Stream b of a given purpose is xoshiro128** (Blackman & Vigna
 *   2018) whose 128-bit state is one block of Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011) with
 *   counter (b mod 2³², ⌊b / 2³²⌋, purpose, 0) and key (seed mod 2³², ⌊seed / 2³²⌋). Philox is
 *   checked against Random123's known-answer vectors in the tests.
 */

const TWO32 = 4294967296;

// ---- mulberry32: sequential synthetic data ----

/** Seeded pseudo-random numbers in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n standard-normal float32 values. */
export function randn(n: number, seed: number): Float32Array {
  const u = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/** n integers drawn uniformly from [lo, hi], as float32 (exact sums: real ties). */
export function randint(n: number, lo: number, hi: number, seed: number): Float32Array {
  const u = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + Math.floor(u() * (hi - lo + 1));
  return out;
}

// ---- counter-based draws for augmentation ----

/** MurmurHash3's fmix32: a bijective avalanche on 32-bit integers. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The key of one text's stream of draws: mixes the seed, the text's index and a salt (e.g. the field). */
export function textKey(seed: number, index: number, salt: number): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  // A seed ≥ 2³² (args.ts allows any safe integer) folds in its high word, so it does not alias the
  // seed of its low word; below 2³² the key, and so every draw, is what it always was.
  const high = Math.floor(seed / TWO32);
  if (high !== 0) h = fmix32(h ^ high);
  h = fmix32(h ^ Math.imul(index + 1, 0x27d4eb2f));
  return fmix32(h ^ Math.imul(salt + 1, 0x165667b1));
}

/** A uniform draw in [0, 1) for token `k` of a text, on one of two streams (0: switch?, 1: which language). */
export function draw(key: number, k: number, stream: 0 | 1): number {
  const h = fmix32(key ^ Math.imul(k + 1, 0xd3a2646c));
  return (stream === 0 ? h : fmix32(h ^ 0x5bd1e995)) / TWO32;
}

/** FNV-1a over UTF-16 code units then fmix32: a stable 32-bit hash of a string id. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

// ---- Philox-keyed xoshiro128** streams for resampling ----

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** Stream purposes: one per resampling procedure, so their streams never coincide. */
export const STREAM_RANDOMIZATION = 1;
export const STREAM_BOOTSTRAP = 2;

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
