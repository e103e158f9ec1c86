// exportImageTowerOnnx writes a model folder that the ONNX image encoder reads back, from the image
// files, to the native tower's embeddings of the same pixels (max abs difference ≤ 1e-5) and the
// same image-to-image rankings except exact ties, on committed emoji images of both styles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImageTower } from '../src/encoders/image-tower-model.js';
import { NativeImageEncoder } from '../src/encoders/native-image-encoder.js';
import { OnnxImageEncoder } from '../src/encoders/onnx-image.js';
import { folderPreprocessing, preprocessImages, towerPreprocessing } from '../src/encoders/image-preprocess.js';
import { exportImageTowerOnnx } from '../src/export/onnx-image-tower.js';
import { topK } from '../src/search/topk.js';

const EMOJI = path.join(import.meta.dirname, '..', '..', 'datasets', 'emoji');

/** Every 40th committed emoji of each style: 96 images, opaque and transparent pixels alike. */
function emojiSubset(): string[] {
  return ['noto', 'twemoji'].flatMap((style) =>
    readdirSync(path.join(EMOJI, style))
      .filter((f) => f.endsWith('.png'))
      .sort()
      .filter((_, i) => i % 40 === 0)
      .map((f) => path.join(EMOJI, style, f)),
  );
}

for (const patch of [4, 8]) {
  test(`image tower round trip (patch ${patch}): embeddings within 1e-5, same rankings except exact ties`, async () => {
    const tower = ImageTower.create({ height: 32, width: 32, patch, hidden: 40, outDim: 24, seed: 5 });
    const dir = mkdtempSync(path.join(tmpdir(), 'xmr-onnx-tower-'));
    const { files } = exportImageTowerOnnx(tower, dir);
    assert.deepEqual(files.sort(), ['config.json', 'model.onnx', 'preprocessor_config.json']);
    assert.deepEqual(readdirSync(dir).sort(), files);
    const prep = folderPreprocessing(dir);
    assert.deepEqual(prep, { size: 32, crop: 32, rescale: 2 / 255, mean: [1, 1, 1], std: [1, 1, 1] });
    // The folder declares the one convention the study and eval-images feed the tower.
    assert.deepEqual(prep, towerPreprocessing(tower.shape));

    const images = emojiSubset();
    const pixels = await preprocessImages(images, prep, 'hwc');
    // The [−1, 1] scaling reaches both ends on these images.
    assert.deepEqual([pixels.reduce((a, b) => Math.min(a, b)), pixels.reduce((a, b) => Math.max(a, b))], [-1, 1]);
    const native = await new NativeImageEncoder(tower, { threads: 2 }).encodePixels(pixels);
    const enc = await OnnxImageEncoder.load(dir, { batchSize: 32 });
    try {
      assert.equal(enc.outputName, 'image_embeds');
      assert.equal(enc.dim, 24);
      // Bytes as well as paths: the same decoding.
      const onnx = await enc.encode(images.map((f, i) => (i % 2 === 0 ? f : readFileSync(f))));
      assert.equal(onnx.length, native.length);
      let worst = 0;
      for (let i = 0; i < native.length; i++) worst = Math.max(worst, Math.abs(native[i]! - onnx[i]!));
      assert.ok(worst <= 1e-5, `max abs difference ${worst}`);

      const k = 20;
      const rn = await topK(native, native, { dim: 24, k, threads: 2 });
      const ro = await topK(onnx, onnx, { dim: 24, k, threads: 2 });
      let compared = 0;
      for (let q = 0; q < images.length; q++) {
        for (let j = 0; j < k - 1; j++) {
          const x = q * k + j;
          const s = rn.scores[x]!;
          if ((j > 0 && rn.scores[x - 1] === s) || rn.scores[x + 1] === s) continue;
          assert.equal(ro.ids[x], rn.ids[x], `${images[q]} rank ${j + 1}`);
          compared++;
        }
      }
      // Emoji drawn alike in both styles can tie exactly; most ranks are still compared.
      assert.ok(compared > 0.9 * images.length * (k - 1), `compared only ${compared} ranks`);
    } finally {
      await enc.close();
    }
  });
}

test('the ONNX image encoder crops squares: a non-square tower is refused', () => {
  const tower = ImageTower.create({ height: 16, width: 32, patch: 8, hidden: 4, outDim: 4 });
  assert.throws(() => exportImageTowerOnnx(tower, mkdtempSync(path.join(tmpdir(), 'xmr-onnx-tower-'))), {
    name: 'RangeError',
    message: 'an image encoder reading files (ONNX or .xit) crops squares: the tower\'s images must be square, got 16 × 32',
  });
});
