/** nDCG on hand-worked cases: gain = relevance, log2 discount, ideal from every judged document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ndcg } from '../src/eval/metrics/ndcg.js';

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

test('nDCG@3 of [3, null, 1] with judged {3, 2, 1}: ideal includes the unretrieved 2', () => {
  // DCG = 3/log2(2) + 1/log2(4) = 3.5; IDCG@3 = 3 + 2/log2(3) + 1/2
  close(ndcg([3, null, 1], [3, 2, 1], { k: 3 }), 3.5 / (3 + 2 / Math.log2(3) + 0.5));
});

test('gains are the levels themselves, not 2^rel − 1', () => {
  // [1, 2] vs ideal [2, 1]: (1 + 2/log2 3) / (2 + 1/log2 3)
  close(ndcg([1, 2], [2, 1]), (1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3)));
});

test('negative and zero judgments gain nothing; no positive judgment gives 0', () => {
  close(ndcg([-1, 0, 2], [-1, 0, 2]), 2 / Math.log2(4) / 2);
  assert.equal(ndcg([0, -1], [0, -1]), 0);
});

test('the cutoff truncates both DCG and the ideal', () => {
  close(ndcg([null, 1], [1, 1], { k: 1 }), 0);
  close(ndcg([null, 1], [1, 1], { k: 2 }), 1 / Math.log2(3) / (1 + 1 / Math.log2(3)));
});

test('bad arguments name themselves', () => {
  assert.throws(() => ndcg([1.5], [1]), { name: 'RangeError', message: 'ranking[0] must be an integer relevance or null, got 1.5' });
  assert.throws(() => ndcg([1], [1], { k: 0 }), { name: 'RangeError', message: 'k must be an integer ≥ 1, got 0' });
});
