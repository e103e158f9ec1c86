// Bad model folders and inputs give errors naming the file and what was expected: a model without
// the text inputs, a missing tokenizer.json or model.onnx, a file onnxruntime cannot load, a
// pooling config the encoder does not implement, an image that is not an image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OnnxTextEncoder } from '../src/encoders/onnx-text.js';
import { OnnxImageEncoder } from '../src/encoders/onnx-image.js';
import { toyImageGraph } from '../src/export/toy-image-graph.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';
import { textGraphWithHiddenStates } from './helpers/onnx-text-graph.js';

const tokFile = path.join(fixtureDir, 'wordpiece-uncased.json');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'xmr-onnx-bad-'));
const textFolder = (): string => {
  const dir = tmp();
  textGraphWithHiddenStates(new Float32Array(6000 * 2), new Float32Array(4), 6000, 2).write(path.join(dir, 'model.onnx'));
  copyFileSync(tokFile, path.join(dir, 'tokenizer.json'));
  return dir;
};
const imageFolder = (): string => {
  const dir = tmp();
  toyImageGraph({ size: 32, patch: 8, dim: 4 }).write(path.join(dir, 'model.onnx'));
  return dir;
};

test('a model without the text inputs, as a text encoder', async () => {
  const dir = imageFolder();
  copyFileSync(tokFile, path.join(dir, 'tokenizer.json'));
  await assert.rejects(OnnxTextEncoder.load(dir), {
    name: 'XmrError',
    code: 'E_CONFIG',
    message: `${path.join(dir, 'model.onnx')}: the model has no input 'input_ids' (its inputs: pixel_values); an ONNX text encoder expects input_ids, attention_mask and optionally token_type_ids and position_ids, int64`,
  });
});

test('a text model as an image encoder', async () => {
  const dir = textFolder();
  await assert.rejects(OnnxImageEncoder.load(dir), {
    code: 'E_CONFIG',
    message: `${path.join(dir, 'model.onnx')}: the model's inputs are input_ids, attention_mask, token_type_ids; an ONNX image encoder expects one input, pixel_values (NCHW float32)`,
  });
});

test('a missing tokenizer.json', async () => {
  const dir = imageFolder();
  await assert.rejects(OnnxTextEncoder.load(dir), {
    code: 'E_MISSING',
    message: `${path.join(dir, 'tokenizer.json')}: missing: an ONNX text model folder needs the Hugging Face tokenizer.json beside model.onnx (optimum and sentence-transformers write it)`,
  });
});

test('a folder without model.onnx, and a path that does not exist', async () => {
  const dir = tmp();
  await assert.rejects(OnnxTextEncoder.load(dir), { code: 'E_MISSING', message: `${dir}: no model.onnx (nor onnx/model.onnx): expected a model folder as optimum or sentence-transformers export it` });
  await assert.rejects(OnnxImageEncoder.load(path.join(dir, 'nope')), { code: 'E_MISSING', message: `${path.join(dir, 'nope')}: no such ONNX model folder or file` });
});

test('a model.onnx that is not an ONNX model', async () => {
  const dir = tmp();
  writeFileSync(path.join(dir, 'model.onnx'), 'not a protobuf at all');
  copyFileSync(tokFile, path.join(dir, 'tokenizer.json'));
  await assert.rejects(OnnxTextEncoder.load(dir), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_PARSE');
    assert.ok(e.message.startsWith(`${path.join(dir, 'model.onnx')}: onnxruntime cannot load this model: `), e.message);
    return true;
  });
});

test('the sentence-transformers layout (onnx/model.onnx beside a top-level tokenizer.json) is found', async () => {
  const src = textFolder();
  const dir = tmp();
  mkdirSync(path.join(dir, 'onnx'));
  copyFileSync(path.join(src, 'model.onnx'), path.join(dir, 'onnx', 'model.onnx'));
  copyFileSync(tokFile, path.join(dir, 'tokenizer.json'));
  for (const where of [dir, path.join(dir, 'onnx', 'model.onnx')]) {
    const enc = await OnnxTextEncoder.load(where);
    assert.equal(enc.folder, dir);
    await enc.close();
  }
});

test('pooling configs and options the encoder does not implement', async () => {
  const dir = textFolder();
  mkdirSync(path.join(dir, '1_Pooling'));
  const file = path.join(dir, '1_Pooling', 'config.json');
  writeFileSync(file, JSON.stringify({ pooling_mode_cls_token: false, pooling_mode_mean_tokens: false, pooling_mode_max_tokens: true }));
  await assert.rejects(OnnxTextEncoder.load(dir), { code: 'E_CONFIG', message: `${file}: expected exactly one of pooling_mode_mean_tokens, pooling_mode_cls_token, pooling_mode_lasttoken to be true, got pooling_mode_max_tokens` });
  writeFileSync(file, '{ broken');
  // The line and column of the syntax error (parseJsonText), not only V8's message.
  await assert.rejects(OnnxTextEncoder.load(dir), { code: 'E_PARSE', message: `${file}:1: invalid JSON at column 3: Expected property name or '}'` });
  await assert.rejects(OnnxTextEncoder.load(dir, { pooling: 'max' as 'mean' }), { name: 'TypeError', message: 'pooling must be one of mean, cls, lasttoken, got max' });
  await assert.rejects(OnnxTextEncoder.load(textFolder(), { output: 'pooler_output' }), (e: Error) => e.message.endsWith(": the model has no output 'pooler_output' (its outputs: last_hidden_state)"));
  await assert.rejects(OnnxTextEncoder.load(textFolder(), { batchSize: 0 }), { name: 'RangeError', message: 'batchSize must be an integer ≥ 1, got 0' });
  await assert.rejects(OnnxTextEncoder.load(textFolder(), { normalize: 'yes' as unknown as boolean }), { name: 'TypeError', message: 'normalize must be a boolean, got string' });
  const enc = await OnnxTextEncoder.load(textFolder());
  try {
    await assert.rejects(enc.encode(['a'], { role: 'passage' as 'query' }), { name: 'TypeError', message: 'role must be one of query, document, got passage' });
    await assert.rejects(enc.encode(['a', 7 as unknown as string], { role: 'document' }), { name: 'TypeError', message: 'texts[1] must be a string, got number' });
  } finally {
    await enc.close();
  }
});

test('an image that is not an image, and a missing image', async () => {
  const dir = imageFolder();
  const enc = await OnnxImageEncoder.load(dir);
  const notImage = path.join(dir, 'photo.jpg');
  writeFileSync(notImage, 'this is text, not a JPEG');
  try {
    await assert.rejects(enc.encode([notImage]), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_PARSE');
      assert.ok(e.message.startsWith(`${notImage}: not an image (expected a JPEG, PNG, WebP, GIF, TIFF or AVIF file): `), e.message);
      return true;
    });
    await assert.rejects(enc.encode([path.join(dir, 'gone.png')]), { code: 'E_MISSING', message: `${path.join(dir, 'gone.png')}: no such image file` });
  } finally {
    await enc.close();
  }
});
