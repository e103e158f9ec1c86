// Shared by the tokenizer agreement tests: the fixtures, and HF's
// code-point offsets converted to UTF-16 units (the `tokenizers` npm package reports code points).
import path from 'node:path';
import { packageRoot } from '../../src/native.js';

export const fixtureDir = path.join(packageRoot, 'test', 'fixtures', 'tokenizer');
/** The byte-level BPE layouts (make-bpe-fixtures.mjs): GPT-2, RoBERTa, CLIP, and RoBERTa with holes in its ids. */
export const BPE_FIXTURES = ['gpt2-bytelevel.json', 'roberta-bytelevel.json', 'clip-bpe.json', 'bpe-holes.json'] as const;
export const FIXTURES = ['wordpiece-uncased.json', 'wordpiece-cased.json', 'unigram-metaspace.json', ...BPE_FIXTURES] as const;


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
