/**
 * The JSON reports of `xmrbench lexicon clwe` and `xmrbench lexicon bli`, and the rows of the BLI table
 * that sets them beside MUSE's published numbers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { XmrError } from '../../errors.js';
import type { PrecisionPair } from './bli.js';

/** `lexicon clwe`: alignment on the seed split, BLI on the test split, the induced lexicon's size. */
export interface ClweReport {
  pair: string;
  src: string;
  tgt: string;
  dictionary: string;
  seedPairs: number;
  seedWords: number;
  testWords: number;
  refine: number;
  /** The kept map's scores (after refinement when refining). */
  bli: { nn: PrecisionPair; csls: PrecisionPair };
  lexiconPairs: number;
  /** Scores of the supervised map before refinement (only when refining). */
  bliSupervised?: { nn: PrecisionPair; csls: PrecisionPair };
  /** Refinement: MUSE's mean-cosine criterion per iteration, and the kept iteration. */
  refineIterations?: { iteration: number; pairs: number; criterion: number }[];
  refineBest?: number;
  /** Eligible test words beyond maxTestWords, used on neither side. */
  unusedTestWords: number;
  dim: number;
  srcWords: number;
  tgtWords: number;
  testFraction: number;
  maxTestWords: number | null;
  seed: number;
  knn: number;
  method: 'nn' | 'csls';
}

/** `lexicon bli`: an existing one-translation lexicon scored on a dictionary's test split. */
export interface LexiconBliReport {
  pair: string;
  lexicon: string;
  dictionary: string;
  lexiconPairs: number;
  testWords: number;
  /** Test words the lexicon translates. */
  covered: number;
  /** Hits over all test words (an untranslated word is a miss), comparable with CLWE's P@1. */
  p1: number;
  /** Hits over the covered test words (precisionAt1's convention). */
  p1Covered: number;
  testFraction: number;
  maxTestWords: number | null;
  seed: number;
}

/**
 * MUSE's supervised P@1 (Procrustes + CSLS, fastText Wikipedia vectors, 1,500 test words) from
 * Conneau et al. 2018, Table 1. The table has no English–Italian column.
 */
export const MUSE_SUPERVISED_P1: Readonly<Record<string, number>> = { 'en-es': 81.4, 'en-fr': 81.1, 'en-de': 73.5, 'en-ru': 51.7 };

export type BliReport = ClweReport | LexiconBliReport;

const isPair = (x: unknown): x is PrecisionPair => typeof x === 'object' && x !== null && typeof (x as PrecisionPair).p1 === 'number' && typeof (x as PrecisionPair).p5 === 'number';

/** Reads either kind of report; an unknown shape is an error naming the file. */
export function readBliReport(file: string): BliReport {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such file', { file });
  let r: unknown;
  try {
    r = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new XmrError('E_PARSE', `not JSON: ${(e as Error).message}`, { file });
  }
  const o = r as Partial<ClweReport & LexiconBliReport>;
  if (typeof o !== 'object' || o === null || typeof o.pair !== 'string') throw new XmrError('E_PARSE', 'not a BLI report (no "pair")', { file });
  if (typeof o.lexicon === 'string' && typeof o.p1 === 'number') return o as LexiconBliReport;
  if (typeof o.bli === 'object' && o.bli !== null && isPair(o.bli.nn) && isPair(o.bli.csls) && typeof o.seedPairs === 'number') return o as ClweReport;
  throw new XmrError('E_PARSE', 'not a BLI report (expected "bli": {"nn", "csls"} of "lexicon clwe" or "p1" of "lexicon bli")', { file });
}

const pct = (x: number): string => (100 * x).toFixed(1);
const muse = (pair: string): string => MUSE_SUPERVISED_P1[pair]?.toFixed(1) ?? 'not in Table 1';

export const CLWE_TABLE_HEADER = ['pair', 'seed pairs', 'test words', 'NN P@1', 'NN P@5', 'CSLS P@1', 'CSLS P@5', 'MUSE supervised P@1'];
export const LEXICON_TABLE_HEADER = ['pair', 'lexicon', 'pairs', 'test words', 'covered', 'P@1', 'P@1 (covered)', 'MUSE supervised P@1'];

/** Table rows, precision in percent (MUSE's unit); a refined report shows its kept map's scores. */
export function bliTableRows(reports: readonly BliReport[]): { clwe: string[][]; lexicons: string[][] } {
  const clwe: string[][] = [];
  const lexicons: string[][] = [];
  for (const r of reports) {
    if ('bli' in r) {
      const pair = r.refine > 0 ? `${r.pair} (refined ×${r.refine})` : r.pair;
      clwe.push([pair, String(r.seedPairs), String(r.testWords), pct(r.bli.nn.p1), pct(r.bli.nn.p5), pct(r.bli.csls.p1), pct(r.bli.csls.p5), muse(r.pair)]);
    } else {
      lexicons.push([r.pair, r.lexicon, String(r.lexiconPairs), String(r.testWords), String(r.covered), pct(r.p1), pct(r.p1Covered), muse(r.pair)]);
    }
  }
  return { clwe, lexicons };
}
