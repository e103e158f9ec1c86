/**
 * Paired bootstrap confidence intervals of mean(b − a). The pinned intervals were checked by feeding
 * this bootstrap distribution (same seed, same streams) to scipy 1.17.1's `_bca_interval` and
 * `stats.quantile`, i.e. `scipy.stats.bootstrap(..., method='BCa' | 'percentile')` minus its
 * own resampling.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapCI } from '../src/eval/significance/index.js';

function scores(n: number, seed: number, levels = 10): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return Math.floor((s / 2147483647) * levels) / levels;
  });
}

const a = scores(40, 21);
const b = scores(40, 22).map((v, i) => (i % 4 === 0 ? Math.min(1, v + 0.3) : v));
const near = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y));

describe('bootstrapCI', () => {
  it('BCa interval as scipy computes it from the same bootstrap distribution', () => {
    const r = bootstrapCI(a, b, { resamples: 2000, seed: 42, confidence: 0.9 });
    assert.equal(r.method, 'bca');
    assert.ok(near(r.statistic, 0.03));
    assert.ok(near(r.low, -0.0975) && near(r.high, 0.1625), `${r.low} ${r.high}`);
    assert.ok(near(r.standardError, 0.0798253605850532), `${r.standardError}`);
  });

  it('percentile interval: type-7 quantiles at α/2 and 1 − α/2', () => {
    const r = bootstrapCI(a, b, { resamples: 2000, seed: 42, confidence: 0.9, method: 'percentile' });
    assert.ok(near(r.low, -0.1025) && near(r.high, 0.1575), `${r.low} ${r.high}`);
  });

  it('is seeded: the same seed repeats, another differs', () => {
    const r = bootstrapCI(a, b, { resamples: 500, seed: 1 });
    assert.deepEqual(bootstrapCI(a, b, { resamples: 500, seed: 1 }), r);
    assert.notDeepEqual(bootstrapCI(a, b, { resamples: 500, seed: 2 }), r);
  });

  it('constant differences give the single point (where scipy returns NaN for BCa)', () => {
    const r = bootstrapCI([0.5, 0.25, 0], [0.75, 0.5, 0.25], { resamples: 100 });
    assert.equal(r.statistic, 0.25);
    assert.equal(r.low, r.statistic);
    assert.equal(r.high, r.statistic);
  });

  it('a wider confidence level gives a wider interval around the mean', () => {
    const x = scores(400, 31, 100);
    const y = scores(400, 32, 100);
    const r90 = bootstrapCI(x, y, { confidence: 0.9, resamples: 3000 });
    const r99 = bootstrapCI(x, y, { confidence: 0.99, resamples: 3000 });
    assert.ok(r99.low < r90.low && r90.low < r90.statistic && r90.statistic < r90.high && r90.high < r99.high);
    // For a mean of 400 values the bootstrap SE is close to sd/√n.
    const d = x.map((v, i) => y[i]! - v);
    const m = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / (d.length - 1));
    assert.ok(Math.abs(r90.standardError / (sd / Math.sqrt(d.length)) - 1) < 0.1);
  });
});
