// DualEncoder.encodeTexts (tokenize + encode in one native pass) equals tokenizeTexts followed by
// DualEncoder.encode bit for bit, on DDTP texts in every language of ddtp-mini and hostile strings,
// for WordPiece, Unigram and byte-level BPE tokenizers and any thread count; NativeTextEncoder
// goes through it; and its argument errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DualEncoder, NativeTextEncoder, Tokenizer, tokenizeTexts } from '../src/index.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';
import { ddtpTextsByLanguage } from '../src/data/ddtp/settings.js';
import { packageRoot } from '../src/native.js';

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');
const ddtp = [...ddtpTextsByLanguage(DDTP_MINI, ['queries', 'corpus']).values()].flatMap((t) => t.slice(0, 150));
const hostile = ['', ' ', '\u0000\u0007\t\r\n', 'É\u0301\u0316x', '\uD800 lone', 'a'.repeat(5000), '👍🏽 emoji', '中文字符 mixed ASCII', 'Ⅻ ﬁ ǅ'];
const texts = [...ddtp, ...hostile];

for (const name of ['wordpiece-uncased.json', 'unigram-metaspace.json', 'roberta-bytelevel.json']) {
  test(`${name}: encodeTexts equals tokenizeTexts + encode bit for bit, with 1, 2 and 5 threads`, async () => {
    const tok = Tokenizer.fromFile(path.join(fixtureDir, name));
    for (const outDim of [0, 24]) {
      const model = DualEncoder.create({ vocabSize: tok.vocabSize, dim: 32, outDim, seed: 3 });
      const want = await model.encode(await tokenizeTexts(tok, texts, { maxLength: 40, threads: 1 }), { threads: 1 });
      for (const threads of [1, 2, 5]) {
        const got = await model.encodeTexts(tok, texts, { maxLength: 40, threads });
        assert.equal(got.length, texts.length * model.outDim);
        assert.ok(got.every((x, i) => Object.is(x, want[i])), `threads ${threads}, outDim ${outDim}`);
      }
    }
  });
}

test('NativeTextEncoder.encode gives the encodeTexts embeddings', async () => {
  const tok = Tokenizer.fromFile(path.join(fixtureDir, 'wordpiece-uncased.json'));
  const model = DualEncoder.create({ vocabSize: tok.vocabSize, dim: 16, seed: 1 });
  const enc = new NativeTextEncoder(model, tok, { maxLength: 12, threads: 2 });
  assert.deepEqual(await enc.encode(ddtp.slice(0, 50)), await model.encodeTexts(tok, ddtp.slice(0, 50), { maxLength: 12, threads: 1 }));
});

test('encodeTexts: bad arguments and ids outside the model are errors', async () => {
  const tok = Tokenizer.fromFile(path.join(fixtureDir, 'wordpiece-uncased.json'));
  const model = DualEncoder.create({ vocabSize: tok.vocabSize, dim: 4, seed: 1 });
  await assert.rejects(model.encodeTexts({} as Tokenizer, ['a'], { maxLength: 4 }), { name: 'TypeError', message: 'tokenizer must be a Tokenizer, got object' });
  await assert.rejects(model.encodeTexts(tok, ['a', 3 as unknown as string], { maxLength: 4 }), { name: 'TypeError', message: 'texts[1] must be a string, got number' });
  await assert.rejects(model.encodeTexts(tok, ['a'], { maxLength: 0 }), { name: 'RangeError', message: 'maxLength must be an integer ≥ 1, got 0' });
  await assert.rejects(model.encodeTexts(tok, ['a'], { maxLength: 4, threads: 0 }), { name: 'RangeError', message: 'threads must be an integer ≥ 1, got 0' });
  const small = DualEncoder.create({ vocabSize: 1, dim: 4, seed: 1 });
  const id = tok.encode('hello', { addSpecialTokens: false }).ids[0]!;
  assert.ok(id >= 1);
  await assert.rejects(small.encodeTexts(tok, ['', 'hello'], { maxLength: 4 }), { message: `texts[1] gives token id ${id}, outside the model's vocabulary [0, 1)` });
  assert.deepEqual(await model.encodeTexts(tok, [], { maxLength: 4 }), new Float32Array(0));
});
