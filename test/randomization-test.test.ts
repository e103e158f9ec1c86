/**
 * The paired randomization (sign-flip) test: exact enumeration on hand-worked cases, the Monte Carlo
 * estimate p = (hits + 1)/(B + 1), seeding, and identical results whatever the thread count.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomizationTest, randomizationTestParallel } from '../src/eval/significance/index.js';

/** Deterministic pseudo-random scores in [0, 1) quantised like an IR metric (Park–Miller LCG). */
function scores(n: number, seed: number, levels = 10): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return Math.floor((s / 2147483647) * levels) / levels;
  });
}

describe('randomizationTest', () => {
  it('enumerates all sign flips when 2^n ≤ permutations (d = 1, 2, 3)', () => {
    // ±1 ± 2 ± 3 ∈ {6, 4, 2, 0, 0, −2, −4, −6}: |sum| ≥ 6 for 2 of 8
    const r = randomizationTest([0, 0, 0], [1, 2, 3], { permutations: 8 });
    assert.deepEqual({ ...r }, { statistic: 2, pValue: 0.25, exact: true, permutations: 8, hits: 2, seed: 0 });
  });

  it('counts sums equal in exact arithmetic as ties despite rounding', () => {
    // Reciprocal-rank differences: in rational arithmetic 50 of the 64 sign flips reach the observed
    // |sum|; comparing the rounded sums without the tolerance finds only 48.
    const r = randomizationTest([1 / 3, 0.2, 1 / 6, 0.2, 0.125, 0.2], [0.25, 1 / 9, 0.25, 0.25, 0.5, 0.125], { permutations: 64 });
    assert.equal(r.hits, 50);
    assert.equal(r.pValue, 50 / 64);
  });

  it('falls back to Monte Carlo when 2^n > permutations: p = (hits + 1)/(B + 1)', () => {
    const a = scores(14, 1);
    const b = scores(14, 2);
    const r = randomizationTest(a, b, { permutations: 1000, seed: 7 });
    assert.equal(r.exact, false);
    assert.equal(r.permutations, 1000);
    assert.equal(r.pValue, (r.hits + 1) / 1001);
  });

  it('Monte Carlo estimate agrees with exact enumeration within sampling error (n = 16)', () => {
    const a = scores(16, 3);
    const b = scores(16, 4);
    const exact = randomizationTest(a, b, { permutations: 2 ** 16 });
    assert.equal(exact.exact, true);
    const mc = randomizationTest(a, b, { permutations: 20_000, seed: 11 });
    const se = Math.sqrt((exact.pValue * (1 - exact.pValue)) / 20_000);
    assert.ok(Math.abs(mc.pValue - exact.pValue) < 4 * se + 1e-4, `MC ${mc.pValue} vs exact ${exact.pValue}`);
  });

  it('is seeded: the same seed repeats, another seed differs', () => {
    const a = scores(300, 5);
    const b = scores(300, 6);
    const r1 = randomizationTest(a, b, { permutations: 2000, seed: 1 });
    assert.deepEqual(randomizationTest(a, b, { permutations: 2000, seed: 1 }), r1);
    assert.notEqual(randomizationTest(a, b, { permutations: 2000, seed: 2 }).hits, r1.hits);
  });

  it('a large effect is significant, no effect is not', () => {
    const a = scores(500, 8);
    const better = Float64Array.from(a, (v, i) => v + (i % 3 === 0 ? 0.1 : 0));
    assert.equal(randomizationTest(a, better).pValue, 1 / 10_001);
    assert.equal(randomizationTest(a, a).pValue, 1);
  });
});

describe('randomizationTestParallel', () => {
  it('gives the identical result on 1, 2 and 3 threads (Monte Carlo and exact)', async () => {
    const a = scores(1000, 9);
    const b = scores(1000, 10);
    const one = randomizationTest(a, b, { permutations: 3001, seed: 5 });
    for (const threads of [1, 2, 3]) {
      assert.deepEqual(await randomizationTestParallel(a, b, { permutations: 3001, seed: 5, threads }), one, `${threads} threads`);
    }
    const small = randomizationTest(a.subarray(0, 12), b.subarray(0, 12), { permutations: 4096 });
    assert.equal(small.exact, true);
    assert.deepEqual(await randomizationTestParallel(a.subarray(0, 12), b.subarray(0, 12), { permutations: 4096, threads: 2 }), small);
  });
});
