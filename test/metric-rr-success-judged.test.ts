/** RR has no cutoff unless written RR@k; Success@k is a hit indicator; Judged@k counts any judgment / k. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgedAt } from '../src/eval/metrics/judged.js';
import { reciprocalRank } from '../src/eval/metrics/rr.js';
import { success } from '../src/eval/metrics/success.js';

const ranking = [...Array<null>(11).fill(null), 1];

test('RR finds a relevant document at rank 12; RR@10 does not', () => {
  assert.equal(reciprocalRank(ranking), 1 / 12);
  assert.equal(reciprocalRank(ranking, { k: 10 }), 0);
});

test('RR(rel=2) skips level-1 documents', () => {
  assert.equal(reciprocalRank([1, 0, 2]), 1);
  assert.equal(reciprocalRank([1, 0, 2], { rel: 2 }), 1 / 3);
});

test('Success@k', () => {
  assert.equal(success([0, null, 1], 2), 0);
  assert.equal(success([0, null, 1], 3), 1);
});

test('Judged@k counts 0 and negative judgments, divides by k', () => {
  assert.equal(judgedAt([0, null, -1, 2], 4), 3 / 4);
  assert.equal(judgedAt([0], 10), 1 / 10);
});
