/**
 * McNemar's test: scipy's values on the shared reference cases (../shared/reference/mcnemar.json,
 * `binomtest` exact and the mid-p formula) within 1e-9 relative, hand-worked cases, and bad input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mcnemarTest } from '../src/eval/significance/index.js';
import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';

interface Case {
  a: number[];
  b: number[];
  n01: number;
  n10: number;
  exact_two_sided: number;
  mid_p: number;
}

const skip = skipUnlessReference('mcnemar.json');
const cases: Case[] = skip ? [] : JSON.parse(readFileSync(path.join(referenceDir, 'mcnemar.json'), 'utf8')).cases;

function close(actual: number, expected: number, what: string): void {
  const tol = 1e-9 * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, scipy ${expected}`);
}

describe('McNemar against scipy binomtest', { skip }, () => {
  it('has the reference cases, small and large', () => {
    assert.ok(cases.length >= 10);
    assert.ok(cases.some((c) => c.n01 + c.n10 > 500));
    assert.ok(cases.some((c) => c.n01 + c.n10 === 0));
  });
  for (const [i, c] of cases.entries()) {
    it(`case ${i} (n01=${c.n01}, n10=${c.n10}): exact and mid-p`, () => {
      const e = mcnemarTest(c.a, c.b);
      assert.equal(e.n01, c.n01);
      assert.equal(e.n10, c.n10);
      assert.equal(e.statistic, Math.min(c.n01, c.n10));
      close(e.pValue, c.exact_two_sided, 'exact p');
      close(mcnemarTest(c.a, c.b, { method: 'mid-p' }).pValue, c.mid_p, 'mid-p');
    });
  }
});

describe('McNemar by hand', () => {
  it('n01 = 2, n10 = 1: F(1; 3, ½) = 4/8, so exact p = 1 and mid-p = 1 − 3/8', () => {
    const a = [1, 1, 0, 0, 1, 0];
    const b = [0, 1, 1, 1, 1, 0];
    const e = mcnemarTest(a, b);
    assert.deepEqual({ n01: e.n01, n10: e.n10, statistic: e.statistic }, { n01: 2, n10: 1, statistic: 1 });
    assert.equal(e.pValue, 1);
    assert.equal(mcnemarTest(a, b, { method: 'mid-p' }).pValue, 0.625);
  });
  it('five discordant pairs all one way: p = 2/32, mid-p = 1/32', () => {
    const a = [1, 1, 1, 1, 1, 1];
    const b = [0, 0, 0, 0, 0, 1];
    assert.equal(mcnemarTest(a, b).pValue, 2 / 32);
    assert.equal(mcnemarTest(a, b, { method: 'mid-p' }).pValue, 1 / 32);
    // Swapping the systems swaps n01 and n10 but not p.
    const s = mcnemarTest(b, a);
    assert.deepEqual([s.n01, s.n10, s.pValue], [5, 0, 2 / 32]);
  });
  it('no discordant pair and a balanced split both give p = 1', () => {
    assert.equal(mcnemarTest([1, 0], [1, 0]).pValue, 1);
    assert.equal(mcnemarTest([1, 0], [0, 1], { method: 'mid-p' }).pValue, 1);
  });
  it('1,000 discordant pairs 400/600 keep full relative precision in a tiny p', () => {
    const a = [...Array(400).fill(0), ...Array(600).fill(1)];
    const b = a.map((x) => 1 - x);
    // 2·F(400; 1000, ½) from the exact integer sum, computed with BigInt.
    let c = 1n;
    let s = 1n;
    for (let i = 1; i <= 400; i++) {
      c = (c * BigInt(1000 - i + 1)) / BigInt(i);
      s += c;
    }
    const expected = Number((2n * s * 10n ** 40n) / 2n ** 1000n) / 1e40;
    close(mcnemarTest(a, b).pValue, expected, 'exact p');
  });
});

describe('McNemar input errors', () => {
  it('rejects values other than 0 and 1, naming the position', () => {
    assert.throws(() => mcnemarTest([0, 0.5], [1, 1]), { name: 'RangeError', message: 'mcnemarTest: a[1] must be 0 or 1 (a hit or a miss), got 0.5' });
    assert.throws(() => mcnemarTest([0, 1], [2, 1]), { name: 'RangeError', message: 'mcnemarTest: b[0] must be 0 or 1 (a hit or a miss), got 2' });
  });
  it('rejects unequal lengths and an unknown method', () => {
    assert.throws(() => mcnemarTest([0, 1], [1]), { name: 'RangeError', message: 'mcnemarTest: a and b must have the same length, got 2 and 1' });
    // @ts-expect-error: a method that does not exist
    assert.throws(() => mcnemarTest([0], [1], { method: 'asymptotic' }), { name: 'TypeError', message: 'mcnemarTest: method must be one of exact, mid-p, got asymptotic' });
  });
});
