// `xmrbench export --onnx` takes an image tower (.xit) alone, or the CLIP pair (--model text.xde
// --tower tower.xit) into OUT/text and OUT/image; each folder reads back as the ONNX encoder of its
// modality with the checkpoint's embeddings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/native.js';
import { DualEncoder, saveDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { ImageTower, saveImageTower } from '../src/encoders/image-tower-model.js';
import { OnnxImageEncoder } from '../src/encoders/onnx-image.js';
import { OnnxTextEncoder } from '../src/encoders/onnx-text.js';
import { folderPreprocessing, preprocessImages, towerPreprocessing } from '../src/encoders/image-preprocess.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';
import { cli } from './helpers/cli.js';

const EMOJI = path.join(packageRoot, 'datasets', 'emoji', 'noto');

async function sameAsTower(tower: ImageTower, dir: string): Promise<void> {
  const images = readdirSync(EMOJI).sort().slice(0, 8).map((f) => path.join(EMOJI, f));
  const native = tower.encodeSync(await preprocessImages(images, folderPreprocessing(dir), 'hwc'));
  const enc = await OnnxImageEncoder.load(dir);
  try {
    const onnx = await enc.encode(images);
    for (let i = 0; i < native.length; i++) assert.ok(Math.abs(native[i]! - onnx[i]!) <= 1e-5, `coordinate ${i}`);
  } finally {
    await enc.close();
  }
}

test('export --onnx of an image tower and of the CLIP pair', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-export-tower-'));
  const tower = ImageTower.create({ height: 32, width: 32, patch: 8, hidden: 12, outDim: 6, seed: 3 });
  const towerFile = path.join(root, 'tower.xit');
  saveImageTower(tower, towerFile);

  const alone = await cli(['export', '--onnx', '--model', towerFile, '--out', path.join(root, 'tower-onnx')]);
  assert.equal(alone.stdout, `exported ${towerFile} (32 × 32 images, patch 8, hidden 12, 6 dimensions) to ${path.join(root, 'tower-onnx')}: model.onnx, preprocessor_config.json, config.json\n`);
  await sameAsTower(tower, path.join(root, 'tower-onnx'));

  const vocab = path.join(root, 'vocab.txt');
  writeVocab(vocab, buildWordVocab(['a smiling face', 'a red heart', 'a cat face']));
  const text = DualEncoder.create({ vocabSize: readFileSync(vocab, 'utf8').trim().split('\n').length, dim: 8, outDim: 6, seed: 4, initStd: 0.3 });
  const textFile = path.join(root, 'text.xde');
  saveDualEncoder(text, textFile, { tau: 0.07, config: { tokenizer: { file: vocab, maxLength: 16 } } });
  const pair = await cli(['export', '--onnx', '--model', textFile, '--tower', towerFile, '--out', path.join(root, 'clip')]);
  assert.deepEqual(pair.stdout.trim().split('\n').map((l) => l.split(' to ')[1]), [
    `${path.join(root, 'clip', 'text')}: tokenizer.json, model.onnx, config.json`,
    `${path.join(root, 'clip', 'image')}: model.onnx, preprocessor_config.json, config.json`,
  ]);
  await sameAsTower(tower, path.join(root, 'clip', 'image'));
  const textEnc = await OnnxTextEncoder.load(path.join(root, 'clip', 'text'));
  try {
    assert.equal(textEnc.dim, 6);
  } finally {
    await textEnc.close();
  }

  await assert.rejects(cli(['export', '--onnx', '--model', towerFile, '--tower', towerFile, '--out', path.join(root, 'x')]), (e: { stderr: string }) => {
    assert.match(e.stderr, /--tower goes with a dual encoder \(\.xde\) as --model, not with an image tower/);
    return true;
  });
});
