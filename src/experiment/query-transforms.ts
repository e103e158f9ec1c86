/**
 * The query-side transforms the study applies to a setting's queries: Translate-Test (into English,
 * term by term) and the code-switching probe (English queries switched into the seen languages).
 */
import type { SettingItem } from '../data/ddtp/settings.js';
import { codeSwitchBatch, createCodeSwitcher, emptyStats, switchRatios } from '../augment/codeswitch.js';
import { translateTerms, type TranslateStats } from '../augment/translate-test.js';
import type { Lexicons } from './lexicons.js';

/**
 * Translate-Test: every non-English query translated term by term into English with its language's
 * reverse lexicon; queries of languages without one are kept (and counted).
 */
export function translateQueries(queries: readonly SettingItem[], lexicons: Lexicons): { queries: SettingItem[]; stats: TranslateStats & { untranslatable: number } } {
  const stats = { tokens: 0, translated: 0, untranslatable: 0 };
  const out = queries.map((q) => {
    if (q.lang === 'en') return q;
    const lex = lexicons.toEnglish(q.lang);
    if (!lex) {
      stats.untranslatable++;
      return q;
    }
    return { ...q, text: translateTerms(q.text, lex, stats) };
  });
  return { queries: out, stats };
}

/**
 * The code-switching probe: English queries with each word replaced, with probability p, by its
 * translation into a language drawn per word from `langs` (ML-CS, Litschko et al. 2023).
 */
export function codeSwitchQueries(queries: readonly SettingItem[], lexicons: Lexicons, langs: readonly string[], p: number, seed: number): { queries: SettingItem[]; ratio: number } {
  const sw = createCodeSwitcher({ mode: 'ml', lexicons: langs.map((lang) => ({ lang, lexicon: lexicons.fromEnglish(lang) })), p, seed });
  const stats = emptyStats([...langs]);
  const texts = codeSwitchBatch(sw, queries.map((q) => q.text), 0, stats);
  return { queries: queries.map((q, i) => ({ ...q, text: texts[i]!, lang: p === 0 ? q.lang : 'cs' })), ratio: switchRatios(stats).ratio };
}
