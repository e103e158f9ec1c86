/** P@k divides by k even past the end of the ranking; R@k divides by every relevant judged document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { precision } from '../src/eval/metrics/precision.js';
import { recall } from '../src/eval/metrics/recall.js';

test('P@5 of a 2-document ranking with one relevant is 1/5', () => {
  assert.equal(precision([1, null], 5), 0.2);
});

test('relevance level: P(rel=2)@3 counts only rel ≥ 2', () => {
  assert.equal(precision([2, 1, 3], 3, { rel: 2 }), 2 / 3);
  assert.equal(precision([2, 1, 3], 3), 1);
});

test('negative judgments are not relevant', () => {
  assert.equal(precision([-1, -2], 2), 0);
});

test('R@2 counts unretrieved relevant documents in the denominator', () => {
  assert.equal(recall([1, null, 1], [1, 1, 1, 0], 2), 1 / 3);
  assert.equal(recall([1, null, 1], [1, 1, 1, 0], 3), 2 / 3);
});

test('R@k is 0 when the query has no relevant document', () => {
  assert.equal(recall([0], [0, -1], 10), 0);
});

test('P@k needs a cutoff', () => {
  assert.throws(() => precision([1], undefined as unknown as number), { name: 'TypeError', message: 'k must be a number, got undefined' });
});
