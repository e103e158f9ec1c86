/** AP divides by all relevant documents; AP@k stops summing at k; Rprec is precision at R. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision } from '../src/eval/metrics/ap.js';
import { rPrecision } from '../src/eval/metrics/rprec.js';

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
