// Resuming CLIP training from the two checkpoint files (.xde text tower, .xit image tower, each
// with its Adam moments and the step) continues the run bit for bit; a damaged .xit is an XmrError
// naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImageTextTrainer, ImageTower, DualEncoder, XmrError, readCheckpointFile, readImageTowerFile } from '../src/index.js';
import { classBatches, CLASSES, shapesTask, SIDE, VOCAB } from './helpers/tiny-shapes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-clip-'));
const perClass = 4;
const task = shapesTask(perClass, 9);
const pool = { ids: task.ids, offsets: task.offsets };
const idx = classBatches(20, perClass, 6);
const options = { tau: 0.1, symmetric: true, lr: 0.01, threads: 2 };
const fresh = () => ({
  text: DualEncoder.create({ vocabSize: VOCAB, dim: 16, outDim: 16, seed: 1 }),
  image: ImageTower.create({ height: SIDE, width: SIDE, patch: 4, hidden: 12, outDim: 16, seed: 2 }),
});

test('resume from .xde + .xit equals training straight through', () => {
  const whole = fresh();
  new ImageTextTrainer(whole.text, whole.image, options).trainSync(pool, { pixels: task.pixels }, { captions: idx, images: idx, batch: CLASSES });

  const first = fresh();
  const t1 = new ImageTextTrainer(first.text, first.image, options);
  const half = idx.subarray(0, 10 * CLASSES);
  t1.trainSync(pool, { pixels: task.pixels }, { captions: half, images: half, batch: CLASSES });
  const textFile = path.join(dir, 'clip.xde');
  const imageFile = path.join(dir, 'clip.xit');
  t1.saveCheckpoints(textFile, imageFile, { note: 'half' });

  const t = readCheckpointFile(textFile);
  const im = readImageTowerFile(imageFile);
  assert.equal(im.step, 10);
  assert.equal(im.hasOptimizer, true);
  assert.deepEqual(im.config, { note: 'half' });
  const t2 = new ImageTextTrainer(t.model, im.model, options, { text: t.bytes, image: im.bytes });
  assert.equal(t2.step, 10);
  const rest = idx.subarray(10 * CLASSES);
  t2.trainSync(pool, { pixels: task.pixels }, { captions: rest, images: rest, batch: CLASSES });
  assert.equal(t2.step, 20);
  assert.deepEqual(im.model.params(), whole.image.params());
  assert.deepEqual(t.model.embeddings(), whole.text.embeddings());
  assert.deepEqual(t.model.projection(), whole.text.projection());
});

test('a damaged image-tower checkpoint is an XmrError naming the file', () => {
  const m = fresh();
  const trainer = new ImageTextTrainer(m.text, m.image, options);
  const file = path.join(dir, 'bad.xit');
  trainer.saveCheckpoints(path.join(dir, 'ok.xde'), file);
  const bytes = readFileSync(file);
  bytes[100] = bytes[100]! ^ 1;
  writeFileSync(file, bytes);
  assert.throws(() => readImageTowerFile(file), (e: unknown) => e instanceof XmrError && e.message.includes('CRC-32 mismatch') && e.message.includes(file));
});
