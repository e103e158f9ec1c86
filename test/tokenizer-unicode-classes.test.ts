// Every code point through each normalizer and pre-tokenizer, against HF tokenizers: they agree
// except on characters new in Unicode 16 (Rust's char tables are newer than the Unicode 15.0 data
// the generator reads), pinned in fixtures/tokenizer/unicode-differences.json — regenerate it with
// XMR_UPDATE_SNAPSHOTS=1 after changing the tables, and check that every entry is a Unicode 16 addition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';
import { native, type NativeNormalizerSpec, type NativePreTokenizerSpec, type NativeTokenizer } from '../src/native.js';
import { LLAMA3_REGEX, QWEN2_REGEX, fixtureDir } from './helpers/hf-tokenizers.js';

const snapshot = path.join(fixtureDir, 'unicode-differences.json');
const base = {
  normalizers: [] as NativeNormalizerSpec[],
  preTokenizers: [] as NativePreTokenizerSpec[],
  model: { type: 'wordpiece' as const, vocab: ['[UNK]'], unkId: 0, continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 },
  addedTokens: [],
  post: { prefix: [], prefixTypes: [], suffix: [], suffixTypes: [], sequenceType: 0 },
};
const make = (over: Partial<typeof base>): NativeTokenizer => new (native().Tokenizer)({ ...base, ...over });

// Every code point but surrogates; of the private-use planes 15 and 16, one in 256.
const codePoints: number[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++) if ((cp < 0xd800 || cp > 0xdfff) && (cp < 0xf0000 || (cp & 0xff) === 0)) codePoints.push(cp);
const sample = (cp: number) => `a${String.fromCodePoint(cp)}b1 `;

type Check = [name: string, mine: (s: string) => string, hf: (s: string) => string];
const nmtNfkcJson = (JSON.parse(readFileSync(path.join(fixtureDir, 'unigram-precompiled.json'), 'utf8')) as { normalizer: { normalizers: { precompiled_charsmap: string }[] } }).normalizer.normalizers[0]!;
const nmtNfkc = { json: nmtNfkcJson, bytes: new Uint8Array(Buffer.from(nmtNfkcJson.precompiled_charsmap, 'base64')) };
const CLIP_REGEX = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";
// An HF tokenizer with the given normalizer or pre-tokenizer (the npm binding builds no regex Split or Replace itself).
const hfPipeline = (parts: object) =>
  tk.Tokenizer.fromString(JSON.stringify({ version: '1.0', model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: { '[UNK]': 0 } }, ...parts }));
const words = (p: { preTokenizeString(s: string): [string, [number, number]][] }) => (s: string) => JSON.stringify(p.preTokenizeString(s).map((w) => w[0]));
const ours = (t: NativeTokenizer) => (s: string) => JSON.stringify(t.preTokenize(s).map((w) => w[0]));
const checks: Check[] = [
  ['BertNormalizer cased', (s) => make({ normalizers: [{ type: 'bert', cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false }] }).normalize(s), (s) => tk.bertNormalizer({ lowercase: false }).normalizeString(s)],
  ['BertNormalizer uncased', (s) => make({ normalizers: [{ type: 'bert', cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true }] }).normalize(s), (s) => tk.bertNormalizer({ lowercase: true }).normalizeString(s)],
  ['NFC', (s) => make({ normalizers: [{ type: 'nfc' }] }).normalize(s), (s) => tk.nfcNormalizer().normalizeString(s)],
  ['NFD', (s) => make({ normalizers: [{ type: 'nfd' }] }).normalize(s), (s) => tk.nfdNormalizer().normalizeString(s)],
  ['NFKC', (s) => make({ normalizers: [{ type: 'nfkc' }] }).normalize(s), (s) => tk.nfkcNormalizer().normalizeString(s)],
  ['NFKD', (s) => make({ normalizers: [{ type: 'nfkd' }] }).normalize(s), (s) => tk.nfkdNormalizer().normalizeString(s)],
  ['Lowercase', (s) => make({ normalizers: [{ type: 'lowercase' }] }).normalize(s), (s) => tk.lowercase().normalizeString(s)],
  ['StripAccents', (s) => make({ normalizers: [{ type: 'stripAccents' }] }).normalize(s), (s) => tk.stripAccentsNormalizer().normalizeString(s)],
  ['BertPreTokenizer', ours(make({ preTokenizers: [{ type: 'bert' }] })), words(tk.bertPreTokenizer())],
  ['Whitespace', ours(make({ preTokenizers: [{ type: 'whitespace' }] })), words(tk.whitespacePreTokenizer())],
  ['WhitespaceSplit', ours(make({ preTokenizers: [{ type: 'whitespaceSplit' }] })), words(tk.whitespaceSplitPreTokenizer())],
  ['Punctuation', ours(make({ preTokenizers: [{ type: 'punctuation', behavior: 'isolated' }] })), words(tk.punctuationPreTokenizer())],
  ['Digits', ours(make({ preTokenizers: [{ type: 'digits', individualDigits: false }] })), words(tk.digitsPreTokenizer(false))],
  // Byte-level BPE's regexes (Oniguruma's \p{L}, \p{N}, \s in HF) and CLIP's \s+ clean-up.
  ['ByteLevel', ours(make({ preTokenizers: [{ type: 'byteLevel', addPrefixSpace: false, useRegex: true }] })), words(tk.byteLevelPreTokenizer(false, true))],
  ['Split CLIP', ours(make({ preTokenizers: [{ type: 'split', pattern: 'clip', literal: '', behavior: 'removed', invert: true }] })), words(hfPipeline({ pre_tokenizer: { type: 'Split', pattern: { Regex: CLIP_REGEX }, behavior: 'Removed', invert: true } }).getPreTokenizer()!)],
  ['Split Llama 3', ours(make({ preTokenizers: [{ type: 'split', pattern: 'llama3', literal: '', behavior: 'isolated', invert: false }] })), words(hfPipeline({ pre_tokenizer: { type: 'Split', pattern: { Regex: LLAMA3_REGEX }, behavior: 'Isolated', invert: false } }).getPreTokenizer()!)],
  ['Split Qwen2', ours(make({ preTokenizers: [{ type: 'split', pattern: 'qwen2', literal: '', behavior: 'isolated', invert: false }] })), words(hfPipeline({ pre_tokenizer: { type: 'Split', pattern: { Regex: QWEN2_REGEX }, behavior: 'Isolated', invert: false } }).getPreTokenizer()!)],
  ['Replace \\s+', (s) => make({ normalizers: [{ type: 'replaceWhitespace', content: ' ' }] }).normalize(s), (s) => hfPipeline({ normalizer: { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' } }).getNormalizer()!.normalizeString(s)],
  // sentencepiece's nmt_nfkc charsmap (XLM-R's): each code point alone and in a cluster with the "a" before it.
  ['Precompiled nmt_nfkc', (s) => make({ normalizers: [{ type: 'precompiled', charsmap: nmtNfkc.bytes }] }).normalize(s), (s) => hfPipeline({ normalizer: nmtNfkc.json }).getNormalizer()!.normalizeString(s)],
];

/** Code points where the two differ: whole chunks first, one by one only inside a differing chunk. */
function differences([, mine, hf]: Check): number[] {
  const out: number[] = [];
  for (let i = 0; i < codePoints.length; i += 512) {
    const chunk = codePoints.slice(i, i + 512);
    const s = chunk.map(sample).join('');
    if (mine(s) === hf(s)) continue;
    for (const cp of chunk) if (mine(sample(cp)) !== hf(sample(cp))) out.push(cp);
  }
  return out;
}

const ranges = (cps: number[]) => {
  const r: [number, number][] = [];
  for (const cp of cps) {
    const last = r[r.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else r.push([cp, cp]);
  }
  return r.map(([a, b]) => (a === b ? a.toString(16) : `${a.toString(16)}-${b.toString(16)}`));
};

test('normalizers and pre-tokenizers agree with HF tokenizers on every code point (Unicode 16 additions aside)', () => {
  const got: Record<string, string[]> = {};
  for (const c of checks) got[c[0]] = ranges(differences(c));
  if (process.env.XMR_UPDATE_SNAPSHOTS === '1') writeFileSync(snapshot, JSON.stringify(got, null, 1) + '\n');
  assert.deepEqual(got, JSON.parse(readFileSync(snapshot, 'utf8')));
});
