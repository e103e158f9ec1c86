/**
 * The MUSE refinement loop (Conneau et al. 2018, §3.2 and facebookresearch/MUSE `supervised.py`,
 * `src/dico_builder.py`, `src/evaluation/evaluator.py` dist_mean_cosine), after a supervised Procrustes.
 *
 * Iteration 0 is the given map W₀. Iteration i ≥ 1 builds a dictionary from W_{i−1} and refits
 * Procrustes on it: the pairs (s, t) that are mutual CSLS nearest neighbours — t is s's best target and
 * s is t's best source — with both among the `refineWords` most frequent words of their side (MUSE's
 * dico_build "S2T&T2S", dico_method "csls_knn_10", dico_max_rank 15000). Each iteration is scored by
 * MUSE's unsupervised validation criterion, the mean cosine of the CSLS translations of the 10,000 most
 * frequent source words whose translation is among the 10,000 most frequent target words
 * ("mean_cosine-csls_knn_10-S2T-10000"), and the iteration with the highest criterion is kept (ties: the
 * earlier one).
 *
 * What differs from MUSE:
 *  - MUSE's supervised script selects the iteration by precision@1 on the TEST dictionary (its
 *    VALIDATION_METRIC_SUP); that lets the test words choose the model, so we use the unsupervised
 *    criterion MUSE's unsupervised runs use.
 *  - MUSE fits Procrustes on the raw (by default unnormalised) vectors; ours are unit length throughout,
 *    as induction.ts's procrustes is.
 *  - MUSE sorts the mutual pairs by the margin between the best and second-best score only to cap the
 *    dictionary's size (dico_max_size, unset by default); we keep every mutual pair.
 *  - CSLS neighbourhoods (r_S, r_T) are taken over the loaded vocabularies (MUSE: its 200,000 max_vocab).
 */
import { positiveInteger, nonNegativeInteger } from '../../args.js';
import { XmrError } from '../../errors.js';
import { cslsRadius, mapSpace, procrustes, rankTargets } from './induction.js';
import type { Space } from './induction.js';

/** MUSE's dist_mean_cosine uses this many most frequent words on each side. */
export const VALIDATION_WORDS = 10000;

export interface RefineOptions {
  /** Refinement iterations (Procrustes refits); 0 only scores W₀. */
  iterations: number;
  /** Mutual neighbours are sought among this many most frequent words of each side; default 15000. */
  refineWords?: number;
  knn?: number;
  threads?: number;
  /** Called after each iteration is scored (progress). */
  onIteration?: (it: RefineIteration) => void;
}

export interface RefineIteration {
  iteration: number;
  /** Pairs the map was fitted on (iteration 0: the seed pairs found, as given). */
  pairs: number;
  /** MUSE's mean cosine criterion of this iteration's map. */
  criterion: number;
}

export interface RefineResult {
  /** The kept map. */
  w: Float64Array;
  /** The kept iteration. */
  best: number;
  iterations: RefineIteration[];
}

/** MUSE's criterion from the S2T translations of the first source words (`best[i]` for source row i). */
export function meanCosineCriterion(mapped: Space, tgt: Space, best: Int32Array): number {
  const d = mapped.dim;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < Math.min(VALIDATION_WORDS, best.length); i++) {
    const j = best[i]!;
    if (j >= VALIDATION_WORDS) continue;
    let c = 0;
    for (let a = 0; a < d; a++) c += mapped.vectors[i * d + a]! * tgt.vectors[j * d + a]!;
    sum += c;
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/** Mutual CSLS nearest neighbours among the first `words` rows of each side, as word pairs. */
function mutualPairs(mapped: Space, tgt: Space, bestTgt: Int32Array, words: number, knn: number, threads: number): [string, string][] {
  const nt = Math.min(words, tgt.words.length);
  const radiusSrc = cslsRadius(mapped, tgt, knn, threads);
  const bestSrc = rankTargets(tgt, mapped, Array.from({ length: nt }, (_, j) => j), { method: 'csls', knn, threads, radius: radiusSrc });
  const pairs: [string, string][] = [];
  for (let i = 0; i < Math.min(words, bestTgt.length); i++) {
    const j = bestTgt[i]!;
    if (j < nt && bestSrc[j] === i) pairs.push([mapped.words[i]!, tgt.words[j]!]);
  }
  return pairs;
}

export function refineProcrustes(src: Space, tgt: Space, w0: Float64Array, seedPairs: number, opts: RefineOptions): RefineResult {
  const iterations = nonNegativeInteger(opts.iterations, 'iterations');
  const words = positiveInteger(opts.refineWords ?? 15000, 'refineWords');
  const knn = positiveInteger(opts.knn ?? 10, 'knn');
  const threads = opts.threads ?? 1;
  const rows = Math.min(src.words.length, Math.max(words, VALIDATION_WORDS));
  const history: RefineIteration[] = [];
  let w = w0;
  let pairs = seedPairs;
  let best = { w: w0, criterion: -Infinity, iteration: 0 };
  for (let it = 0; ; it++) {
    const mapped = mapSpace(src, w);
    // S2T CSLS translations of the first rows: the criterion's and the dictionary's source side.
    const bestTgt = rankTargets(mapped, tgt, Array.from({ length: rows }, (_, i) => i), { method: 'csls', knn, threads });
    const criterion = meanCosineCriterion(mapped, tgt, bestTgt);
    const record = { iteration: it, pairs, criterion };
    history.push(record);
    opts.onIteration?.(record);
    if (criterion > best.criterion) best = { w, criterion, iteration: it };
    if (it === iterations) break;
    const dico = mutualPairs(mapped, tgt, bestTgt, words, knn, threads);
    if (dico.length === 0) throw new XmrError('E_EMPTY', `refinement iteration ${it + 1}: no mutual CSLS nearest neighbours among the ${words} most frequent words of each side; raise --refine-words`);
    ({ w, pairs } = procrustes(src, tgt, dico));
  }
  return { w: best.w, best: best.iteration, iterations: history };
}
