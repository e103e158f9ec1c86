/**
 * Mann–Whitney U against scipy 1.17.1's `mannwhitneyu(x, y)` (two-sided) on the committed cases in
 * fixtures/scipy/mannwhitneyu.json (regenerate with make_mannwhitneyu.py beside it): U₁ exactly, p
 * within 1e-9 relative; plus a hand-worked exact case and the input errors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mannWhitneyNullDistribution, mannWhitneyU, type MannWhitneyMethod } from '../src/eval/significance/index.js';

interface Case {
  kind: string;
  method: MannWhitneyMethod;
  x: number[];
  y: number[];
  statistic: number;
  pvalue: number;
}
const ref = JSON.parse(readFileSync(fileURLToPath(new URL('../../test/fixtures/scipy/mannwhitneyu.json', import.meta.url)), 'utf8')) as { scipy: string; cases: Case[] };

describe('Mann–Whitney U agrees with scipy', () => {
  it('was made by scipy 1.17.1 and covers both methods', () => {
    assert.equal(ref.scipy, '1.17.1');
    const methods = new Set(ref.cases.map((c) => mannWhitneyU(c.x, c.y, { method: c.method }).method));
    assert.deepEqual([...methods].sort(), ['asymptotic', 'exact']);
  });
  for (const c of ref.cases) {
    it(c.kind, () => {
      const r = mannWhitneyU(c.x, c.y, { method: c.method });
      assert.equal(r.statistic, c.statistic);
      const tol = Math.max(1e-14, 1e-9 * c.pvalue);
      assert.ok(Math.abs(r.pValue - c.pvalue) <= tol, `p ${r.pValue}, scipy ${c.pvalue}`);
    });
  }
});

describe('Mann–Whitney U by hand', () => {
  it('2 vs 2: U takes 0,1,2,2,3,4 over the 6 orderings', () => {
    assert.deepEqual(Array.from(mannWhitneyNullDistribution(2, 2), (p) => p * 6), [1, 1, 2, 1, 1]);
  });
  it('x = [1, 2], y = [3, 4]: U₁ = 0, exact p = 2·P(U ≥ 4) = 2/6', () => {
    const r = mannWhitneyU([1, 2], [3, 4]);
    assert.equal(r.method, 'exact');
    assert.equal(r.statistic, 0);
    assert.equal(r.pValue, 2 / 6);
  });
  it('the distribution is the same whichever sample is larger', () => {
    assert.deepEqual(mannWhitneyNullDistribution(3, 5), mannWhitneyNullDistribution(5, 3));
  });
  it('rejects bad input with messages naming the argument', () => {
    assert.throws(() => mannWhitneyU([], [1]), { name: 'RangeError', message: 'mannWhitneyU: needs at least 1 value in each sample, got 0 and 1' });
    assert.throws(() => mannWhitneyU([1, NaN], [1]), { name: 'RangeError', message: 'mannWhitneyU: x[1] must be finite, got NaN' });
    assert.throws(() => mannWhitneyU([1], [1], { method: 'perm' as 'exact' }), {
      name: 'RangeError',
      message: "mannWhitneyU: method must be 'auto', 'exact' or 'asymptotic', got perm",
    });
  });
});
