// Locked-image-tower adaptation (LiT): the text tower trains against fixed image embeddings; the
// image tower's parameters stay bit-identical and the text tower learns the task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualEncoder, ImageTextTrainer, ImageTower } from '../src/index.js';
import { classBatches, CLASSES, shapesTask, SIDE, textToImageR1, VOCAB } from './helpers/tiny-shapes.js';

test('LiT: the image tower stays bit-identical while the text tower learns', async () => {
  const perClass = 6;
  const task = shapesTask(perClass, 8);
  const text = DualEncoder.create({ vocabSize: VOCAB, dim: 16, outDim: 16, seed: 1 });
  const image = ImageTower.create({ height: SIDE, width: SIDE, patch: 4, hidden: 24, outDim: 16, seed: 2 });
  const frozen = image.params();
  const embeddings = image.encodeSync(task.pixels);
  const trainer = new ImageTextTrainer(text, null, { tau: 0.1, symmetric: true, lr: 0.01, adv: 'fgsm', eps: 0.05, threads: 2 });
  const pool = { ids: task.ids, offsets: task.offsets };
  const before = textToImageR1(text.encodeSync(pool), embeddings, 16, task.cls);
  const idx = classBatches(150, perClass, 5);
  await trainer.train(pool, { embeddings }, { captions: idx, images: idx, batch: CLASSES });
  assert.deepEqual(new Uint8Array(image.params().buffer), new Uint8Array(frozen.buffer));
  assert.deepEqual(image.encodeSync(task.pixels), embeddings);
  const after = textToImageR1(text.encodeSync(pool), embeddings, 16, task.cls);
  assert.ok(after >= 0.5 && after > before, `R@1 ${before} → ${after} (chance 0.125)`);
});
