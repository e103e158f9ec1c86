// `trainDualEncoder`'s checkpoint policy: by default a checkpoint (with the Adam moments) is written
// after every epoch; with `checkpoint: 'none'` (the study's setting) no file is written at all, and
// the trained model is the same bit for bit — the checkpoints only cost time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readCheckpointFile, trainDualEncoder } from '../src/index.js';
import { allAugmentations, tinyBeir } from './helpers/tiny-beir.js';

test("checkpoint 'none' writes no file and trains the same model as the per-epoch default", async () => {
  const { root, dataset } = tinyBeir();
  const base = allAugmentations(dataset, { seed: 6 });
  const every = await trainDualEncoder({ ...base, out: path.join(root, 'every.xde') });
  assert.equal(readCheckpointFile(every.out).info.hasOptimizer, true);
  assert.deepEqual(readCheckpointFile(every.out).info.config.progress, { epoch: 3, step: 0 });
  const out = path.join(root, 'none.xde');
  const none = await trainDualEncoder({ ...base, out, tokenizer: every.tokenizerFile, checkpoint: 'none' });
  assert.equal(existsSync(out), false);
  assert.equal(none.steps, every.steps);
  assert.deepEqual(none.epochLoss, every.epochLoss);
  assert.deepEqual(none.model.embeddings(), every.model.embeddings());
});

test('an unknown checkpoint policy is refused before any work', async () => {
  const { root, dataset } = tinyBeir();
  await assert.rejects(trainDualEncoder({ dataset, out: path.join(root, 'x.xde'), checkpoint: 'sometimes' as 'none' }), {
    name: 'TypeError',
    message: 'checkpoint must be one of epoch, none, got sometimes',
  });
});
