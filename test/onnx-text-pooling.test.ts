// The ONNX text encoder on a graph with a per-token last_hidden_state (written in
// helpers/onnx-text-graph.ts): mean and CLS pooling under the attention mask agree with the hand
// computation whatever the padding of the batch (and last-token pooling with position_ids, as
// decoder embedders export), prefixes are prepended by role, long texts are
// truncated to maxLength, and the inputs go in as int64 (an int32 feed is refused by onnxruntime).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { OnnxTextEncoder } from '../src/encoders/onnx-text.js';
import { OnnxSession } from '../src/encoders/onnx-session.js';
import { POOLING_MODES } from '../src/encoders/pooling.js';
import { CONFIG_SCHEMA_FILE } from '../src/experiment/config-schema.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';
import { hiddenStates, textGraphWithHiddenStates } from './helpers/onnx-text-graph.js';

const tokFile = path.join(fixtureDir, 'wordpiece-uncased.json');
const tokenizer = Tokenizer.fromFile(tokFile);
const V = tokenizer.vocabSize;
const D = 5;
// Small exact values (multiples of 1/64) so float32 sums are exact and any pooling error shows.
const E = Float32Array.from({ length: V * D }, (_, i) => (((i * 7919) % 97) - 48) / 64);
const T = Float32Array.from({ length: 2 * D }, (_, i) => (i + 1) / 8);

function folder(extra: (dir: string) => void = () => undefined, layout: 'transformers' | 'sentence-transformers' = 'transformers'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-onnx-text-'));
  textGraphWithHiddenStates(E, T, V, D, layout).write(path.join(dir, 'model.onnx'));
  copyFileSync(tokFile, path.join(dir, 'tokenizer.json'));
  extra(dir);
  return dir;
}

function expected(text: string, mode: 'mean' | 'cls', normalize: boolean, maxLength = Infinity): number[] {
  let ids = Array.from(tokenizer.encode(text).ids);
  if (ids.length > maxLength) ids = [...ids.slice(0, maxLength - 1), ids[ids.length - 1]!]; // keep [SEP], as HF truncation does
  const h = hiddenStates(ids, E, T, D);
  const p = mode === 'cls' ? Array.from(h[0]!) : Array.from({ length: D }, (_, j) => h.reduce((a, v) => a + v[j]!, 0) / h.length);
  const n = Math.hypot(...p);
  return normalize ? p.map((x) => x / Math.max(n, 1e-12)) : p;
}

function assertClose(got: Float32Array, want: number[][], label: string): void {
  assert.equal(got.length, want.length * D, `${label}: length`);
  want.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(got[i * D + j]! - x) <= 1e-5 * (1 + Math.abs(x)), `${label}: text ${i} coordinate ${j}: ${got[i * D + j]} vs ${x}`)));
}

const texts = ['a much longer text with many words in it to pad the others', 'short', '', 'two words'];

test('mean pooling (the default for last_hidden_state) under the attention mask, in any batch', async () => {
  const enc = await OnnxTextEncoder.load(folder(), { normalize: false, batchSize: 4 });
  try {
    assert.equal(enc.outputName, 'last_hidden_state');
    assert.equal(enc.pooling, 'mean');
    const batched = await enc.encode(texts, { role: 'document' });
    assertClose(batched, texts.map((t) => expected(t, 'mean', false)), 'padded batch');
    assert.equal(enc.dim, D);
    // One text per batch (no padding) gives the same numbers.
    const alone = await OnnxTextEncoder.load(enc.folder, { normalize: false, batchSize: 1 });
    try {
      assert.deepEqual(await alone.encode(texts, { role: 'document' }), batched);
    } finally {
      await alone.close();
    }
  } finally {
    await enc.close();
  }
});

test('CLS pooling from 1_Pooling/config.json, L2-normalised; the option overrides the file', async () => {
  const dir = folder((d) => {
    mkdirSync(path.join(d, '1_Pooling'));
    writeFileSync(path.join(d, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: D, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false, pooling_mode_max_tokens: false }));
  });
  const cls = await OnnxTextEncoder.load(dir, { batchSize: 3 });
  const mean = await OnnxTextEncoder.load(dir, { pooling: 'mean' });
  try {
    assert.equal(cls.pooling, 'cls');
    assertClose(await cls.encode(texts, { role: 'query' }), texts.map((t) => expected(t, 'cls', true)), 'cls');
    const got = await mean.encode(texts, { role: 'query' });
    assertClose(got, texts.map((t) => expected(t, 'mean', true)), 'mean');
    for (let i = 0; i < texts.length; i++) assert.ok(Math.abs(Math.hypot(...got.subarray(i * D, (i + 1) * D)) - 1) < 1e-6);
  } finally {
    await cls.close();
    await mean.close();
  }
});

test("sentence_embedding (the model's own pooling) is preferred to 1_Pooling/config.json; --pooling picks token_embeddings", async () => {
  const dir = folder((d) => {
    mkdirSync(path.join(d, '1_Pooling'));
    writeFileSync(path.join(d, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_mean_tokens: true }));
  }, 'sentence-transformers');
  const own = await OnnxTextEncoder.load(dir, { normalize: false });
  const pooled = await OnnxTextEncoder.load(dir, { normalize: false, pooling: 'mean' });
  try {
    assert.deepEqual([own.outputName, pooled.outputName], ['sentence_embedding', 'token_embeddings']);
    assertClose(await own.encode(texts), texts.map((t) => expected(t, 'cls', false)), 'sentence_embedding = h_0');
    assertClose(await pooled.encode(texts), texts.map((t) => expected(t, 'mean', false)), 'mean of token_embeddings');
  } finally {
    await own.close();
    await pooled.close();
  }
});

test("a decoder export: position_ids fed 0, 1, 2, … along each row, last-token pooling from 1_Pooling/config.json", async () => {
  // Qwen3-Embedding's and gte-Qwen2's layout: position_ids among the inputs, pooling_mode_lasttoken.
  const P = Float32Array.from({ length: 128 * D }, (_, i) => ((i * 31) % 17) / 32);
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-onnx-decoder-'));
  textGraphWithHiddenStates(E, T, V, D, 'transformers', P).write(path.join(dir, 'model.onnx'));
  copyFileSync(tokFile, path.join(dir, 'tokenizer.json'));
  mkdirSync(path.join(dir, '1_Pooling'));
  writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: false, pooling_mode_mean_tokens: false, pooling_mode_lasttoken: true }));
  const enc = await OnnxTextEncoder.load(dir, { normalize: false, batchSize: 4 });
  try {
    assert.equal(enc.pooling, 'lasttoken');
    // padded in one batch: each text's last real token, at the positions it has alone
    const want = texts.map((t) => {
      const h = hiddenStates(Array.from(tokenizer.encode(t).ids), E, T, D, P);
      return Array.from(h[h.length - 1]!);
    });
    assertClose(await enc.encode(texts, { role: 'document' }), want, 'last token');
  } finally {
    await enc.close();
  }
});

test('the pooling modes the config schema lists are the ones the encoder has', () => {
  const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as { $defs?: unknown };
  const enums: unknown[] = [];
  const walk = (o: unknown, key = ''): void => {
    if (o === null || typeof o !== 'object') return;
    if (key === 'pooling' && 'enum' in o) enums.push((o as { enum: unknown }).enum);
    for (const [k, v] of Object.entries(o)) walk(v, k);
  };
  walk(schema);
  assert.deepEqual(enums, [[...POOLING_MODES]]);
});

test('query and document prefixes: from options, else config_sentence_transformers.json prompts', async () => {
  const dir = folder((d) => writeFileSync(path.join(d, 'config_sentence_transformers.json'), JSON.stringify({ prompts: { query: 'query: ', passage: 'passage: ' } })));
  const enc = await OnnxTextEncoder.load(dir, { normalize: false });
  const custom = await OnnxTextEncoder.load(dir, { normalize: false, queryPrefix: 'find ', documentPrefix: '' });
  try {
    assert.deepEqual([enc.queryPrefix, enc.documentPrefix], ['query: ', 'passage: ']);
    assertClose(await enc.encode(['red shoes'], { role: 'query' }), [expected('query: red shoes', 'mean', false)], 'query');
    assertClose(await enc.encode(['red shoes'], { role: 'document' }), [expected('passage: red shoes', 'mean', false)], 'document');
    assertClose(await custom.encode(['red shoes'], { role: 'query' }), [expected('find red shoes', 'mean', false)], 'custom query');
    assertClose(await custom.encode(['red shoes'], { role: 'document' }), [expected('red shoes', 'mean', false)], 'custom document');
  } finally {
    await enc.close();
    await custom.close();
  }
});

test('truncation to maxLength (special tokens included), from the option or sentence_bert_config.json', async () => {
  const dir = folder((d) => writeFileSync(path.join(d, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 6, do_lower_case: false })));
  const fromFile = await OnnxTextEncoder.load(dir, { normalize: false });
  const fromOption = await OnnxTextEncoder.load(dir, { normalize: false, maxLength: 4 });
  try {
    assert.equal(fromFile.maxLength, 6);
    const long = texts[0]!;
    assert.ok(tokenizer.encode(long).ids.length > 6);
    assertClose(await fromFile.encode([long, 'short'], { role: 'document' }), [expected(long, 'mean', false, 6), expected('short', 'mean', false)], 'max 6');
    assertClose(await fromOption.encode([long], { role: 'document' }), [expected(long, 'mean', false, 4)], 'max 4');
  } finally {
    await fromFile.close();
    await fromOption.close();
  }
});

test('inputs are int64 as the model declares; onnxruntime refuses an int32 feed', async () => {
  const dir = folder();
  const enc = await OnnxTextEncoder.load(dir);
  const session = await OnnxSession.open(path.join(dir, 'model.onnx'));
  try {
    assert.deepEqual(enc.session.inputs.map((m) => [m.name, m.type]), [['input_ids', 'int64'], ['attention_mask', 'int64'], ['token_type_ids', 'int64']]);
    const ones = (type: 'int32' | 'int64') => ({ type, data: type === 'int64' ? new BigInt64Array(2).fill(1n) : new Int32Array(2).fill(1), dims: [1, 2] });
    const r = await session.run({ input_ids: ones('int64'), attention_mask: ones('int64'), token_type_ids: ones('int64') }, ['last_hidden_state']);
    assert.deepEqual(r.last_hidden_state!.dims, [1, 2, D]);
    await assert.rejects(session.run({ input_ids: ones('int32'), attention_mask: ones('int64'), token_type_ids: ones('int64') }, ['last_hidden_state']), {
      message: `${path.join(dir, 'model.onnx')}: onnxruntime: Unexpected input data type. Actual: (tensor(int32)) , expected: (tensor(int64))`,
    });
  } finally {
    await enc.close();
    await session.close();
  }
});
