// Procrustes on a planted rotation (to 1e-5) and MUSE's refinement loop (data/lexicons/refine.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn } from '../src/random.js';
import { evaluateBli } from '../src/data/lexicons/bli.js';
import { mapSpace, procrustes, toSpace } from '../src/data/lexicons/induction.js';
import type { Space } from '../src/data/lexicons/induction.js';
import { jacobiSvd } from '../src/data/lexicons/svd.js';
import { refineProcrustes } from '../src/data/lexicons/refine.js';

/** A random d×d rotation: U·Vᵀ of the SVD of a Gaussian matrix. */
function rotation(d: number, seed: number): Float64Array {
  const { u, v } = jacobiSvd(Float64Array.from(randn(d * d, seed)), d);
  const r = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) for (let k = 0; k < d; k++) r[a * d + b]! += u[a * d + k]! * v[b * d + k]!;
  return r;
}

/** Source words s0…, target words t0… with t_i = s_i·R + noise, targets stored in reverse order. */
function planted(n: number, d: number, r: Float64Array, noise: number, seed: number): { src: Space; tgt: Space } {
  const src = toSpace({ words: Array.from({ length: n }, (_, i) => `s${i}`), dim: d, vectors: randn(n * d, seed) });
  const eps = randn(n * d, seed + 1);
  const y = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = n - 1 - i;
    for (let b = 0; b < d; b++) {
      let x = 0;
      for (let a = 0; a < d; a++) x += src.vectors[i * d + a]! * r[a * d + b]!;
      y[row * d + b] = x + noise * eps[i * d + b]!;
    }
  }
  return { src, tgt: toSpace({ words: Array.from({ length: n }, (_, i) => `t${n - 1 - i}`), dim: d, vectors: y }) };
}

test('Procrustes recovers a planted 64-d rotation to 1e-5, and the map is orthogonal', () => {
  const d = 64;
  const r = rotation(d, 11);
  const { src, tgt } = planted(500, d, r, 0, 12);
  const { w, pairs } = procrustes(src, tgt, Array.from({ length: 300 }, (_, i) => [`s${i}`, `t${i}`] as const));
  assert.equal(pairs, 300);
  let worst = 0;
  for (let i = 0; i < d * d; i++) worst = Math.max(worst, Math.abs(w[i]! - r[i]!));
  assert.ok(worst < 1e-5, `max |W − R| = ${worst}`);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let x = 0;
    for (let k = 0; k < d; k++) x += w[k * d + a]! * w[k * d + b]!;
    assert.ok(Math.abs(x - (a === b ? 1 : 0)) < 1e-9);
  }
});

test('refinement from a small noisy seed raises MUSE\'s criterion and BLI precision, and keeps its best iteration', () => {
  const d = 20;
  const n = 1500;
  const { src, tgt } = planted(n, d, rotation(d, 21), 0.1, 22);
  // 40 seed pairs, the last 12 of them wrong (a shifted target).
  const seed = Array.from({ length: 40 }, (_, i) => [`s${i}`, `t${i < 28 ? i : i + 500}`] as const);
  const sup = procrustes(src, tgt, seed);
  const testWords = new Map(Array.from({ length: 300 }, (_, i) => [`s${1000 + i}`, new Set([`t${1000 + i}`])]));
  const before = evaluateBli(mapSpace(src, sup.w), tgt, testWords, { knn: 10 });
  const seen: number[] = [];
  const r = refineProcrustes(src, tgt, sup.w, sup.pairs, { iterations: 3, refineWords: 1000, knn: 10, threads: 2, onIteration: (it) => seen.push(it.iteration) });
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.equal(r.iterations[0]!.pairs, 40);
  const criteria = r.iterations.map((it) => it.criterion);
  assert.equal(r.iterations[r.best]!.criterion, Math.max(...criteria));
  assert.ok(r.best > 0, `kept iteration ${r.best}, criteria ${criteria}`);
  assert.ok(criteria[r.best]! > criteria[0]!);
  for (const it of r.iterations.slice(1)) assert.ok(it.pairs > 100 && it.pairs <= 1000, `${it.pairs} mutual pairs`);
  const after = evaluateBli(mapSpace(src, r.w), tgt, testWords, { knn: 10 });
  assert.ok(after.csls.p1 > before.csls.p1 && after.nn.p1 > before.nn.p1, `P@1 before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  assert.ok(after.csls.p5 >= after.csls.p1 && after.nn.p5 >= after.nn.p1);
  // With no iterations the loop only scores the given map.
  const none = refineProcrustes(src, tgt, sup.w, sup.pairs, { iterations: 0 });
  assert.equal(none.best, 0);
  assert.equal(none.w, sup.w);
  assert.equal(none.iterations.length, 1);
});
