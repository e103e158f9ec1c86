/**
 * Bilingual lexicon induction (BLI) evaluated as MUSE does (Conneau et al. 2018, facebookresearch/MUSE
 * `evaluation/word_translation.py`): a held-out dictionary, precision@1 and @5 of NN and CSLS retrieval
 * over its source words.
 *
 * Split. MUSE ships fixed files (train: source words of frequency rank 0–5000, test: 5000–6500, i.e.
 * 1,500 test source words). Our dictionaries are FreeDict's, so we split them ourselves, by SOURCE word:
 * all pairs of a source word go to one side, so no word is both aligned on and tested. A word is a test
 * word when u(word) < testFraction, u = textKey(seed, hashString(word), salt) / 2³² (random.ts): the
 * side depends only on (seed, word), not on the file's order or on the other words. Only words MUSE
 * would keep count: the source word is in the source embeddings and at least one of its translations is
 * in the target embeddings (MUSE's load_dictionary drops pairs with a missing word); the gold set keeps
 * the in-vocabulary translations. `maxTestWords` keeps the test words of smallest u (MUSE's 1,500);
 * the test words beyond the cap are used on neither side, so the seed part does not depend on the cap.
 * Unlike MUSE's frequency-band split, ours samples all frequencies, rare words included.
 */
import { probability, checkSeed, positiveInteger } from '../../args.js';
import { hashString, textKey } from '../../random.js';
import { XmrError } from '../../errors.js';
import { cslsRadius, precisionAtK, rankTargets } from './induction.js';
import type { Space } from './induction.js';

/** Salt of the split's draws ("BLI"), so they are independent of other uses of (seed, word). */
const SPLIT_SALT = 0x424c49;

export interface BliSplitOptions {
  /** Share of the eligible source words held out for testing; default 0.2. */
  testFraction?: number;
  /** At most this many test source words (MUSE: 1,500); default no cap. */
  maxTestWords?: number;
  seed?: number;
  /** Source words that have a vector; default every word counts. */
  srcVocab?: { has(word: string): boolean };
  /** Target words that have a vector; default every word counts. */
  tgtVocab?: { has(word: string): boolean };
}

export interface BliSplit {
  /** Seed (training) pairs, in dictionary order. */
  seed: [string, string][];
  /** Number of distinct source words among the seed pairs. */
  seedWords: number;
  /** Test source word → its gold translations, words in ascending u. */
  test: Map<string, Set<string>>;
  /** Eligible test words dropped by maxTestWords. */
  unusedWords: number;
}

/** The draw u ∈ [0, 1) that puts a source word on the test side when u < testFraction. */
export function splitDraw(word: string, seed: number): number {
  return textKey(seed, hashString(word), SPLIT_SALT) / 4294967296;
}

export function splitDictionary(pairs: readonly (readonly [string, string])[], opts: BliSplitOptions = {}): BliSplit {
  const fraction = probability(opts.testFraction ?? 0.2, 'testFraction');
  const cap = opts.maxTestWords === undefined ? Infinity : positiveInteger(opts.maxTestWords, 'maxTestWords');
  const seedValue = checkSeed(opts.seed ?? 0);
  const all = { has: () => true };
  const srcVocab = opts.srcVocab ?? all;
  const tgtVocab = opts.tgtVocab ?? all;
  const byWord = new Map<string, [string, string][]>();
  for (const [s, t] of pairs) {
    if (!srcVocab.has(s) || !tgtVocab.has(t)) continue;
    const list = byWord.get(s);
    if (list === undefined) byWord.set(s, [[s, t]]);
    else list.push([s, t]);
  }
  const draws = new Map([...byWord.keys()].map((w) => [w, splitDraw(w, seedValue)]));
  const testWords = [...byWord.keys()].filter((w) => draws.get(w)! < fraction).sort((a, b) => draws.get(a)! - draws.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const test = new Map(testWords.slice(0, cap).map((w) => [w, new Set(byWord.get(w)!.map(([, t]) => t))]));
  const seed: [string, string][] = [];
  let seedWords = 0;
  for (const [w, list] of byWord) {
    if (draws.get(w)! < fraction) continue;
    seedWords++;
    seed.push(...list);
  }
  return { seed, seedWords, test, unusedWords: Math.max(0, testWords.length - cap) };
}

export interface PrecisionPair {
  p1: number;
  p5: number;
}

export interface BliScores {
  nn: PrecisionPair;
  csls: PrecisionPair;
  /** Test words scored (those in the source space). */
  evaluated: number;
}

/**
 * P@1 and P@5 of NN and CSLS retrieval for the test words (src already mapped into the target space),
 * every target word a candidate, as MUSE scores them. `radius`: r_S of the targets when already computed.
 */
export function evaluateBli(mapped: Space, tgt: Space, test: ReadonlyMap<string, ReadonlySet<string>>, opts: { knn?: number; threads?: number; radius?: Float32Array } = {}): BliScores {
  const words = [...test.keys()].filter((w) => mapped.index.has(w));
  if (words.length === 0) throw new XmrError('E_EMPTY', 'no test word is in the source embeddings');
  const rows = words.map((w) => mapped.index.get(w)!);
  const knn = opts.knn ?? 10;
  const threads = opts.threads ?? 1;
  const radius = opts.radius ?? cslsRadius(tgt, mapped, knn, threads);
  const score = (method: 'nn' | 'csls'): PrecisionPair => {
    const k = Math.min(5, tgt.words.length);
    const ids = rankTargets(mapped, tgt, rows, { method, knn, threads, k, radius });
    const candidates = new Map(words.map((w, i) => [w, Array.from(ids.subarray(i * k, (i + 1) * k), (j) => tgt.words[j]!)]));
    return { p1: precisionAtK(candidates, test, 1).p, p5: precisionAtK(candidates, test, 5).p };
  };
  return { nn: score('nn'), csls: score('csls'), evaluated: words.length };
}
