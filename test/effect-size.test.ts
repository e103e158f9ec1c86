/** Cohen's d_z and win/tie/loss counts on hand-worked cases. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cohensDz, pairedTTest, winTieLoss } from '../src/eval/significance/index.js';

describe('effect sizes', () => {
  it("Cohen's d_z = mean(d) / sd(d): d = 1, 2, 3 → 2 / 1", () => {
    assert.equal(cohensDz([0, 0, 0], [1, 2, 3]), 2);
    assert.equal(cohensDz([1, 2, 3], [0, 0, 0]), -2);
  });

  it("d_z equals the paired t statistic over √n", () => {
    const a = [0.1, 0.5, 0.2, 0.9, 0.4];
    const b = [0.3, 0.4, 0.6, 0.9, 0.8];
    const t = pairedTTest(a, b).statistic;
    assert.ok(Math.abs(cohensDz(a, b) - t / Math.sqrt(5)) < 1e-15);
  });

  it('d_z is NaN when every difference is zero', () => assert.ok(Number.isNaN(cohensDz([1, 2], [1, 2]))));

  it('win/tie/loss counts b against a', () => {
    assert.deepEqual(winTieLoss([0.1, 0.5, 0.2, 0.9, 0.4], [0.3, 0.4, 0.6, 0.9, 0.8]), { wins: 3, ties: 1, losses: 1 });
  });
});
