// Truncation (right and left), padding ('longest', 'max_length'; right and left), attention masks,
// type ids and int64 output, against HF tokenizers' setTruncation / setPadding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';
import { Tokenizer } from '../src/index.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';
import { ddtpTextsByLanguage } from '../src/data/ddtp/settings.js';
import { packageRoot } from '../src/native.js';

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');

const texts = [...ddtpTextsByLanguage(DDTP_MINI, ['queries']).values()].flat();

const settings = [
  { maxLength: 16, padding: 'longest', side: 'right' },
  { maxLength: 24, padding: 'max_length', side: 'right' },
  { maxLength: 9, padding: 'longest', side: 'left' },
] as const;

for (const name of ['wordpiece-cased.json', 'unigram-metaspace.json']) {
  for (const s of settings) {
    test(`${name}: maxLength ${s.maxLength}, padding ${s.padding}, ${s.side} side, int64`, async () => {
      const json = readFileSync(path.join(fixtureDir, name), 'utf8');
      const mine = Tokenizer.fromJson(json, name);
      const hf = tk.Tokenizer.fromString(json);
      hf.setTruncation(s.maxLength, { direction: s.side });
      const padId = mine.defaults.padId!;
      hf.setPadding(s.padding === 'max_length' ? { maxLength: s.maxLength, padId, direction: s.side } : { padId, direction: s.side });
      const ref = await hf.encodeBatch(texts);
      const got = mine.encodeBatchSync(texts, { maxLength: s.maxLength, padding: s.padding, truncationSide: s.side, paddingSide: s.side, int64: true, typeIds: true, threads: 2 });
      assert.ok(got.ids instanceof BigInt64Array && got.attentionMask instanceof BigInt64Array);
      assert.equal(got.rows, texts.length);
      assert.equal(got.cols, s.maxLength);
      for (let i = 0; i < texts.length; i++) {
        const row = (a: BigInt64Array) => Array.from(a.subarray(i * got.cols, (i + 1) * got.cols), Number);
        assert.deepEqual(row(got.ids), ref[i]!.getIds(), `text ${i}`);
        assert.deepEqual(row(got.attentionMask), ref[i]!.getAttentionMask(), `text ${i}: mask`);
        assert.deepEqual(row(got.typeIds!), ref[i]!.getTypeIds(), `text ${i}: type ids`);
        assert.equal(got.lengths[i], ref[i]!.getAttentionMask().reduce((a, b) => a + b, 0));
      }
    });
  }
}

test('without padding, rows follow one another and lengths delimit them', () => {
  const mine = Tokenizer.fromFile(path.join(fixtureDir, 'wordpiece-uncased.json'));
  const r = mine.encodeBatchSync(['hello world', '', 'a'], { padding: false });
  assert.equal(r.cols, 0);
  assert.equal(r.ids.length, r.lengths.reduce((a, b) => a + b, 0));
  assert.deepEqual(Array.from(r.ids.subarray(r.lengths[0]!, r.lengths[0]! + 2)), [2, 3]); // '' → [CLS] [SEP]
  assert.deepEqual(Array.from(mine.encode('').ids), [2, 3]);
  assert.deepEqual(Array.from(mine.encode('', { addSpecialTokens: false }).ids), []);
});
