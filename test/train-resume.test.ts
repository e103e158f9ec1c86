// `trainDualEncoder` end to end on a tiny BEIR dataset: stopped mid-epoch by an AbortSignal it
// keeps a checkpoint, and resuming from it gives exactly the model of an uninterrupted run
// (with code-switching on the fly, BM25 hard negatives and FGSM all on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mineHardNegatives, readCheckpointFile, trainDualEncoder } from '../src/index.js';
import { allAugmentations, tinyBeir } from './helpers/tiny-beir.js';

test('an interrupted and resumed run equals an uninterrupted one', async () => {
  const { root, dataset } = tinyBeir();
  const base = allAugmentations(dataset, { seed: 4 });
  const straight = await trainDualEncoder({ ...base, out: path.join(root, 'straight.xde') });
  assert.equal(straight.interrupted, false);
  assert.equal(straight.steps, 18);

  const controller = new AbortController();
  const out = path.join(root, 'stopped.xde');
  let seen = 0;
  const stopped = await trainDualEncoder({
    ...base,
    out,
    tokenizer: straight.tokenizerFile,
    signal: controller.signal,
    onProgress: () => {
      if (++seen === 4) controller.abort(); // after 8 steps: epoch 2, step 2 of 6
    },
  });
  assert.equal(stopped.interrupted, true);
  const ck = readCheckpointFile(out);
  assert.equal(ck.info.step, 8);
  assert.deepEqual(ck.info.config.progress, { epoch: 1, step: 2 });

  const resumed = await trainDualEncoder({ dataset, out, resume: true, epochs: 3, threads: 2, negativeMiner: mineHardNegatives });
  assert.equal(resumed.interrupted, false);
  assert.equal(resumed.steps, 18);
  assert.deepEqual(resumed.model.embeddings(), straight.model.embeddings());
});
