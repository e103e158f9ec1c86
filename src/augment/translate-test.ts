/**
 * Translate-Test baseline (Litschko et al. 2023, §4): a non-English query is translated term by term
 * into English with a reverse lexicon (L→EN) and then searched as English. Words the lexicon lacks are
 * kept as they are (names, numbers, and many technical terms are the same in both languages). Works on
 * languages that separate words by spaces; Japanese text passes through almost unchanged.
 */
import type { Lexicon } from '../data/lexicons/muse.js';
import { applyCase, WORD } from './tokens.js';

export interface TranslateStats {
  tokens: number;
  translated: number;
}

/** Translates every word the lexicon knows, carrying the source word's case over. */
export function translateTerms(text: string, lexicon: Lexicon, stats?: TranslateStats): string {
  if (lexicon.size === 0) throw new RangeError('lexicon is empty');
  const re = new RegExp(WORD.source, WORD.flags);
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const tok = m[0];
    const lower = tok.toLowerCase();
    const t = lexicon.get(lower);
    if (stats !== undefined) stats.tokens++;
    if (t === undefined) continue;
    out += text.slice(last, m.index) + applyCase(tok, lower, t);
    last = m.index + tok.length;
    if (stats !== undefined) stats.translated++;
  }
  return last === 0 ? text : out + text.slice(last);
}
