/**
 * `compare --test mcnemar`: McNemar's test on 0/1 per-query measures inside the comparison table,
 * with the correction and effect sizes beside it, and a clear error on a non-binary measure.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSystems, formatComparison, type SystemScores } from '../src/eval/compare.js';
import { adjustPValues, mcnemarTest } from '../src/eval/significance/index.js';

const hits = (pattern: string): Float64Array => Float64Array.from(pattern, (c) => Number(c));
const sys = (name: string, r1: string): SystemScores => ({ name, perQuery: new Map([['Success@1', hits(r1)], ['RR', hits(r1).map((x) => x / 2)]]) });
const a = sys('clip', '0000000000110011');
const b = sys('mclip', '1111111111110011');
const c = sys('other', '0000000000110010');

describe('compare with McNemar', () => {
  it('tests each pair on its discordant queries and corrects over the pairs', () => {
    const cmp = compareSystems([a, b, c], ['Success@1'], { test: 'mcnemar', resamples: 0 });
    const raw = [
      mcnemarTest(a.perQuery.get('Success@1')!, b.perQuery.get('Success@1')!),
      mcnemarTest(a.perQuery.get('Success@1')!, c.perQuery.get('Success@1')!),
      mcnemarTest(b.perQuery.get('Success@1')!, c.perQuery.get('Success@1')!),
    ];
    assert.deepEqual(cmp.comparisons.map((p) => p.pValue), raw.map((r) => r.pValue));
    // mclip hits 10 queries clip misses and misses none clip hits: p = 2/2^10.
    assert.equal(cmp.comparisons[0]!.pValue, 2 / 1024);
    assert.deepEqual(cmp.comparisons.map((p) => p.adjustedPValue), adjustPValues(raw.map((r) => r.pValue), 'holm'));
    assert.deepEqual(cmp.comparisons[0]!.winTieLoss, { wins: 10, ties: 6, losses: 0 });
    assert.match(formatComparison(cmp, 'table'), /McNemar's test on per-query hits \(two-sided; exact binomial on the discordant pairs\)/);
  });
  it('mid-p is named as such and is smaller than the exact p', () => {
    const exact = compareSystems([a, b], ['Success@1'], { test: 'mcnemar', resamples: 0 });
    const mid = compareSystems([a, b], ['Success@1'], { test: 'mcnemar-midp', resamples: 0 });
    assert.equal(mid.comparisons[0]!.pValue, 1 / 1024);
    assert.ok(mid.comparisons[0]!.pValue < exact.comparisons[0]!.pValue);
    assert.match(mid.testDescription, /mid-p/);
  });
  it('refuses a measure that is not hit/miss', () => {
    assert.throws(() => compareSystems([a, b], ['RR'], { test: 'mcnemar', resamples: 0 }), {
      name: 'RangeError',
      message: '--test mcnemar needs hit/miss (0/1) values per query, but RR of run "clip" is 0.5 at query 11; use R@k or Success@k',
    });
  });
});
