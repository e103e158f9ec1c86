/**
 * Agreement with scipy 1.17.1 on the shared reference cases (../shared/reference/significance.json,
 * see its README): paired t-test, Wilcoxon (approx under both zero methods, exact), Cohen's d_z
 * within 1e-9 relative (1e-12 absolute); the exact sign-flip p-values exactly; the three p-value
 * corrections within the same tolerance.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { adjustPValues, cohensDz, pairedTTest, randomizationTest, wilcoxonSignedRank } from '../src/eval/significance/index.js';
import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';

interface StatP {
  statistic: number;
  pvalue: number;
}
interface Case {
  kind: string;
  n: number;
  a: number[];
  b: number[];
  ttest_rel: StatP;
  wilcoxon_approx_wilcox: StatP;
  wilcoxon_approx_pratt: StatP;
  wilcoxon_exact?: StatP;
  permutation_exact_two_sided?: number;
  cohens_dz: number;
}
interface Reference {
  cases: Case[];
  corrections: { pvalues: number[]; bonferroni: number[]; holm: number[]; benjamini_hochberg: number[] };
}

const skip = skipUnlessReference('significance.json');
const ref: Reference | undefined = skip ? undefined : JSON.parse(readFileSync(path.join(referenceDir, 'significance.json'), 'utf8'));

function close(actual: number, expected: number, what: string): void {
  const tol = Math.max(1e-12, 1e-9 * Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, scipy ${expected} (|diff| ${Math.abs(actual - expected)} > ${tol})`);
}

describe('scipy 1.17 reference values', { skip }, () => {
  const cases = ref?.cases ?? [];

  it('has the expected cases', () => {
    assert.equal(cases.length, 15);
    assert.ok(cases.some((c) => c.permutation_exact_two_sided !== undefined));
    assert.ok(cases.some((c) => c.wilcoxon_exact !== undefined));
  });

  for (const [i, c] of cases.entries()) {
    const name = `case ${i} (${c.kind}, n=${c.n})`;
    it(`${name}: paired t-test = ttest_rel(b, a)`, () => {
      const r = pairedTTest(c.a, c.b);
      close(r.statistic, c.ttest_rel.statistic, 't');
      close(r.pValue, c.ttest_rel.pvalue, 'p');
      assert.equal(r.df, c.n - 1);
    });
    it(`${name}: Wilcoxon approx, zero_method wilcox and pratt`, () => {
      const w = wilcoxonSignedRank(c.a, c.b, { method: 'approx', zeroMethod: 'wilcox', correction: false });
      close(w.statistic, c.wilcoxon_approx_wilcox.statistic, 'wilcox statistic');
      close(w.pValue, c.wilcoxon_approx_wilcox.pvalue, 'wilcox p');
      const p = wilcoxonSignedRank(c.a, c.b, { method: 'approx', zeroMethod: 'pratt', correction: false });
      close(p.statistic, c.wilcoxon_approx_pratt.statistic, 'pratt statistic');
      close(p.pValue, c.wilcoxon_approx_pratt.pvalue, 'pratt p');
    });
    if (c.wilcoxon_exact) {
      const expected = c.wilcoxon_exact;
      it(`${name}: Wilcoxon exact`, () => {
        const w = wilcoxonSignedRank(c.a, c.b, { method: 'exact' });
        assert.equal(w.method, 'exact');
        close(w.statistic, expected.statistic, 'statistic');
        close(w.pValue, expected.pvalue, 'p');
      });
    }
    if (c.permutation_exact_two_sided !== undefined) {
      const expected = c.permutation_exact_two_sided;
      it(`${name}: randomization test enumerates all 2^n sign flips`, () => {
        const r = randomizationTest(c.a, c.b, { permutations: 2 ** c.n });
        assert.equal(r.exact, true);
        assert.equal(r.permutations, 2 ** c.n);
        assert.equal(r.pValue, expected);
      });
    }
    it(`${name}: Cohen's d_z`, () => close(cohensDz(c.a, c.b), c.cohens_dz, 'd_z'));
  }

  it('Bonferroni, Holm and Benjamini–Hochberg adjustments', () => {
    const k = ref!.corrections;
    const pairs: [Parameters<typeof adjustPValues>[1], number[]][] = [
      ['bonferroni', k.bonferroni],
      ['holm', k.holm],
      ['bh', k.benjamini_hochberg],
    ];
    for (const [method, expected] of pairs) {
      const got = adjustPValues(k.pvalues, method);
      expected.forEach((e, i) => close(got[i]!, e, `${method}[${i}]`));
    }
  });
});
