// The ONNX text encoder reads a model folder as optimum writes it: config.json's position
// embeddings bound the default maximum length (the smaller of it and tokenizer_config.json's
// model_max_length, as sentence-transformers infers it; RoBERTa-style models lose pad_token_id + 1
// positions), and padding positions get special_tokens_map.json's pad_token, else the tokenizer's,
// else config.json's pad_token_id. The graph written here sums the input ids of each row, padding
// included, so both the truncation and the pad id show in its output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { OnnxTextEncoder } from '../src/encoders/onnx-text.js';
import { OnnxGraph } from '../src/export/onnx-writer.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';

/** sentence_embedding[b] = [Σ_t input_ids[b, t]] (padding included). */
function idSumGraph(): OnnxGraph {
  const g = new OnnxGraph('test_id_sum');
  g.input('input_ids', 'int64', ['batch', 'sequence']);
  g.constant('axis1', BigInt64Array.of(1n), [1]);
  g.node('Cast', ['input_ids'], ['ids'], { to: { int: 1 } });
  g.node('ReduceSum', ['ids', 'axis1'], ['sentence_embedding'], { keepdims: { int: 1 } });
  g.output('sentence_embedding', 'float32', ['batch', 1]);
  return g;
}

function folder(tokenizer: string, files: Record<string, object>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-onnx-folder-'));
  idSumGraph().write(path.join(dir, 'model.onnx'));
  copyFileSync(path.join(fixtureDir, tokenizer), path.join(dir, 'tokenizer.json'));
  for (const [name, value] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(value));
  return dir;
}

async function withEncoder<T>(dir: string, f: (enc: OnnxTextEncoder) => Promise<T>): Promise<T> {
  const enc = await OnnxTextEncoder.load(dir, { normalize: false });
  try {
    return await f(enc);
  } finally {
    await enc.close();
  }
}

const long = 'a much longer text with many words in it to pad the others';
const sum = (ids: ArrayLike<number>): number => Array.from(ids).reduce((a, b) => a + b, 0);

test('config.json bounds the default maximum length', async () => {
  const tok = Tokenizer.fromFile(path.join(fixtureDir, 'wordpiece-uncased.json'));
  const ids = Array.from(tok.encode(long).ids);
  assert.ok(ids.length > 8);
  // HF truncation keeps [SEP] at the end.
  const truncated = (n: number) => sum([...ids.slice(0, n - 1), ids[ids.length - 1]!]);
  const cases: [Record<string, object>, number][] = [
    [{}, 512],
    [{ 'config.json': { model_type: 'bert', max_position_embeddings: 6 } }, 6],
    [{ 'config.json': { model_type: 'bert', max_position_embeddings: 6 }, 'tokenizer_config.json': { model_max_length: 5 } }, 5],
    [{ 'config.json': { model_type: 'bert', max_position_embeddings: 6 }, 'tokenizer_config.json': { model_max_length: 1e30 } }, 6],
    [{ 'config.json': { model_type: 'xlm-roberta', max_position_embeddings: 9, pad_token_id: 1 } }, 7],
    [{ 'config.json': { model_type: 'bert', max_position_embeddings: 6 }, 'sentence_bert_config.json': { max_seq_length: 4 } }, 4],
  ];
  for (const [files, max] of cases) {
    await withEncoder(folder('wordpiece-uncased.json', files), async (enc) => {
      assert.equal(enc.maxLength, max, JSON.stringify(files));
      assert.deepEqual(Array.from(await enc.encode([long])), [max >= ids.length ? sum(ids) : truncated(max)], JSON.stringify(files));
    });
  }
});

test('padding uses special_tokens_map.json, else the tokenizer, else config.json', async () => {
  const check = async (tokenizer: string, files: Record<string, object>, padToken: string | number) => {
    const tok = Tokenizer.fromFile(path.join(fixtureDir, tokenizer));
    const padId = typeof padToken === 'number' ? padToken : Array.from(tok.encode(padToken, { addSpecialTokens: false }).ids)[0]!;
    if (typeof padToken === 'string') assert.equal(tok.idToToken(padId), padToken);
    const [a, b] = [tok.encode(long).ids, tok.encode('short').ids];
    await withEncoder(folder(tokenizer, files), async (enc) => {
      assert.equal(enc.padId, padId, `${tokenizer} ${JSON.stringify(files)}`);
      // One batch, padded to the longer text: the short one's sum includes its padding.
      assert.deepEqual(Array.from(await enc.encode([long, 'short'])), [sum(a), sum(b) + (a.length - b.length) * padId]);
    });
  };
  await check('wordpiece-uncased.json', {}, '[PAD]');
  await check('wordpiece-uncased.json', { 'special_tokens_map.json': { pad_token: '[MASK]' } }, '[MASK]');
  await check('wordpiece-uncased.json', { 'special_tokens_map.json': { pad_token: { content: '[UNK]', lstrip: false, normalized: false } }, 'config.json': { pad_token_id: 3 } }, '[UNK]');
  await check('clip-bpe.json', { 'special_tokens_map.json': { pad_token: '<|endoftext|>' } }, '<|endoftext|>');
  await check('gpt2-bytelevel.json', { 'config.json': { pad_token_id: 7 } }, 7);
  await check('gpt2-bytelevel.json', {}, 0);
});

test('a pad_token that is not one token of tokenizer.json is refused, naming the file', async () => {
  const dir = folder('wordpiece-uncased.json', { 'special_tokens_map.json': { pad_token: 'two words' } });
  await assert.rejects(OnnxTextEncoder.load(dir), {
    name: 'XmrError',
    message: `${path.join(dir, 'special_tokens_map.json')}: pad_token: "two words" is not one token of ${path.join(dir, 'tokenizer.json')}`,
  });
});
