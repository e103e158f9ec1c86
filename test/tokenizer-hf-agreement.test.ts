// Ids and offsets identical to Hugging Face tokenizers (the `tokenizers` npm package, Rust) on
// every DDTP text of datasets/ddtp-mini (~60,500 texts, 9 languages plus the English training
// split), for BERT-uncased WordPiece, mBERT-cased WordPiece, a Unigram/Metaspace tokenizer (also with XLM-R's Precompiled nmt_nfkc normalizer) and the
// byte-level BPE layouts (GPT-2, RoBERTa, CLIP, and a vocabulary with holes in its ids).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';
import { Tokenizer } from '../src/index.js';
import { FIXTURES, assertSameEncodings, fixtureDir } from './helpers/hf-tokenizers.js';
import { ddtpTextsByLanguage } from '../src/data/ddtp/settings.js';
import { packageRoot } from '../src/native.js';

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');

const byLang = ddtpTextsByLanguage(DDTP_MINI);

for (const name of FIXTURES) {
  test(`${name}: ids and offsets equal HF tokenizers on every DDTP text`, async (t) => {
    const json = readFileSync(path.join(fixtureDir, name), 'utf8');
    const mine = Tokenizer.fromJson(json, name);
    const hf = tk.Tokenizer.fromString(json);
    const summary: string[] = [];
    let total = 0;
    for (const [lang, texts] of byLang) {
      await assertSameEncodings(mine, hf, texts, `${name} ${lang}`);
      total += texts.length;
      summary.push(`${lang} ${texts.length}`);
    }
    assert.ok(total >= 20000, `only ${total} texts`);
    t.diagnostic(`${name}: ${total} texts identical (${summary.join(', ')})`);
  });
}
