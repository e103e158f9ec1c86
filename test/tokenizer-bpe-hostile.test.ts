// Byte-level BPE on hostile strings, identical to Hugging Face tokenizers (ids and offsets, with
// and without special tokens) for every layout, and for each byte-level one with add_prefix_space
// and trim_offsets switched either way: empty and blank strings, control characters, lone
// surrogates, 5,000-character words (past BPE's 256-byte cache limit), emoji with skin-tone
// modifiers and ZWJ sequences, special tokens inside the text, contractions, every kind of space.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';
import { Tokenizer } from '../src/index.js';
import { BPE_FIXTURES, HOSTILE, assertSameEncodings, fixtureDir } from './helpers/hf-tokenizers.js';


async function compare(name: string, json: string, label: string): Promise<void> {
  const mine = Tokenizer.fromJson(json, name);
  const hf = tk.Tokenizer.fromString(json);
  for (const addSpecialTokens of [true, false]) await assertSameEncodings(mine, hf, HOSTILE, `${label}, special tokens ${addSpecialTokens}`, addSpecialTokens);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every ByteLevel pre-tokenizer and offset-trimming post-processor in the file, set to the given flags. */
function variant(base: Json, prefix: boolean, trim: boolean): Json {
  const j = structuredClone(base);
  const pre = j.pre_tokenizer.type === 'Sequence' ? j.pre_tokenizer.pretokenizers : [j.pre_tokenizer];
  for (const p of pre) if (p.type === 'ByteLevel') p.add_prefix_space = prefix;
  if (j.post_processor.type === 'ByteLevel' || j.post_processor.type === 'RobertaProcessing') {
    j.post_processor.trim_offsets = trim;
    j.post_processor.add_prefix_space = prefix;
  }
  return j;
}

for (const name of BPE_FIXTURES) {
  test(`${name}: hostile strings give HF's ids and offsets, add_prefix_space and trim_offsets either way`, async () => {
    const base = JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')) as Json;
    await compare(name, JSON.stringify(base), 'as committed');
    for (const prefix of [false, true])
      for (const trim of [false, true]) await compare(name, JSON.stringify(variant(base, prefix, trim)), `add_prefix_space ${prefix}, trim_offsets ${trim}`);
  });
}

test('BPE model options HF supports: unk fusing, byte fallback, ignore_merges, a continuing-subword prefix', async () => {
  const base = JSON.parse(readFileSync(path.join(fixtureDir, 'clip-bpe.json'), 'utf8')) as Json;
  // CLIP's vocabulary without most of its byte alphabet, so unknown characters occur, and <0xXX> tokens for a few bytes.
  const vocab = Object.fromEntries(Object.entries(base.model.vocab as Record<string, number>).filter(([t, id]) => id > 300 || /^[a-z]/.test(t)));
  for (const b of [0xc3, 0xa9, 0xe6, 0x97, 0xa5, 0x41]) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = 100000 + b;
  vocab['<unk>'] = 99999;
  const usable = (base.model.merges as [string, string][]).filter(([a, b]) => a in vocab && b in vocab && a + b in vocab);
  for (const [fuse, fallback, ignore] of [[false, false, false], [true, false, false], [false, true, false], [true, true, true]]) {
    const j = { ...base, added_tokens: [], post_processor: null, model: { ...base.model, vocab, merges: usable, unk_token: '<unk>', fuse_unk: fuse, byte_fallback: fallback, ignore_merges: ignore } };
    await compare('clip-variant', JSON.stringify(j), `fuse_unk ${fuse}, byte_fallback ${fallback}, ignore_merges ${ignore}`);
  }
  // A continuing-subword prefix (merges strip it from their second token) and no unk token (unknown characters are dropped).
  const wp = { ...base, added_tokens: [], post_processor: null, model: { ...base.model, unk_token: null, continuing_subword_prefix: '##', end_of_word_suffix: null, vocab: { a: 0, b: 1, '##a': 2, '##b': 3, ab: 4, '##ab': 5, aab: 6 }, merges: [['a', '##b'], ['##a', '##b'], ['a', '##ab']] } };
  await compare('prefix-variant', JSON.stringify(wp), 'continuing_subword_prefix ##');
});

test('added tokens with normalized: true are matched in the normalized text, as HF does', async () => {
  const clip = JSON.parse(readFileSync(path.join(fixtureDir, 'clip-bpe.json'), 'utf8')) as Json;
  const next = Math.max(...(Object.values(clip.model.vocab) as number[])) + 1;
  clip.added_tokens = [
    { ...clip.added_tokens[0], normalized: true }, // <|startoftext|>, as CLIP's hub file has it
    clip.added_tokens[1],
    { id: next, content: 'Hello  World', single_word: false, lstrip: false, rstrip: true, normalized: true, special: false },
  ];
  await compare('clip-normalized-added', JSON.stringify(clip), 'CLIP, <|startoftext|> and "Hello  World" normalized');
  const roberta = JSON.parse(readFileSync(path.join(fixtureDir, 'roberta-bytelevel.json'), 'utf8')) as Json;
  roberta.added_tokens = [
    ...roberta.added_tokens.map((a: Json) => ({ ...a, normalized: a.content !== '<mask>' })), // as roberta-base's hub file
    { id: 0, content: 'xyz', single_word: false, lstrip: true, rstrip: false, normalized: true, special: false },
  ];
  await compare('roberta-normalized-added', JSON.stringify(roberta), 'RoBERTa, specials normalized, "xyz" normalized with lstrip');
});
