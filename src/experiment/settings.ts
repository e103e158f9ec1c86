/**
 * The evaluation settings of the study, built from a DDTP-layout dataset (src/data/ddtp/settings.ts):
 * MoIR (X→X), CLIR (X→Y), MLIR (mixed-language queries or corpus, languages drawn per id), plus the
 * query-side transforms the study applies — Translate-Test and the code-switching probe.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ddtpMixedSetting, ddtpSetting, type SettingItem } from '../data/ddtp/settings.js';
import { readMuse, type Lexicon } from '../data/lexicons/muse.js';
import { Qrels } from '../data/trec/qrels.js';
import { codeSwitchBatch, createCodeSwitcher, emptyStats, switchRatios } from '../augment/codeswitch.js';
import { translateTerms, type TranslateStats } from '../augment/translate-test.js';
import { XmrError } from '../errors.js';
import type { SettingConfig } from './config.js';

export interface Setting {
  id: string;
  family: SettingConfig['family'];
  queries: SettingItem[];
  corpus: SettingItem[];
  qrels: Qrels;
}

export function loadSetting(dataset: string, s: SettingConfig, mixSeed: number): Setting {
  const mixed = s.queries.length > 1 || s.docs.length > 1;
  const d = mixed ? ddtpMixedSetting(dataset, s.queries, s.docs, mixSeed) : ddtpSetting(dataset, s.queries[0]!, s.docs[0]!);
  if (d.queries.length === 0) throw new XmrError('E_EMPTY', `setting ${s.id}: no query has a relevant document in ${s.docs.join('+')}`, { file: dataset });
  const qrels: Record<string, Record<string, number>> = {};
  for (const [q, docs] of d.qrels) qrels[q] = Object.fromEntries(docs);
  return { id: s.id, family: s.family, queries: d.queries, corpus: d.corpus, qrels: Qrels.fromObject(qrels) };
}

/** Lexicons by language, read on first use: `en-<x>.txt` (for code-switching) and `<x>-en.txt`. */
export class Lexicons {
  private readonly cache = new Map<string, Lexicon>();
  constructor(readonly dir: string) {}

  private read(file: string): Lexicon {
    let lex = this.cache.get(file);
    if (!lex) {
      const p = path.join(this.dir, file);
      if (!existsSync(p)) throw new XmrError('E_MISSING', 'no such lexicon', { file: p });
      lex = readMuse(p);
      this.cache.set(file, lex);
    }
    return lex;
  }

  /** EN→lang, for code-switching English text into `lang`. */
  fromEnglish(lang: string): Lexicon {
    return this.read(`en-${lang}.txt`);
  }

  /** lang→EN, for Translate-Test; undefined when there is none. */
  toEnglish(lang: string): Lexicon | undefined {
    return existsSync(path.join(this.dir, `${lang}-en.txt`)) ? this.read(`${lang}-en.txt`) : undefined;
  }
}

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
