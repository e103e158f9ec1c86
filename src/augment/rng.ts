/**
 * Counter-based random numbers: a draw is a pure function of (seed, text index, token index, stream),
 * so augmented output is identical whatever the batching or thread count (the idea of Salmon et al. 2011,
 * "Parallel random numbers: as easy as 1, 2, 3", with MurmurHash3's 32-bit finaliser as the mixer).
 */

/** MurmurHash3's fmix32: a bijective avalanche on 32-bit integers. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

/** The key of one text's stream of draws: mixes the seed, the text's index and a salt (e.g. the field). */
export function textKey(seed: number, index: number, salt: number): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(index + 1, 0x27d4eb2f));
  return fmix32(h ^ Math.imul(salt + 1, 0x165667b1));
}

/** A uniform draw in [0, 1) for token `k` of a text, on one of two streams (0: switch?, 1: which language). */
export function draw(key: number, k: number, stream: 0 | 1): number {
  const h = fmix32(key ^ Math.imul(k + 1, 0xd3a2646c));
  return (stream === 0 ? h : fmix32(h ^ 0x5bd1e995)) / TWO_POW_32;
}

/** FNV-1a over UTF-16 code units then fmix32: a stable 32-bit hash of a string id. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** Validates a seed argument: an integer in [0, 2^32). */
export function checkSeed(seed: number, name = 'seed'): number {
  if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_32) throw new RangeError(`${name} must be an integer in [0, 2^32), got ${seed}`);
  return seed;
}
