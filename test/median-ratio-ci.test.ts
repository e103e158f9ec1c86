/**
 * The bootstrap interval of a ratio of medians: the point ratio, reproducibility under a seed,
 * coverage of the true ratio on lognormal samples near the nominal 95%, and the input errors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { median, medianRatioCI } from '../src/eval/significance/index.js';
import { rng } from '../src/random.js';

function lognormal(n: number, mu: number, sigma: number, seed: number): number[] {
  const u = rng(seed);
  return Array.from({ length: n }, () => Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())));
}

describe('medianRatioCI', () => {
  it('the ratio is median(y) / median(x), numpy medians', () => {
    assert.equal(median([3, 1, 2, 10]), 2.5);
    const r = medianRatioCI([1, 2, 3], [2, 4, 6, 100], { resamples: 200 });
    assert.equal(r.ratio, 5 / 2);
    assert.ok(r.low <= r.ratio && r.ratio <= r.high);
  });
  it('is reproducible under a seed and moves with it', () => {
    const x = lognormal(15, 0, 0.1, 1);
    const y = lognormal(15, 0.1, 0.1, 2);
    assert.deepEqual(medianRatioCI(x, y, { seed: 7, resamples: 500 }), medianRatioCI(x, y, { seed: 7, resamples: 500 }));
    assert.notEqual(medianRatioCI(x, y, { seed: 7, resamples: 500 }).low, medianRatioCI(x, y, { seed: 8, resamples: 500 }).low);
  });
  it('covers the true ratio about 95% of the time (200 trials, n = 25 each)', () => {
    const truth = Math.exp(0.2);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const r = medianRatioCI(lognormal(25, 0, 0.15, 1000 + t), lognormal(25, 0.2, 0.15, 5000 + t), { resamples: 1000, seed: t });
      if (r.low <= truth && truth <= r.high) covered++;
    }
    // Binomial(200, 0.95) lies in [180, 198] with probability > 0.999; the percentile interval of a
    // median is slightly conservative at this n, never far below nominal.
    assert.ok(covered >= 180, `covered ${covered} of ${trials}`);
  });
  it('rejects non-positive values and bad options', () => {
    assert.throws(() => medianRatioCI([1, 0], [1]), { name: 'RangeError', message: 'medianRatioCI: x[1] must be a positive finite number, got 0' });
    assert.throws(() => medianRatioCI([1], []), { name: 'RangeError', message: 'medianRatioCI: y must hold 1 to 2097152 values, got 0' });
    assert.throws(() => medianRatioCI([1], [1], { confidence: 1 }), { name: 'RangeError', message: 'medianRatioCI: confidence must be in (0, 1), got 1' });
  });
});
