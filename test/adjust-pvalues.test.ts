/** Multiple-comparison adjustments on hand-worked cases: Bonferroni, Holm (1979), Benjamini–Hochberg (1995). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjustPValues } from '../src/eval/significance/index.js';

const near = (got: number[], want: number[]): void => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(Number.isNaN(want[i]!) ? Number.isNaN(g) : Math.abs(g - want[i]!) < 1e-15, `[${i}] ${g} vs ${want[i]}`));
};

describe('adjustPValues', () => {
  const p = [0.04, 0.01, 0.03, 0.2];

  it('bonferroni multiplies by m and caps at 1', () => near(adjustPValues(p, 'bonferroni'), [0.16, 0.04, 0.12, 0.8]));

  it('holm steps down and stays monotone', () => {
    // sorted 0.01, 0.03, 0.04, 0.2 → 4·0.01, 3·0.03, max(2·0.04, 0.09), max(1·0.2, 0.09)
    near(adjustPValues(p, 'holm'), [0.09, 0.04, 0.09, 0.2]);
  });

  it('bh steps up: minimum over the larger ranks of p·m/rank', () => {
    // sorted 0.01·4/1, 0.03·4/2, 0.04·4/3, 0.2·4/4 → cumulative minimum from the top
    near(adjustPValues(p, 'bh'), [0.04 * (4 / 3), 0.04, 0.04 * (4 / 3), 0.2]);
  });

  it('none leaves them alone', () => near(adjustPValues(p, 'none'), p));

  it('NaN stays NaN and does not count in m (as R p.adjust)', () => {
    near(adjustPValues([0.01, NaN, 0.02], 'bonferroni'), [0.02, NaN, 0.04]);
    near(adjustPValues([0.01, NaN, 0.02], 'holm'), [0.02, NaN, 0.02]);
  });

  it('caps at 1', () => {
    near(adjustPValues([0.9, 0.5], 'holm'), [1, 1]);
    near(adjustPValues([0.9, 0.5], 'bonferroni'), [1, 1]);
  });

  it('rejects bad input', () => {
    assert.throws(() => adjustPValues([0.5, 1.5], 'holm'), { name: 'RangeError', message: 'adjustPValues: pValues[1] must be in [0, 1], got 1.5' });
    assert.throws(() => adjustPValues([0.5], 'fdr' as 'bh'), { name: 'RangeError', message: 'adjustPValues: method must be one of bonferroni, holm, bh, none, got fdr' });
    assert.throws(() => adjustPValues(['x'] as unknown as number[], 'bh'), { name: 'TypeError', message: 'adjustPValues: pValues[0] must be a number, got string' });
  });
});
