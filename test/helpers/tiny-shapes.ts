// A synthetic image–text task of 8 classes — 4 colours × 2 shapes (a square in the top-left
// quadrant, a bar across the bottom) on noisy 8×8 RGB images (HWC float32) — with captions
// "<colour> <shape> <filler>" as token ids (vocabulary: 4 colours, 2 shapes, 4 fillers).
export const CLASSES = 8;
export const SIDE = 8;
export const VOCAB = 10;

export interface ShapesTask {
  pixels: Float32Array;
  ids: Int32Array;
  offsets: Uint32Array;
  cls: Int32Array;
}

/** A deterministic LCG (Numerical Recipes' constants) in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function shapesTask(perClass: number, seed: number): ShapesTask {
  const colours = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]];
  const rnd = lcg(seed);
  const n = CLASSES * perClass;
  const pixels = new Float32Array(n * SIDE * SIDE * 3);
  const ids = new Int32Array(n * 3);
  const offsets = Uint32Array.from({ length: n + 1 }, (_, i) => i * 3);
  const cls = new Int32Array(n);
  let at = 0;
  for (let k = 0; k < CLASSES; k++) {
    for (let r = 0; r < perClass; r++) {
      const i = k * perClass + r;
      for (let y = 0; y < SIDE; y++)
        for (let x = 0; x < SIDE; x++) {
          const on = k < 4 ? y < 4 && x < 4 : y >= 5 && y < 7;
          for (let c = 0; c < 3; c++) pixels[at++] = (on ? colours[k % 4]![c]! : 0.1) + 0.2 * rnd();
        }
      ids.set([k % 4, 4 + Math.floor(k / 4), 6 + Math.floor(rnd() * 4)], i * 3);
      cls[i] = k;
    }
  }
  return { pixels, ids, offsets, cls };
}

/** Batches of 8, one item of each class per batch (so in-batch negatives are never the same class). */
export function classBatches(steps: number, perClass: number, seed: number): Int32Array {
  const rnd = lcg(seed);
  const out = new Int32Array(steps * CLASSES);
  for (let s = 0; s < steps; s++) for (let k = 0; k < CLASSES; k++) out[s * CLASSES + k] = k * perClass + Math.floor(rnd() * perClass);
  return out;
}

/** Text→image R@1 over the items: caption i's nearest image is of caption i's class. */
export function textToImageR1(textEmb: Float32Array, imageEmb: Float32Array, dim: number, cls: Int32Array): number {
  const n = cls.length;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < dim; r++) s += textEmb[i * dim + r]! * imageEmb[j * dim + r]!;
      if (s > bestScore) (bestScore = s), (best = j);
    }
    if (cls[best] === cls[i]) hits++;
  }
  return hits / n;
}
