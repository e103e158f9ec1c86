// The tokenizer.json written beside an exported model (src/export/tokenizer-json.ts) is one that
// Hugging Face `tokenizers` loads and that tokenizes as the model was trained: from a BERT
// vocab.txt, HF's ids equal the native vocab.txt tokenizer's without special tokens, truncated to
// the training's maximum length, on DDTP texts in several scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tk from 'tokenizers';
import { readBeirCorpus } from '../src/data/beir.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';
import { exportTokenizerJson } from '../src/export/tokenizer-json.js';
import { packageRoot } from '../src/native.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';

test('from a vocab.txt: HF tokenizers and the native tokenizer give the training ids', async () => {
  const texts: string[] = [];
  for (const lang of ['en', 'de', 'ru', 'ja', 'pl']) texts.push(...(await readBeirCorpus(path.join(packageRoot, 'datasets', 'ddtp-mini', lang, 'corpus.jsonl'))).texts.slice(0, 60));
  texts.push('', '  Ünïcödé ÀCCENTS  and 日本語 mixed', 'x'.repeat(300));
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-export-tok-'));
  const vocabFile = path.join(dir, 'vocab.txt');
  writeVocab(vocabFile, buildWordVocab(texts.slice(0, 200)));
  const json = exportTokenizerJson(vocabFile, { maxLength: 24 });
  writeFileSync(path.join(dir, 'tokenizer.json'), json);
  const training = Tokenizer.fromVocabFile(vocabFile);
  const exported = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  const hf = tk.Tokenizer.fromString(json);
  const want = training.encodeBatchSync(texts, { addSpecialTokens: false, maxLength: 24 });
  const got = exported.encodeBatchSync(texts); // the file's own defaults: no special tokens, truncation at 24
  assert.deepEqual(got.ids, want.ids);
  assert.deepEqual(got.lengths, want.lengths);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const len = want.lengths[i]!;
    const ids = (await hf.encode(texts[i]!)).getIds();
    assert.deepEqual(ids, Array.from(want.ids.subarray(at, at + len)), `text ${i}`);
    at += len;
  }
});

test('from a tokenizer.json: the post-processor is dropped and truncation set, the rest kept', () => {
  const json = JSON.parse(exportTokenizerJson(path.join(fixtureDir, 'wordpiece-uncased.json'), { maxLength: 50 })) as Record<string, unknown>;
  assert.equal(json.post_processor, null);
  assert.deepEqual(json.truncation, { direction: 'Right', max_length: 50, strategy: 'LongestFirst', stride: 0 });
  assert.equal((json.model as { type: string }).type, 'WordPiece');
  assert.throws(() => exportTokenizerJson(path.join(fixtureDir, 'nope.json'), { maxLength: 5 }), { code: 'E_MISSING', message: `${path.join(fixtureDir, 'nope.json')}: no such tokenizer file` });
  const broken = path.join(mkdtempSync(path.join(tmpdir(), 'xmr-export-tok-')), 'tokenizer.json');
  writeFileSync(broken, '{"model":\n  {"type": }}');
  assert.throws(() => exportTokenizerJson(broken, { maxLength: 5 }), { code: 'E_PARSE', message: `${broken}:2: invalid JSON at column 12: Unexpected token '}'` });
});
