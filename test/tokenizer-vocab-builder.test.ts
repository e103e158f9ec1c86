// The WordPiece vocabulary builder on DDTP text of every language: the tokenizer.json it writes
// loads in Hugging Face tokenizers, and HF and xmrbench then tokenize identically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tk from 'tokenizers';
import { Tokenizer, buildWordPieceVocab } from '../src/index.js';
import path from 'node:path';
import { ddtpTextsByLanguage } from '../src/data/ddtp/settings.js';
import { packageRoot } from '../src/native.js';

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');

const texts = [...ddtpTextsByLanguage(DDTP_MINI, ['queries']).values()].flat();

for (const lowercase of [true, false]) {
  test(`a ${lowercase ? 'BERT-uncased' : 'mBERT-cased'} vocabulary HF loads and both tokenize alike`, async () => {
    const json = JSON.stringify(buildWordPieceVocab(texts, { vocabSize: 4000, lowercase }));
    const vocab = (JSON.parse(json) as { model: { vocab: Record<string, number> } }).model.vocab;
    assert.equal(Object.keys(vocab).length, 4000);
    assert.deepEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => vocab[t]), [0, 1, 2, 3, 4]);
    const hf = tk.Tokenizer.fromString(json);
    const mine = Tokenizer.fromJson(json);
    const ref = await hf.encodeBatch(texts);
    const got = mine.encodeBatchSync(texts);
    let at = 0;
    texts.forEach((_, i) => {
      const len = got.lengths[i]!;
      assert.deepEqual(Array.from(got.ids.subarray(at, at + len)), ref[i]!.getIds(), `text ${i}`);
      at += len;
    });
    const unk = Array.from(got.ids).filter((x) => x === 1).length;
    assert.ok(unk / got.ids.length < 0.001, `${unk} unknown tokens`); // the builder saw these texts
  });
}

test('bad options', () => {
  assert.throws(() => buildWordPieceVocab([], { vocabSize: 3 }), { name: 'RangeError', message: 'vocabSize must be an integer ≥ 5, got 3' });
  assert.throws(() => buildWordPieceVocab([], { specialTokens: ['[UNK]', '[CLS]'] }), { name: 'RangeError', message: 'specialTokens must contain [SEP]' });
});
