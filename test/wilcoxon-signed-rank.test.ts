/**
 * Wilcoxon signed-rank options beyond the shared reference file: scipy 1.17's `auto` rule (exact,
 * exact sign-flip permutation, or normal approximation), the continuity correction, the exact test
 * with tied ranks, and the null distribution. Expected p-values were computed with scipy 1.17.1,
 * `wilcoxon(b, a, zero_method=…, correction=…, method=…)`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wilcoxonNullDistribution, wilcoxonSignedRank, type WilcoxonZeroMethod } from '../src/eval/significance/index.js';

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= Math.max(1e-12, 1e-9 * Math.abs(expected)), `${what}: got ${actual}, scipy ${expected}`);
}

const ZEROS_8 = {
  a: [1 / 3, 0, 1, 1, 0.25, 0.25, 0.5, 0.25],
  b: [0.25, 0.2, 0.25, 0.5, 0, 0, 0.5, 0.2],
};
const TIES_13 = {
  a: [0, 0.2, 0, 1, 0.25, 0.5, 0, 0.1, 0.1, 0.25, 1, 1 / 3, 0.25],
  b: [1, 0.1, 0.1, 1 / 3, 0.5, 0.1, 0.1, 0.25, 0.5, 0.1, 0.5, 0.25, 1 / 3],
};
const ZEROS_14 = {
  a: [1, 0, 0.2, 0, 0.5, 0.25, 0.1, 0, 0.5, 0.1, 0.5, 0.2, 0.25, 0],
  b: [0.25, 0, 0.1, 1, 1, 0.25, 1, 0.1, 1 / 3, 1 / 3, 1, 0, 1 / 3, 0.1],
};
const UNTIED_10 = {
  a: [0.9878715818465336, 0.11675648510158831, 0.17680755913689605, 0.574952933829019, 0.44627303628963466, 0.750392191327833, 0.19055724815811337, 0.9144277615599194, 0.21719484630772246, 0.7691109901866398],
  b: [0.9972963426336009, -0.04222991961222883, 0.2906252494742056, 0.37555768888749336, 0.27488683141933795, 1.0563256456965908, 0.059466636279184526, 1.1806992754261871, 0.5720664470642839, 0.8709762816819884],
};

interface Expected {
  data: { a: number[]; b: number[] };
  zeroMethod: WilcoxonZeroMethod;
  statistic: number;
  auto: { method: 'exact' | 'approx' | 'permutation'; p: number };
  approxCorrected: number;
  exact: number;
}

const CASES: [string, Expected][] = [
  ['8 pairs with zeros, wilcox', { data: ZEROS_8, zeroMethod: 'wilcox', statistic: 3, auto: { method: 'permutation', p: 0.078125 }, approxCorrected: 0.07540356287126336, exact: 0.078125 }],
  ['8 pairs with zeros, pratt', { data: ZEROS_8, zeroMethod: 'pratt', statistic: 4, auto: { method: 'permutation', p: 0.0625 }, approxCorrected: 0.06768567343276796, exact: 0.0546875 }],
  ['13 pairs with tied |d|', { data: TIES_13, zeroMethod: 'wilcox', statistic: 44.5, auto: { method: 'permutation', p: 0.96240234375 }, approxCorrected: 0.9720656012802238, exact: 1 }],
  ['14 pairs with zeros, wilcox', { data: ZEROS_14, zeroMethod: 'wilcox', statistic: 24, auto: { method: 'approx', p: 0.2384116200467845 }, approxCorrected: 0.25442490905724924, exact: 0.26611328125 }],
  ['14 pairs with zeros, pratt', { data: ZEROS_14, zeroMethod: 'pratt', statistic: 32, auto: { method: 'approx', p: 0.2312346673019018 }, approxCorrected: 0.24374401057339, exact: 0.2957763671875 }],
  ['10 untied pairs', { data: UNTIED_10, zeroMethod: 'wilcox', statistic: 22, auto: { method: 'exact', p: 0.625 }, approxCorrected: 0.6102986559765544, exact: 0.625 }],
];

describe('wilcoxonSignedRank matches scipy 1.17 options', () => {
  for (const [name, e] of CASES) {
    const { a, b } = e.data;
    it(`${name}: method auto resolves as scipy does`, () => {
      const r = wilcoxonSignedRank(a, b, { zeroMethod: e.zeroMethod });
      assert.equal(r.method, e.auto.method);
      assert.equal(r.statistic, e.statistic);
      close(r.pValue, e.auto.p, 'auto p');
    });
    it(`${name}: continuity-corrected normal approximation`, () => {
      const r = wilcoxonSignedRank(a, b, { zeroMethod: e.zeroMethod, method: 'approx', correction: true });
      assert.equal(r.statistic, e.statistic);
      close(r.pValue, e.approxCorrected, 'corrected p');
      assert.ok(r.zStatistic <= 0, 'z is reported as −|z|');
    });
    it(`${name}: exact null distribution, ties rounded conservatively`, () => {
      close(wilcoxonSignedRank(a, b, { zeroMethod: e.zeroMethod, method: 'exact' }).pValue, e.exact, 'exact p');
    });
  }

  it('more than 50 pairs always use the normal approximation under auto', () => {
    const a = Array.from({ length: 51 }, (_, i) => i / 51);
    const b = a.map((v, i) => v + ((i % 3 === 0 ? -1 : 1) * (i + 1) * Math.SQRT2) / 100); // |d| all distinct
    assert.equal(wilcoxonSignedRank(a, b).method, 'approx');
    assert.equal(wilcoxonSignedRank(a.slice(0, 50), b.slice(0, 50)).method, 'exact');
  });

  it('reports min(R+, R−) and the rank sums (hand-worked: d = 3, −1, 2, 0)', () => {
    const r = wilcoxonSignedRank([0, 1, 0, 5], [3, 0, 2, 5], { method: 'exact' });
    // zeros dropped (wilcox); |d| = 3, 1, 2 → ranks 3, 1, 2; R+ = 5, R− = 1
    assert.deepEqual([r.rPlus, r.rMinus, r.statistic, r.n, r.zeros], [5, 1, 1, 3, 1]);
    // n = 3: P(R+ ≥ 5) = 2/8, P(R+ ≤ 5) = 7/8 → p = 2 · 2/8
    assert.equal(r.pValue, 0.5);
  });

  it('all differences zero: exact p = 1, approximate p = NaN (as scipy)', () => {
    assert.equal(wilcoxonSignedRank([1, 2], [1, 2], { method: 'exact' }).pValue, 1);
    assert.ok(Number.isNaN(wilcoxonSignedRank([1, 2], [1, 2], { method: 'approx' }).pValue));
    assert.equal(wilcoxonSignedRank([1, 2], [1, 2]).pValue, 1);
  });
});

describe('wilcoxonNullDistribution', () => {
  it('n = 3: subset sums of {1, 2, 3} over 8 sign patterns', () => {
    assert.deepEqual(Array.from(wilcoxonNullDistribution(3), (p) => p * 8), [1, 1, 1, 2, 1, 1, 1]);
  });
  it('is symmetric and sums to 1 for n = 30', () => {
    const pmf = wilcoxonNullDistribution(30);
    assert.equal(pmf.length, (30 * 31) / 2 + 1);
    close(pmf.reduce((s, p) => s + p, 0), 1, 'total');
    for (let k = 0; k < pmf.length; k++) assert.equal(pmf[k], pmf[pmf.length - 1 - k]);
  });
});
