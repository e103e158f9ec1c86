/**
 * Word analysis for lexical ranking (BM25): the text → terms pipeline of a Lucene analyzer, in
 * TypeScript, once per document and query. Terms are then interned to integer ids (bm25.ts) and
 * only ids cross into the native index.
 *
 * Pipeline (Anserini's DefaultEnglishAnalyzer order: tokenizer → possessive → lowercase → stop → stem):
 * 1. Words, Unicode-aware: maximal runs of letters, marks, digits and connector punctuation
 *    (`[\p{L}\p{M}\p{N}\p{Pc}]`), joined across an apostrophe or a full stop between two such
 *    characters (`don't`, `U.S.A`, `3.14`, `libfoo.so` stay one word, as UAX #29 word breaking keeps
 *    them). Han and Hiragana characters are one word each and Katakana runs one word, as Lucene's
 *    StandardTokenizer emits them (so Japanese text gets unigrams, not whole sentences).
 *    Known differences from StandardTokenizer: a full stop between a letter and a digit also
 *    joins (`v1.2`), and `,` between digits does not (`1,000` is two words).
 * 2. English only: a trailing possessive `'s`/`’s` is removed (Lucene's EnglishPossessiveFilter).
 * 3. Lowercasing (`String.prototype.toLowerCase`, locale-independent, like Lucene's LowerCaseFilter).
 * 4. Stopwords removed (compared after lowercasing, before stemming).
 * 5. Stemming.
 *
 * Defaults (named, so a run can say what it used):
 * - `en`: stopwords `'lucene'` (Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, 33 words) and
 *   stemmer `'porter'` — Anserini's defaults, i.e. the BM25 "flat" baseline BEIR reports.
 *   (Porter's 1980 algorithm as Snowball writes it; Lucene's PorterStemmer, from Porter's own Java
 *   code, can differ on a few rare words.)
 * - other languages: no stopwords and the language's Snowball stemmer when there is one
 *   (`snowball-stemmers`: ar, ca, cs, da, de, es, eu, fi, fr, ga, hu, hy, it, nl, no, pt, ro,
 *   ru, sl, sv, ta, tr), else none (ja, pl, uk …).
 * Packages: `snowball-stemmers` (ISC; the Snowball project's stemmers compiled to JavaScript, 24
 * algorithms in one dependency-free file) and `stopwords-iso` (MIT; lists for 58 languages) — the
 * two most used npm packages of their kind with every language this study needs in one place.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface SnowballStemmer {
  stem(word: string): string;
}
interface SnowballFactory {
  newStemmer(algorithm: string): SnowballStemmer;
  algorithms(): string[];
}

let snowball: SnowballFactory | undefined;
function snowballFactory(): SnowballFactory {
  snowball ??= require('snowball-stemmers') as SnowballFactory;
  return snowball;
}

let isoLists: Record<string, string[]> | undefined;
function isoStopwords(language: string): string[] | undefined {
  isoLists ??= require('stopwords-iso') as Record<string, string[]>;
  return isoLists[language];
}

/** ISO 639-1 code → Snowball algorithm. */
const SNOWBALL: Readonly<Record<string, string>> = {
  ar: 'arabic', hy: 'armenian', eu: 'basque', ca: 'catalan', cs: 'czech', da: 'danish', nl: 'dutch', en: 'english',
  fi: 'finnish', fr: 'french', de: 'german', hu: 'hungarian', it: 'italian', ga: 'irish', no: 'norwegian',
  nb: 'norwegian', pt: 'portuguese', ro: 'romanian', ru: 'russian', es: 'spanish', sl: 'slovene', sv: 'swedish',
  ta: 'tamil', tr: 'turkish',
};

/**
 * Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (org.apache.lucene.analysis.en), the stop set of
 * Anserini's default English analyzer.
 */
export const LUCENE_ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

/** `'default'`: the language's default (see the module comment). `'snowball'`: the language's Snowball stemmer (for en: Porter2). */
export type StemmerOption = 'default' | 'none' | 'porter' | 'snowball';
/** `'lucene'`: Lucene's 33 English stopwords; `'iso'`: the stopwords-iso list of the language; or your own list. */
export type StopwordsOption = 'default' | 'none' | 'lucene' | 'iso' | readonly string[];

export interface AnalyzerOptions {
  /** ISO 639-1 code of the text; default 'en'. */
  language?: string;
  stemmer?: StemmerOption;
  stopwords?: StopwordsOption;
}

export interface Analyzer {
  readonly language: string;
  /** The stemmer in use: 'none', 'porter' or 'snowball:<algorithm>'. */
  readonly stemmer: string;
  /** The stopword list in use: 'none', 'lucene', 'iso:<lang>' or 'custom'. */
  readonly stopwords: string;
  /** Number of stopwords. */
  readonly stopwordCount: number;
  /** The terms of a text, in order (repeats kept). */
  analyze(text: string): string[];
}

const WORD = /[\p{L}\p{M}\p{N}\p{Pc}]+(?:['’.][\p{L}\p{M}\p{N}\p{Pc}]+)*/gu;
const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const CJK_SPLIT = /[\p{sc=Han}\p{sc=Hiragana}]|[\p{sc=Katakana}\u30fc]+|[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc'’.]+(?:['’.][^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc'’.]+)*/gu;
const POSSESSIVE = /['’][sS]$/u;
const LANGUAGE = /^[a-z]{2,3}$/;

/** The words of a text (step 1 above), before any other filter. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    if (CJK.test(w)) for (const p of w.matchAll(CJK_SPLIT)) out.push(p[0]);
    else out.push(w);
  }
  return out;
}

/** An analyzer for `options.language` (default 'en') with the named or default filters. */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const language = options.language ?? 'en';
  if (typeof language !== 'string' || !LANGUAGE.test(language)) throw new TypeError(`language must be an ISO 639 code like "en", got ${JSON.stringify(language)}`);
  const english = language === 'en';

  let stopSet: ReadonlySet<string> = new Set();
  let stopName = 'none';
  const sw = options.stopwords ?? 'default';
  if (Array.isArray(sw)) {
    stopSet = new Set((sw as readonly unknown[]).map((w, i) => {
      if (typeof w !== 'string') throw new TypeError(`stopwords[${i}] must be a string, got ${typeof w}`);
      return w.toLowerCase();
    }));
    stopName = 'custom';
  } else if (sw === 'lucene' || (sw === 'default' && english)) {
    if (!english) throw new RangeError(`stopwords 'lucene' is Lucene's English list; for language "${language}" use 'iso', 'none' or a list`);
    stopSet = LUCENE_ENGLISH_STOPWORDS;
    stopName = 'lucene';
  } else if (sw === 'iso') {
    const list = isoStopwords(language);
    if (list === undefined) throw new RangeError(`stopwords-iso has no list for language "${language}"`);
    stopSet = new Set(list.map((w) => w.toLowerCase()));
    stopName = `iso:${language}`;
  } else if (sw !== 'none' && sw !== 'default') {
    throw new TypeError(`stopwords must be 'default', 'none', 'lucene', 'iso' or an array of strings, got ${JSON.stringify(sw)}`);
  }

  const st = options.stemmer ?? 'default';
  let stem: ((w: string) => string) | null = null;
  let stemName = 'none';
  const algorithm = SNOWBALL[language];
  if (st === 'porter' || (st === 'default' && english)) {
    const s = snowballFactory().newStemmer('porter');
    stem = (w) => s.stem(w);
    stemName = 'porter';
  } else if (st === 'snowball' || (st === 'default' && algorithm !== undefined)) {
    if (algorithm === undefined) throw new RangeError(`snowball-stemmers has no stemmer for language "${language}"; use stemmer 'none'`);
    const s = snowballFactory().newStemmer(algorithm);
    stem = (w) => s.stem(w);
    stemName = `snowball:${algorithm}`;
  } else if (st !== 'none' && st !== 'default') {
    throw new TypeError(`stemmer must be 'default', 'none', 'porter' or 'snowball', got ${JSON.stringify(st)}`);
  }

  const cache = new Map<string, string>();
  const stemmed = (w: string): string => {
    if (stem === null) return w;
    let s = cache.get(w);
    if (s === undefined) {
      s = stem(w);
      if (cache.size < 1 << 20) cache.set(w, s);
    }
    return s;
  };

  return {
    language,
    stemmer: stemName,
    stopwords: stopName,
    stopwordCount: stopSet.size,
    analyze(text: string): string[] {
      if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
      const out: string[] = [];
      for (let w of words(text)) {
        if (english) w = w.replace(POSSESSIVE, '');
        w = w.toLowerCase();
        if (w === '' || stopSet.has(w)) continue;
        out.push(stemmed(w));
      }
      return out;
    },
  };
}
