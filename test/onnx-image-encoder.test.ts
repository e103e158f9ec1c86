// The ONNX image encoder on the toy image tower (src/export/toy-image-graph.ts) with one patch
// covering the whole image: the embedding is normalize(relu(W · x)) for the preprocessed pixels x,
// computed here by hand; batches keep the input order; preprocessor_config.json sets the size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { OnnxImageEncoder } from '../src/encoders/onnx-image.js';
import { folderPreprocessing, preprocessImages } from '../src/encoders/image-preprocess.js';
import { toyImageGraph } from '../src/export/toy-image-graph.js';
import { randn } from '../src/random.js';

test('embeddings are normalize(relu(W·x)) of the preprocessed pixels, in input order', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-onnx-image-'));
  const S = 16;
  const D = 6;
  toyImageGraph({ size: S, patch: S, dim: D, seed: 4 }).write(path.join(dir, 'model.onnx'));
  writeFileSync(path.join(dir, 'preprocessor_config.json'), JSON.stringify({ size: { shortest_edge: S }, crop_size: S, image_mean: [0.5, 0.5, 0.5], image_std: [0.25, 0.25, 0.25] }));
  // Seeded noise (sharp's own gaussian noise is not seeded: a draw could leave every ReLU at 0).
  const images = await Promise.all(
    [1, 2, 3].map((k) => {
      const width = 20 + 7 * k;
      const noise = randn(width * 18 * 3, 10 + k);
      const px = Uint8Array.from(noise, (v, i) => Math.min(255, Math.max(0, Math.round([40 * k, 200 - 30 * k, 90][i % 3]! + 50 * v))));
      return sharp(px, { raw: { width, height: 18, channels: 3 } }).png().toBuffer();
    }),
  );
  const enc = await OnnxImageEncoder.load(dir, { batchSize: 2 });
  try {
    assert.equal(enc.dim, D);
    assert.equal(enc.outputName, 'image_embeds');
    assert.deepEqual(enc.preprocessing, folderPreprocessing(dir));
    const got = await enc.encode(images);
    const x = await preprocessImages(images, enc.preprocessing);
    const fan = 3 * S * S;
    const W = randn(D * fan, 4).map((v) => v / Math.sqrt(fan));
    for (let i = 0; i < images.length; i++) {
      const e = Array.from({ length: D }, (_, d) => Math.max(0, W.subarray(d * fan, (d + 1) * fan).reduce((a, w, j) => a + w * x[i * fan + j]!, 0)));
      const n = Math.hypot(...e);
      e.forEach((v, d) => assert.ok(Math.abs(got[i * D + d]! - v / n) < 1e-5, `image ${i} coordinate ${d}: ${got[i * D + d]} vs ${v / n}`));
    }
  } finally {
    await enc.close();
  }
});
