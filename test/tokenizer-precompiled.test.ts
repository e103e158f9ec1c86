// The Precompiled normalizer (sentencepiece's charsmap, as XLM-R, mT5 and the multilingual
// retrievers built on them carry it) against Hugging Face tokenizers: ids and offsets identical on
// the hostile strings and on the cases where HF's reading of a charsmap is its own — a short
// grapheme cluster replaced whole by the rule of its first code point, removals at the start of a
// text (their alignment lost, the next ones shifted), an expansion followed by a removal — with
// sentencepiece's nmt_nfkc rules and with hand-written ones (make-precompiled-fixtures.py). Every
// DDTP text is compared in tokenizer-hf-agreement.test.ts and every code point in
// tokenizer-unicode-classes.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';
import { Tokenizer } from '../src/index.js';
import { HOSTILE, PRECOMPILED_FIXTURES, assertSameEncodings, fixtureDir } from './helpers/hf-tokenizers.js';

const QUIRKS = [
  'Ａ\u0301bc', // one cluster under 6 bytes whose first code point has a rule: replaced whole by "A"
  'k\u0301 e\u0301 e\u0301\u0301 Ａ\u0301\u0301', // shortest key first; a cluster of 6 bytes or more is looked up code point by code point
  '\u001eab', // a removal with nothing before it: the alignments after it shift by one
  '\u001e\u001e\u001eab\u001e',
  '™\u001eg x™\u001e\u001ey', // an expansion followed by removals
  'ﬁne ①②㍻ ｶﾀｶﾅ ＡＢＣ',
  'Hello  world\t\u3000end   ', // the Replace of runs of spaces, and Strip(right)
  '\r\n\r\nk \u0600a™ 각\u11a8 a\u200dk\u0301', // CR LF, Prepend, Hangul and ZWJ clusters
  '🇩🇪🇫🇷 👨‍👩‍👧 ©\u200d©', // regional-indicator pairs, emoji ZWJ sequences (GB11)
];

for (const name of PRECOMPILED_FIXTURES) {
  test(`${name}: ids and offsets equal HF tokenizers on hostile strings and on HF's own charsmap cases`, async () => {
    const json = readFileSync(path.join(fixtureDir, name), 'utf8');
    const mine = Tokenizer.fromJson(json, name);
    const hf = tk.Tokenizer.fromString(json);
    await assertSameEncodings(mine, hf, [...QUIRKS, ...HOSTILE], name);
  });
}

test('the hand-written rules do what the fixture says: a cluster replaced whole, a removal, an expansion', () => {
  const tok = Tokenizer.fromFile(path.join(fixtureDir, 'precompiled-rules.json'));
  assert.equal(tok.normalize('Ａ\u0301bc'), 'Abc');
  assert.equal(tok.normalize('™\u001eg'), 'TMg');
  assert.equal(tok.normalize('ﬁ\tx  y  '), 'fi x\u2581y');
});
