/**
 * Artificial code-switching of English text with bilingual lexicons (Litschko, Artemova & Plank 2023,
 * "Boosting Zero-shot Cross-lingual Retrieval by Training on Artificially Code-Switched Data",
 * arXiv 2305.05295, §3):
 *  - BL-CS (bilingual): each word token is, with probability p, replaced by its translation from the one
 *    lexicon EN→L (when the lexicon has it).
 *  - ML-CS (multilingual): each word token is, with probability p, assigned a language drawn uniformly
 *    from the lexicons and replaced by its translation from that lexicon (when it has it).
 * Both match the authors' code (mainlp/CodeSwitchCLIR, codeswitch_clwe.py). Differences, on purpose:
 * the draws come from a counter-based generator keyed by (seed, text index, token index), so results do
 * not depend on batching or threads; the source token's case is carried over; and stopwords, when
 * given, are left untouched instead of merely uncounted.
 *
 * The realised switch ratio is reported as the paper does — switched / counted tokens, where counted
 * tokens are the non-stopword tokens — and also over the tokens the lexicon(s) cover.
 */
import type { Lexicon } from '../data/lexicons/muse.js';
import { checkSeed, probability } from '../args.js';
import { draw, textKey } from '../random.js';
import { applyCase, wordCharLength } from './tokens.js';

export type CodeSwitchMode = 'bl' | 'ml';

export interface CodeSwitchConfig {
  mode: CodeSwitchMode;
  /** Target languages and their EN→L lexicons; exactly one for BL-CS. */
  lexicons: { lang: string; lexicon: Lexicon }[];
  /** Switch probability per token, in [0, 1]. */
  p: number;
  seed: number;
  /** Lower-cased words never to switch (and not to count). */
  stopwords?: ReadonlySet<string>;
}

export interface CodeSwitchStats {
  /** Word tokens seen. */
  tokens: number;
  /** Tokens that count (not stopwords). */
  counted: number;
  /** Counted tokens some lexicon can translate. */
  covered: number;
  /** Tokens replaced. */
  switched: number;
  /** Replacements per language. */
  byLang: Record<string, number>;
}

export function emptyStats(langs: readonly string[]): CodeSwitchStats {
  return { tokens: 0, counted: 0, covered: 0, switched: 0, byLang: Object.fromEntries(langs.map((l) => [l, 0])) };
}

export function addStats(into: CodeSwitchStats, s: CodeSwitchStats): void {
  into.tokens += s.tokens;
  into.counted += s.counted;
  into.covered += s.covered;
  into.switched += s.switched;
  for (const [l, n] of Object.entries(s.byLang)) into.byLang[l] = (into.byLang[l] ?? 0) + n;
}

/** The paper's ratio (switched / counted) and the ratio over covered tokens; 0 when nothing counts. */
export function switchRatios(s: CodeSwitchStats): { ratio: number; coveredRatio: number } {
  return { ratio: s.counted === 0 ? 0 : s.switched / s.counted, coveredRatio: s.covered === 0 ? 0 : s.switched / s.covered };
}

export interface CodeSwitcher {
  readonly config: CodeSwitchConfig;
  /** Switches one text; `index` is its position in the collection, `salt` tells fields of one record apart. */
  switchText(text: string, index: number, stats?: CodeSwitchStats, salt?: number): string;
}

export function validateCodeSwitchConfig(c: CodeSwitchConfig): void {
  if (c.mode !== 'bl' && c.mode !== 'ml') throw new TypeError(`mode must be "bl" or "ml", got ${JSON.stringify(c.mode)}`);
  probability(c.p, 'p');
  checkSeed(c.seed);
  if (c.lexicons.length === 0) throw new RangeError('lexicons must name at least one language');
  if (c.mode === 'bl' && c.lexicons.length !== 1) throw new RangeError(`BL-CS takes exactly one lexicon, got ${c.lexicons.length}`);
  for (const { lang, lexicon } of c.lexicons) if (lexicon.size === 0) throw new RangeError(`lexicon for ${lang} is empty`);
}

/** Prepares a code-switcher; validates the configuration once. */
export function createCodeSwitcher(config: CodeSwitchConfig): CodeSwitcher {
  validateCodeSwitchConfig(config);
  const { p, seed, mode } = config;
  const langs = config.lexicons.map((l) => l.lang);
  const maps = config.lexicons.map((l) => l.lexicon);
  const n = maps.length;
  const stop = config.stopwords;
  return {
    config,
    switchText(text: string, index: number, stats?: CodeSwitchStats, salt = 0): string {
      const key = textKey(seed, index, salt);
      const len = text.length;
      let out = '';
      let last = 0;
      let t = 0;
      let i = 0;
      while (i < len) {
        let w = wordCharLength(text, i);
        if (w === 0) {
          i++;
          continue;
        }
        const begin = i;
        let cased = false; // any character that is not ASCII lower-case or a digit: lower-case it
        while (w !== 0) {
          const c = text.charCodeAt(i);
          if (c > 127 || (c >= 65 && c <= 90)) cased = true;
          i += w;
          w = i < len ? wordCharLength(text, i) : 0;
        }
        // Every token gets its draw, covered or not, so coverage never shifts later draws.
        const k = t++;
        const hit = draw(key, k, 0) < p;
        // Without statistics or stopwords, a token that is not drawn needs no string at all.
        if (!hit && stats === undefined && stop === undefined) continue;
        const tok = text.slice(begin, i);
        const lower = cased ? tok.toLowerCase() : tok;
        if (stop !== undefined && stop.has(lower)) {
          if (stats !== undefined) stats.tokens++;
          continue;
        }
        let which = 0;
        let translation: string | undefined;
        if (mode === 'bl') {
          if (hit || stats !== undefined) translation = maps[0]!.get(lower);
          if (stats !== undefined && translation !== undefined) stats.covered++;
          if (!hit) translation = undefined;
        } else {
          if (hit) {
            which = Math.floor(draw(key, k, 1) * n);
            translation = maps[which]!.get(lower);
          }
          if (stats !== undefined && (translation !== undefined || maps.some((mm) => mm.has(lower)))) stats.covered++;
        }
        if (stats !== undefined) {
          stats.tokens++;
          stats.counted++;
        }
        if (translation === undefined) continue;
        out += text.slice(last, begin) + (cased ? applyCase(tok, lower, translation) : translation);
        last = i;
        if (stats !== undefined) {
          stats.switched++;
          stats.byLang[langs[which]!] = (stats.byLang[langs[which]!] ?? 0) + 1;
        }
      }
      return last === 0 ? text : out + text.slice(last);
    },
  };
}

/** Switches a batch whose first text has collection index `start`. */
export function codeSwitchBatch(sw: CodeSwitcher, texts: readonly string[], start = 0, stats?: CodeSwitchStats, salt = 0): string[] {
  return texts.map((t, i) => sw.switchText(t, start + i, stats, salt));
}
