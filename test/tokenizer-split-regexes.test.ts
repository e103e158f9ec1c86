// Llama 3's and Qwen2's tokenizer layouts — a Split by their regex (GPT-4's cl100k pattern; Qwen2's
// takes digits one at a time), then ByteLevel without its own regex — against Hugging Face
// tokenizers: the byte-level BPE of gpt2-bytelevel.json put in each layout (Llama 3's post-processor
// Sequence of ByteLevel and a <|begin_of_text|> template; Qwen2's NFC and ByteLevel post-processor),
// ids and offsets identical on the hostile strings, the regexes' own corner cases (case-insensitive
// contractions, CR/LF runs, digit runs) and the DDTP texts. Every code point through each Split is
// compared in tokenizer-unicode-classes.test.ts.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';
import { Tokenizer } from '../src/index.js';
import { ddtpTextsByLanguage } from '../src/data/ddtp/settings.js';
import { packageRoot } from '../src/native.js';
import { HOSTILE, LLAMA3_REGEX, QWEN2_REGEX, assertSameEncodings, fixtureDir } from './helpers/hf-tokenizers.js';

const CORNERS = [
  "it's IT'S it'ſ 'ſ 'Re 'LL 'Ve 'M 'D 'x 'sam",
  '12345678 1234 ١٢٣٤٥ x1y22z333',
  'a\r\n\r\n  b \n\n\t c\t\n',
  '  \n x',
  ' \t\n',
  'foo  \n  bar',
  '!!!\r\n\r\nx !!\n\n',
  '"hello" (world) \'quoted\' \tword\u00a0word\u2028line\u3000x',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const gpt2: Json = JSON.parse(readFileSync(path.join(fixtureDir, 'gpt2-bytelevel.json'), 'utf8'));

function layout(regex: string, post: (begin: number) => Json, normalizer: Json | null): string {
  const j: Json = structuredClone(gpt2);
  const begin = Math.max(...Object.values(j.model.vocab as Record<string, number>)) + 1;
  j.added_tokens = [{ id: begin, content: '<|begin_of_text|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }];
  j.normalizer = normalizer;
  j.pre_tokenizer = {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    ],
  };
  j.post_processor = post(begin);
  return JSON.stringify(j);
}

const LAYOUTS: [string, string][] = [
  [
    'Llama 3',
    layout(
      LLAMA3_REGEX,
      (begin) => ({
        type: 'Sequence',
        processors: [
          { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
          {
            type: 'TemplateProcessing',
            single: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
            pair: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<|begin_of_text|>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
            special_tokens: { '<|begin_of_text|>': { id: '<|begin_of_text|>', ids: [begin], tokens: ['<|begin_of_text|>'] } },
          },
        ],
      }),
      null,
    ),
  ],
  ['Qwen2', layout(QWEN2_REGEX, () => ({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false }), { type: 'NFC' })],
];

const ddtp = [...ddtpTextsByLanguage(path.join(packageRoot, 'datasets', 'ddtp-mini')).values()].flat();

for (const [name, json] of LAYOUTS) {
  // Qwen2's pattern differs from Llama 3's only in its digits: the corner cases and every twelfth
  // DDTP text (all languages) are enough for it.
  const texts = [...CORNERS, ...HOSTILE, ...(name === 'Qwen2' ? ddtp.filter((_, i) => i % 12 === 0) : ddtp)];
  test(`${name}'s layout: ids and offsets equal HF tokenizers on corner cases, hostile strings and ${texts.length - CORNERS.length - HOSTILE.length} DDTP texts`, async () => {
    const mine = Tokenizer.fromJson(json, `${name}.json`);
    const hf = tk.Tokenizer.fromString(json);
    await assertSameEncodings(mine, hf, texts, name);
  });
}
