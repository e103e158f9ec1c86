// Bad input never crashes: lone surrogates, empty strings, a 1 MB string, control characters give
// defined results; bad arguments and malformed or unsupported tokenizer.json files give errors
// with exact messages (the file and the JSON path of the component).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Tokenizer, XmrError } from '../src/index.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';

const file = path.join(fixtureDir, 'wordpiece-uncased.json');
const tok = Tokenizer.fromFile(file);
const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const bpe = { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b'] };

test('lone surrogates read as U+FFFD, which BERT cleaning removes; offsets stay in UTF-16 units', () => {
  // As HF tokenizers: "a", then "bc" (b ##c) once the surrogate between them is gone.
  const e = tok.encode('a\ud800 b\udc00c', { addSpecialTokens: false });
  assert.deepEqual(Array.from(e.ids), Array.from(tok.encode('a bc', { addSpecialTokens: false }).ids));
  assert.deepEqual(Array.from(e.offsets), [0, 1, 3, 4, 5, 6]);
});

test('empty strings, control characters and a 1 MB string', () => {
  const r = tok.encodeBatchSync(['', '\u0000\u0001\u007f', 'x'.repeat(1 << 20), 'word '.repeat(200000)], { padding: false, threads: 2 });
  assert.deepEqual(Array.from(r.lengths.subarray(0, 3)), [2, 2, 3]); // [CLS] [SEP]; [CLS] [SEP]; [CLS] [UNK] [SEP]
  assert.equal(r.lengths[3], 200002);
  const cut = tok.encodeBatchSync(['word '.repeat(200000)], { maxLength: 512, padding: 'max_length' });
  assert.equal(cut.cols, 512);
});

const argCases: [string, () => unknown, ErrorConstructor, string][] = [
  ['texts not an array', () => tok.encodeBatchSync('abc' as unknown as string[]), TypeError, 'texts must be an array of strings, got string'],
  ['a text not a string', () => tok.encodeBatchSync(['a', 3 as unknown as string]), TypeError, 'texts[1] must be a string, got number'],
  ['maxLength 0', () => tok.encodeBatchSync(['a'], { maxLength: 0 }), RangeError, 'maxLength must be an integer ≥ 1, got 0'],
  ['maxLength below the special tokens', () => tok.encodeBatchSync(['a'], { maxLength: 1 }), RangeError, 'maxLength must be ≥ 2 (the special tokens added to each text), got 1'],
  ['padding max_length without maxLength', () => tok.encodeBatchSync(['a'], { padding: 'max_length' }), RangeError, "padding 'max_length' needs maxLength"],
  ['padding unknown', () => tok.encodeBatchSync(['a'], { padding: 'longer' as 'longest' }), TypeError, "padding must be 'longest', 'max_length' or false, got longer"],
  ['threads 0', () => tok.encodeBatchSync(['a'], { threads: 0 }), RangeError, 'threads must be an integer ≥ 1, got 0'],
  ['offsets not boolean', () => tok.encodeBatchSync(['a'], { offsets: 1 as unknown as boolean }), TypeError, 'offsets must be a boolean, got number'],
  ['encode a number', () => tok.encode(5 as unknown as string), TypeError, 'text must be a string, got number'],
];
for (const [name, fn, type, message] of argCases) {
  test(`bad argument: ${name}`, () => assert.throws(fn, (e: unknown) => e instanceof type && (e as Error).message === message));
}

test('the async form rejects bad arguments instead of throwing', async () => {
  await assert.rejects(tok.encodeBatch([1 as unknown as string]), { name: 'TypeError', message: 'texts[0] must be a string, got number' });
});

const fileCases: [string, string, string][] = [
  ['not JSON', '{"model": ', 'E_PARSE'],
  ['unknown normalizer', JSON.stringify({ ...json, normalizer: { type: 'Sequence', normalizers: [{ type: 'Nmt' }] } }), 't.json: normalizer.normalizers[0].type must be one of Sequence, BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Replace, Strip, Prepend, Precompiled, got "Nmt"'],
  ['Precompiled charsmap empty', JSON.stringify({ ...json, normalizer: { type: 'Sequence', normalizers: [{ type: 'Precompiled', precompiled_charsmap: '' }] } }), 't.json: normalizer.normalizers[0].precompiled_charsmap holds 0 bytes, fewer than the 4 of its trie size'],
  ['Precompiled charsmap not base64', JSON.stringify({ ...json, normalizer: { type: 'Precompiled', precompiled_charsmap: 'AAAA AAAA' } }), 't.json: normalizer.precompiled_charsmap must be standard base64 with canonical padding'],
  ['Precompiled trie past the end', JSON.stringify({ ...json, normalizer: { type: 'Precompiled', precompiled_charsmap: Buffer.from([8, 0, 0, 0, 1, 2, 3, 4]).toString('base64') } }), 't.json: normalizer.precompiled_charsmap says its trie has 8 bytes, but only 4 follow'],
  ['Precompiled replacements not UTF-8', JSON.stringify({ ...json, normalizer: { type: 'Precompiled', precompiled_charsmap: Buffer.from([0, 0, 0, 0, 0xc3, 0x28]).toString('base64') } }), 't.json: normalizer.precompiled_charsmap has replacement strings that are not valid UTF-8'],
  ['UnicodeScripts pre-tokenizer', JSON.stringify({ ...json, pre_tokenizer: { type: 'UnicodeScripts' } }), 't.json: pre_tokenizer.type must be one of Sequence, BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, Metaspace, ByteLevel, Split, got "UnicodeScripts"'],
  ['WordLevel model', JSON.stringify({ ...json, model: { type: 'WordLevel', vocab: { '[UNK]': 0 }, unk_token: '[UNK]' } }), 't.json: model.type must be one of WordPiece, Unigram, BPE, got "WordLevel"'],
  ['RobertaProcessing inside a post-processor Sequence', JSON.stringify({ ...json, post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel' }, { type: 'RobertaProcessing', cls: ['<s>', 0], sep: ['</s>', 2] }] } }), 't.json: post_processor.processors[1].type must be one of ByteLevel, BertProcessing, TemplateProcessing, got "RobertaProcessing"'],
  ['regex Replace', JSON.stringify({ ...json, normalizer: { type: 'Replace', pattern: { Regex: ' +' }, content: ' ' } }), 't.json: normalizer.pattern must be a literal {"String": …} pattern or the Regex \\s+ or " {2,}" (other Regex patterns are not supported)'],
  ['Split with another regex', JSON.stringify({ ...json, pre_tokenizer: { type: 'Split', pattern: { Regex: '\\p{N}{1,3}' }, behavior: 'Isolated', invert: false } }), 't.json: pre_tokenizer.pattern.Regex must be GPT-2\'s, CLIP\'s, Llama 3\'s or Qwen2\'s regex (other Regex patterns are not supported), got "\\\\p{N}{1,3}"'],
  ['BPE dropout', JSON.stringify({ ...json, model: { ...bpe, dropout: 0.1 } }), 't.json: model.dropout must be null (BPE dropout samples merges at random, for training), got 0.1'],
  ['BPE merge of unknown tokens', JSON.stringify({ ...json, model: { ...bpe, merges: ['a c'] } }), 't.json: model.merges[0] must merge tokens of the vocabulary, got "c"'],
  ['BPE merge whose result is unknown', JSON.stringify({ ...json, model: { ...bpe, merges: [['b', 'a']] } }), 't.json: model.merges[0] must make a token of the vocabulary, got "ba"'],
  ['BPE merge not a pair', JSON.stringify({ ...json, model: { ...bpe, merges: ['a b c'] } }), 't.json: model.merges[0] must be two tokens separated by one space, got "a b c"'],
  ['BPE unk token missing', JSON.stringify({ ...json, model: { ...bpe, unk_token: '<unk>' } }), 't.json: model.unk_token must be a token of the vocabulary, got "<unk>"'],
  ['vocab ids shared', JSON.stringify({ ...json, model: { ...bpe, vocab: { a: 0, b: 0 } } }), 't.json: model.vocab must give each id once ("a" and "b" have 0)'],
  ['unk token missing', JSON.stringify({ ...json, model: { ...(json.model as object), unk_token: '<unk>' } }), 't.json: model.unk_token must be a token of the vocabulary, got "<unk>"'],
  ['vocab not an object', JSON.stringify({ ...json, model: { type: 'WordPiece', vocab: [] } }), 't.json: model.vocab must be an object, got an array'],
  ['added token without id', JSON.stringify({ ...json, added_tokens: [{ content: '[X]', special: true }] }), 't.json: added_tokens[0].id must be an integer ≥ 0, got undefined'],
];
for (const [name, text, message] of fileCases) {
  test(`malformed tokenizer.json: ${name}`, () => {
    assert.throws(
      () => Tokenizer.fromJson(text, 't.json'),
      (e: unknown) => e instanceof XmrError && (message.startsWith('E_') ? e.code === message : e.message === message && e.file === 't.json'),
    );
  });
}

test('a missing file is an XmrError naming it', () => {
  assert.throws(() => Tokenizer.fromFile('/nonexistent/tokenizer.json'), { name: 'XmrError', message: '/nonexistent/tokenizer.json: no such file' });
});
