// CLIP-style training of both native towers from scratch learns the synthetic 8-class shapes task:
// text→image R@1 (class match) far above chance (1/8), and NativeImageEncoder gives the tower's encodings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualEncoder, ImageTextTrainer, ImageTower, NativeImageEncoder } from '../src/index.js';
import { classBatches, CLASSES, shapesTask, SIDE, textToImageR1, VOCAB } from './helpers/tiny-shapes.js';

test('CLIP training learns the shapes task; NativeImageEncoder encodes n×H×W×3 to n×d', async () => {
  const perClass = 6;
  const task = shapesTask(perClass, 7);
  const text = DualEncoder.create({ vocabSize: VOCAB, dim: 16, outDim: 16, seed: 1 });
  const image = ImageTower.create({ height: SIDE, width: SIDE, patch: 4, hidden: 24, outDim: 16, seed: 2 });
  const trainer = new ImageTextTrainer(text, image, { tau: 0.1, symmetric: true, lr: 0.01, threads: 2 });
  const pool = { ids: task.ids, offsets: task.offsets };
  const before = textToImageR1(text.encodeSync(pool), image.encodeSync(task.pixels), 16, task.cls);
  const idx = classBatches(150, perClass, 3);
  const stats = await trainer.train(pool, { pixels: task.pixels }, { captions: idx, images: idx, batch: CLASSES });
  assert.equal(trainer.step, 150);
  assert.ok(stats.loss[149]! < 0.5 * stats.loss[0]!, `loss ${stats.loss[0]} → ${stats.loss[149]}`);
  const encoder = new NativeImageEncoder(image);
  assert.equal(encoder.modality, 'image');
  assert.equal(encoder.dim, 16);
  const per = SIDE * SIDE * 3;
  const images = Array.from({ length: task.cls.length }, (_, i) => task.pixels.slice(i * per, (i + 1) * per));
  const imageEmb = await encoder.encode(images);
  assert.deepEqual(imageEmb, image.encodeSync(task.pixels));
  const after = textToImageR1(text.encodeSync(pool), imageEmb, 16, task.cls);
  assert.ok(after >= 0.9, `R@1 ${before} → ${after} (chance 0.125)`);
});

test('the image side is checked in TypeScript with the argument named', () => {
  const text = DualEncoder.create({ vocabSize: VOCAB, dim: 16, outDim: 16 });
  const image = ImageTower.create({ height: SIDE, width: SIDE, patch: 4, hidden: 8, outDim: 16 });
  const trainer = new ImageTextTrainer(text, image);
  const task = shapesTask(1, 1);
  const pool = { ids: task.ids, offsets: task.offsets };
  assert.throws(() => trainer.trainSync(pool, { pixels: new Float32Array(5) }, { captions: new Int32Array(1), images: new Int32Array(1), batch: 1 }), {
    name: 'RangeError',
    message: 'images.pixels.length (5) is not a multiple of H×W×3 (192)',
  });
  assert.throws(() => trainer.trainSync(pool, { pixels: task.pixels }, { captions: Int32Array.of(0), images: Int32Array.of(8), batch: 1 }), {
    name: 'RangeError',
    message: 'images[0] = 8 is not an image of the source [0, 8)',
  });
  assert.throws(() => ImageTower.create({ height: 10, width: 8, patch: 4, hidden: 8, outDim: 4 }), {
    name: 'RangeError',
    message: 'height must be a positive multiple of patch (4), got 10',
  });
  assert.throws(() => new ImageTextTrainer(text, ImageTower.create({ height: 8, width: 8, patch: 4, hidden: 8, outDim: 3 })), {
    name: 'RangeError',
    message: "the image tower's outDim (3) must equal the text tower's (16)",
  });
});
