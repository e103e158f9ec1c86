// Shared by the tokenizer agreement tests: the fixtures, and HF's
// code-point offsets converted to UTF-16 units (the `tokenizers` npm package reports code points).
import assert from 'node:assert/strict';
import path from 'node:path';
import tk from 'tokenizers';
import type { Tokenizer } from '../../src/index.js';
import { packageRoot } from '../../src/native.js';

export const fixtureDir = path.join(packageRoot, 'test', 'fixtures', 'tokenizer');
/** The byte-level BPE layouts (make-bpe-fixtures.mjs): GPT-2, RoBERTa, CLIP, and RoBERTa with holes in its ids. */
export const BPE_FIXTURES = ['gpt2-bytelevel.json', 'roberta-bytelevel.json', 'clip-bpe.json', 'bpe-holes.json'] as const;
/** sentencepiece's Precompiled normalizer (make-precompiled-fixtures.py): XLM-R's nmt_nfkc rules, and hand-written ones. */
export const PRECOMPILED_FIXTURES = ['unigram-precompiled.json', 'precompiled-rules.json'] as const;
/** The layouts compared on every DDTP text (the hand-written charsmap rules touch too little of it to be worth the time). */
/**
 * Llama 3's (GPT-4's cl100k) and Qwen2's Split regexes as their tokenizer.json files spell them,
 * written out here independently of src/tokenize/spec.ts, which must recognise them.
 */
export const LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
export const QWEN2_REGEX = LLAMA3_REGEX.replace('\\p{N}{1,3}', '\\p{N}');
export const FIXTURES = ['wordpiece-uncased.json', 'wordpiece-cased.json', 'unigram-metaspace.json', ...BPE_FIXTURES, 'unigram-precompiled.json'] as const;

/** Strings that break tokenizers: blanks, controls, lone surrogates, long words, emoji sequences, special tokens inside text. */
export const HOSTILE = [
  '',
  ' ',
  '    ',
  '\t\n\r\u000b\u000c',
  '\u0000\u0001\u001f\u007f\u0085\u200b\ufeff',
  'a\ud800b',
  '\udc00',
  'x \ud83d y\udbff',
  'a'.repeat(5000),
  'Überprüfung'.repeat(455),
  '日本語のテキスト'.repeat(625),
  'é'.repeat(127) + ' ' + 'é'.repeat(128) + ' ' + 'e\u0301'.repeat(130),
  '👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇩🇪🇫🇷 👩🏿‍🚀 ✌️',
  '👍🏽'.repeat(1250),
  "it's we're they've I'm she'll he'd don't 'S 'LL '' ''s",
  '  leading and trailing   ',
  'tab\tnew\nline\r\nnbsp\u00a0ideographic\u3000thin\u2009end',
  '<|endoftext|>a<|startoftext|> <s> x </s><mask> y <mask>z <pad><unk>',
  'Numbers 123 4567 ١٢٣ 𝟘𝟙𝟚 ½ Ⅻ',
  'Mixed: Привет мир, γειά σου, 안녕하세요, مرحبا, שלום, नमस्ते!!!',
  '\ufffd\ue000\u{10ffff}\u{1d11e}',
  '...!!!???---___***',
  'UPPER lower MiXeD ÀÉÎÕÜ ß ẞ İ',
  '<|STARTOFTEXT|>a photo of HELLO \t World, hello  world<|startoftext|> xyz  xyzxyz',
];


/** u16[i] = the UTF-16 offset of code point i of text (u16[count] = text.length). */
export function codePointToUtf16(text: string): number[] {
  const m = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    m.push(u);
  }
  return m;
}

/**
 * Encodes `texts` with both tokenizers (xmrbench on 2 threads) and asserts that every text has the
 * same ids and the same offsets (HF's code points converted to UTF-16 units; (0, 0) stays).
 */
export async function assertSameEncodings(mine: Tokenizer, hf: tk.Tokenizer, texts: string[], label: string, addSpecialTokens = true): Promise<void> {
  const ref = await hf.encodeBatch(texts, { addSpecialTokens });
  const got = mine.encodeBatchSync(texts, { offsets: true, addSpecialTokens, threads: 2 });
  let at = 0;
  texts.forEach((text, i) => {
    const len = got.lengths[i]!;
    const what = `${label}, text ${i} ${JSON.stringify(text.slice(0, 30))}`;
    assert.deepEqual(Array.from(got.ids.subarray(at, at + len)), ref[i]!.getIds(), `${what}: ids`);
    const u16 = codePointToUtf16(text);
    const want = ref[i]!.getOffsets().flatMap(([s = 0, e = 0]) => (s === 0 && e === 0 ? [0, 0] : [u16[s]!, u16[e]!]));
    assert.deepEqual(Array.from(got.offsets!.subarray(2 * at, 2 * (at + len))), want, `${what}: offsets`);
    at += len;
  });
}
