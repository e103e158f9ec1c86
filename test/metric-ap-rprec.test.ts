/** AP divides by all relevant documents; AP@k stops summing at k; Rprec is precision at R; Bpref counts judged documents only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision } from '../src/eval/metrics/ap.js';
import { rPrecision } from '../src/eval/metrics/rprec.js';
import { bpref } from '../src/eval/metrics/bpref.js';

test('AP of [1, 0, 1] with 3 relevant judged = (1/1 + 2/3) / 3', () => {
  assert.equal(averagePrecision([1, 0, 1], [1, 1, 1, 0]), (1 + 2 / 3) / 3);
});

test('AP@2 ignores hits after rank 2 but keeps the full denominator', () => {
  assert.equal(averagePrecision([1, 0, 1], [1, 1, 1], { k: 2 }), 1 / 3);
});

test('AP(rel=2): level-1 documents are non-relevant', () => {
  assert.equal(averagePrecision([1, 2], [1, 2], { rel: 2 }), 1 / 2);
});

test('Rprec: precision within the first R ranks', () => {
  assert.equal(rPrecision([0, 1, 1], [1, 1]), 1 / 2);
  assert.equal(rPrecision([1], [1, 1, 1]), 1 / 3);
  assert.equal(rPrecision([1], [0]), 0);
});

test('Bpref: each relevant document loses the share of judged non-relevant ones ranked above it', () => {
  // R = 2, N = 3: the first relevant has one non-relevant above it (1 − 1/2), the second two (1 − 2/2)
  assert.equal(bpref([0, 1, 0, 1], [1, 1, 0, 0, 0]), (1 - 1 / 2 + 0) / 2);
  // documents not in the qrels (null) and judged negative (pool, unjudged) are skipped, not non-relevant
  assert.equal(bpref([null, -1, 1], [1, 0, -1]), 1);
  // min(n_r, R) / min(N, R): with N < R the fraction is of the N non-relevant documents
  assert.equal(bpref([0, 1, 1, 1], [1, 1, 1, 0]), (1 - 1 / 1) * 3 / 3);
  assert.equal(bpref([1, 0], [0, 0]), 0, 'no relevant document judged: 0');
  assert.equal(bpref([1, 2], [1, 2], { rel: 2 }), (1 - 1 / 1) / 1, 'rel=2: a level-1 document is non-relevant');
});
