// CLIP preprocessing (src/encoders/image-preprocess.ts) on small PNGs whose result is computed by
// hand: channel-first (p/255 − mean)/std after the centre crop; alpha dropped; grey replicated;
// the resize keeps a flat image flat; preprocessor_config.json overrides CLIP's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { CLIP_MEAN, CLIP_STD, clipPreprocessing, folderPreprocessing, preprocessImages, resizeAndCrop, resizedSize } from '../src/encoders/image-preprocess.js';

const png = (raw: number[], width: number, height: number, channels: 1 | 3 | 4) =>
  sharp(Uint8Array.from(raw), { raw: { width, height, channels } }).png().toBuffer();

test('a 4 × 2 PNG: no resize at size 2, centre crop columns 1–2, normalised channel-first', async () => {
  // RGB pixels, row-major: row 0 = (10,20,30) (40,50,60) (70,80,90) (100,110,120); row 1 = +100.
  const raw: number[] = [];
  for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) raw.push(10 + 30 * x + 100 * y, 20 + 30 * x + 100 * y, 30 + 30 * x + 100 * y);
  const p = clipPreprocessing(2);
  const out = await preprocessImages([await png(raw, 4, 2, 3)], p);
  assert.equal(out.length, 3 * 2 * 2);
  // Crop left = ⌊(4 − 2)/2⌋ = 1: pixels x = 1, 2 of both rows.
  const want: number[] = [];
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < 2; y++)
      for (let x = 1; x <= 2; x++) want.push((((10 + 10 * c + 30 * x + 100 * y) * (1 / 255)) - CLIP_MEAN[c]!) / CLIP_STD[c]!);
  want.forEach((w, i) => assert.ok(Math.abs(out[i]! - w) < 1e-6, `value ${i}: ${out[i]} vs ${w}`));
});

test('RGBA drops alpha (as PIL convert("RGB")), grey is replicated to three channels', async () => {
  // 2 × 1 at size 1: no resize, crop left ⌊(2 − 1)/2⌋ = 0, the fully transparent first pixel keeps its colour.
  const rgba = await resizeAndCrop(await png([200, 100, 50, 0, 1, 2, 3, 255], 2, 1, 4), clipPreprocessing(1));
  assert.deepEqual(Array.from(rgba), [200, 100, 50]);
  const grey = await resizeAndCrop(await png([7, 9, 11, 13], 2, 2, 1), clipPreprocessing(2));
  assert.deepEqual(Array.from(grey), [7, 7, 7, 9, 9, 9, 11, 11, 11, 13, 13, 13]);
});

test('the bicubic resize keeps a flat image flat and sizes the long side ⌊size·long/short⌋', async () => {
  assert.deepEqual(resizedSize(640, 480, 224), { width: 298, height: 224 });
  assert.deepEqual(resizedSize(200, 500, 224), { width: 224, height: 560 });
  const flat = await png(Array.from({ length: 300 * 200 }, () => [90, 160, 230]).flat(), 300, 200, 3);
  const rgb = await resizeAndCrop(flat, clipPreprocessing(64));
  assert.equal(rgb.length, 64 * 64 * 3);
  for (let i = 0; i < rgb.length; i += 3) assert.deepEqual([rgb[i], rgb[i + 1], rgb[i + 2]], [90, 160, 230]);
});

test('preprocessor_config.json sets size, crop, rescale, mean and std; absent fields keep CLIP’s', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-prep-'));
  assert.deepEqual(folderPreprocessing(dir, 96), clipPreprocessing(96));
  writeFileSync(path.join(dir, 'preprocessor_config.json'), JSON.stringify({ size: { shortest_edge: 256 }, crop_size: { height: 240, width: 240 }, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5], resample: 3 }));
  assert.deepEqual(folderPreprocessing(dir), { size: 256, crop: 240, rescale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
  writeFileSync(path.join(dir, 'preprocessor_config.json'), JSON.stringify({ size: 224, resample: 2 }));
  assert.throws(() => folderPreprocessing(dir), { message: `${path.join(dir, 'preprocessor_config.json')}: resample: expected 3 (bicubic), the only resampling implemented, got 2` });
  writeFileSync(path.join(dir, 'preprocessor_config.json'), JSON.stringify({ size: { height: 224, width: 200 } }));
  assert.throws(() => folderPreprocessing(dir), { message: `${path.join(dir, 'preprocessor_config.json')}: size: expected a positive integer or {shortest_edge, height, width} with one square side, got {"height":224,"width":200}` });
});
