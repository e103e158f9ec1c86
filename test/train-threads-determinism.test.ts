// Determinism across threads (issue 17): `trainDualEncoder` end to end — code-switching on the fly
// (prepared while the previous epoch trains), native tokenization, BM25 hard negatives, FGSM — gives
// the same model bit for bit with 1, 2 and 3 threads: every parallel sum in the trainer runs in a
// fixed order (native/include/xmr/trainer.h), and every draw is keyed by seed, epoch and index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { trainDualEncoder } from '../src/index.js';
import { allAugmentations, tinyBeir } from './helpers/tiny-beir.js';

test('the same seed trains the same model with 1, 2 and 3 threads', async () => {
  const { root, dataset } = tinyBeir(96);
  const base = allAugmentations(dataset, { batch: 16, outDim: 8, seed: 3, checkpoint: 'none' });
  const one = await trainDualEncoder({ ...base, out: path.join(root, 'one.xde'), threads: 1 });
  for (const threads of [2, 3]) {
    const r = await trainDualEncoder({ ...base, out: path.join(root, `t${threads}.xde`), tokenizer: one.tokenizerFile, threads });
    assert.deepEqual(r.epochLoss, one.epochLoss, `${threads} threads: losses`);
    assert.deepEqual(r.model.embeddings(), one.model.embeddings(), `${threads} threads: E`);
    assert.deepEqual(r.model.projection(), one.model.projection(), `${threads} threads: W`);
  }
  // …and the test has teeth: another seed gives another model.
  const other = await trainDualEncoder({ ...base, out: path.join(root, 'other.xde'), tokenizer: one.tokenizerFile, threads: 2, seed: 4 });
  assert.notDeepEqual(other.model.embeddings(), one.model.embeddings());
});
