/**
 * Monolingual training text for word embeddings, as sentences of lower-cased word tokens — tokenised
 * exactly as code-switching looks words up (src/augment/tokens.ts: `[\p{L}\p{M}\p{N}]+`, then
 * `toLowerCase()`), so every induced word is one the code-switcher can meet.
 *
 * From DDTP: one language's descriptions in the TRAIN families of the committed datasets' split
 * (src/data/ddtp/split.ts, computed over all nine indexes), a sentence per synopsis and per paragraph of
 * a long description; test text never enters. From a text file: one sentence per line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { lowerWords } from '../augment/tokens.js';
import { ddtpMonolingualTexts } from '../data/ddtp/build.js';
import { XmrError } from '../errors.js';

/** Sentences of at least one token, in input order. */
function sentencesOf(texts: Iterable<string>): string[][] {
  const out: string[][] = [];
  for (const t of texts) {
    const s = lowerWords(t);
    if (s.length > 0) out.push(s);
  }
  return out;
}

/** The train-family text of `lang` from the Translation indexes in `from` (apt lists). */
export function ddtpSentences(from: string, lang: string): string[][] {
  return sentencesOf(ddtpMonolingualTexts(from, lang, 'train'));
}

/** A UTF-8 text file, one sentence per line. */
export function textFileSentences(file: string): string[][] {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such file', { file });
  return sentencesOf(readFileSync(file, 'utf8').split('\n'));
}
