/**
 * Monolingual word embeddings: skip-gram with negative sampling (word2vec; Mikolov et al. 2013),
 * trained by the native kernel (native/src/wordvec, semantics in native/include/xmr/skipgram.h:
 * word2vec.c's subsampling, dynamic window, unigram^0.75 noise and linear rate decay, deterministic
 * under a seed for any thread count). This file is the glue: the vocabulary, the corpus as ids, the
 * initial vectors, one native call per epoch, and the result as {@link Embeddings} for `.vec` files.
 */
import { isaChoice, checkSeed, nonNegativeNumber, positiveInteger, positiveNumber } from '../args.js';
import { native, type IsaName } from '../native.js';
import { rng } from '../random.js';
import type { Embeddings } from '../data/lexicons/vec.js';

export interface SkipgramOptions {
  /** Vector size (default 100). */
  dim?: number;
  /** Passes over the corpus (default 5). */
  epochs?: number;
  /** Maximal window: each centre word uses b ~ U{1..window} words on each side (default 5). */
  window?: number;
  /** Negative samples per (context, centre) pair (default 5). */
  negative?: number;
  /** Words seen fewer times are dropped before training (default 3; word2vec's min-count). */
  minCount?: number;
  /** Subsampling threshold t (default 1e-4; 0 keeps every word). */
  sample?: number;
  /** Starting learning rate α₀, decayed linearly to α₀·1e-4 (default 0.025). */
  lr?: number;
  /** Worker threads (default 2); the result is bit-identical for the same seed and thread count. */
  threads?: number;
  seed?: number;
  isa?: IsaName | 'auto';
  /** Tokens per thread per round of the deterministic multi-threaded scheme (default 32768). */
  roundWords?: number;
  /** Called after each epoch (for progress on stderr). */
  onEpoch?: (p: EpochProgress) => void;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  /** Corpus tokens in the vocabulary this epoch (before subsampling). */
  words: number;
  /** Of those, kept by subsampling (gensim's "effective words"). */
  effectiveWords: number;
  seconds: number;
}

export interface Vocabulary {
  /** Most frequent first; ties in code-unit order. */
  words: string[];
  counts: Float64Array;
  ids: Map<string, number>;
}

export interface SkipgramStats {
  sentences: number;
  /** Every token of the corpus, in or out of the vocabulary (gensim's "raw words"). */
  tokens: number;
  /** Tokens in the vocabulary (what one epoch reads). */
  trainedTokens: number;
  vocabulary: number;
  /** Σ over epochs of the tokens kept by subsampling. */
  effectiveWords: number;
  /** Time in the native epochs only (no vocabulary building). */
  seconds: number;
}

/** The words seen at least `minCount` times, most frequent first, ties in code-unit order. */
export function buildVocabulary(sentences: readonly (readonly string[])[], minCount: number): Vocabulary {
  positiveInteger(minCount, 'minCount');
  const counts = new Map<string, number>();
  for (const s of sentences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.keys()].filter((w) => counts.get(w)! >= minCount);
  words.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  return { words, counts: Float64Array.from(words, (w) => counts.get(w)!), ids: new Map(words.map((w, i) => [w, i])) };
}

/** The sentences as vocabulary ids (out-of-vocabulary words dropped, as word2vec.c and gensim do) and sentence offsets. */
export function encodeCorpus(sentences: readonly (readonly string[])[], vocab: Vocabulary): { ids: Uint32Array; offsets: Uint32Array } {
  let n = 0;
  for (const s of sentences) for (const w of s) if (vocab.ids.has(w)) n++;
  if (n > 0xffffffff) throw new RangeError(`the corpus must have < 2³² tokens in the vocabulary, got ${n}`);
  const ids = new Uint32Array(n);
  const offsets = new Uint32Array(sentences.length + 1);
  let k = 0;
  sentences.forEach((s, i) => {
    for (const w of s) {
      const id = vocab.ids.get(w);
      if (id !== undefined) ids[k++] = id;
    }
    offsets[i + 1] = k;
  });
  return { ids, offsets };
}

/**
 * Trains skip-gram vectors on tokenised sentences. The input vectors start uniform in
 * [−0.5/dim, 0.5/dim) (word2vec.c's initialisation; mulberry32 seeded with `seed` mod 2³²), the output
 * vectors at zero; the returned embeddings are the input vectors, rows in vocabulary order.
 */
export async function trainSkipgram(sentences: readonly (readonly string[])[], options: SkipgramOptions = {}): Promise<{ embeddings: Embeddings; stats: SkipgramStats }> {
  const o = {
    dim: positiveInteger(options.dim ?? 100, 'dim'),
    epochs: positiveInteger(options.epochs ?? 5, 'epochs'),
    window: positiveInteger(options.window ?? 5, 'window'),
    negative: positiveInteger(options.negative ?? 5, 'negative'),
    minCount: positiveInteger(options.minCount ?? 3, 'minCount'),
    sample: nonNegativeNumber(options.sample ?? 1e-4, 'sample'),
    lr: positiveNumber(options.lr ?? 0.025, 'lr'),
    threads: positiveInteger(options.threads ?? 2, 'threads'),
    seed: checkSeed(options.seed ?? 0),
    isa: isaChoice(options.isa ?? 'auto'),
    roundWords: positiveInteger(options.roundWords ?? 32768, 'roundWords'),
  };
  const vocab = buildVocabulary(sentences, o.minCount);
  if (vocab.words.length === 0) throw new RangeError(`no word occurs at least minCount (${o.minCount}) times`);
  const { ids, offsets } = encodeCorpus(sentences, vocab);
  const n = vocab.words.length;
  const inVectors = new Float32Array(n * o.dim);
  const u = rng(o.seed);
  for (let i = 0; i < inVectors.length; i++) inVectors[i] = (u() - 0.5) / o.dim;
  const outVectors = new Float32Array(n * o.dim);
  const { minCount: _m, ...params } = o;
  let effective = 0;
  let seconds = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const t0 = performance.now();
    const r = await native().skipgramTrainEpoch(ids, offsets, vocab.counts, inVectors, outVectors, params, epoch);
    const s = (performance.now() - t0) / 1000;
    seconds += s;
    effective += r.effectiveWords;
    options.onEpoch?.({ epoch: epoch + 1, epochs: o.epochs, words: ids.length, effectiveWords: r.effectiveWords, seconds: s });
  }
  let tokens = 0;
  for (const s of sentences) tokens += s.length;
  return {
    embeddings: { words: vocab.words, dim: o.dim, vectors: inVectors },
    stats: { sentences: sentences.length, tokens, trainedTokens: ids.length, vocabulary: n, effectiveWords: effective, seconds },
  };
}

/**
 * One step of the native skip-gram kernel (the one training runs), for gradient checks: context row
 * `v` (dim floats) and target rows `u` (k × dim, the positive first) are updated in place with rate
 * `alpha`; returns L = −log σ(v·u₀) − Σ_{t≥1} log σ(−v·u_t) before the step.
 */
export function skipgramStep(v: Float32Array, u: Float32Array, alpha: number, isa: IsaName | 'auto' = 'auto'): number {
  if (v.length === 0 || u.length === 0 || u.length % v.length !== 0) throw new RangeError(`u.length (${u.length}) must be a positive multiple of v.length (${v.length})`);
  if (!Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number, got ${alpha}`);
  return native().skipgramStepSync(v, u, alpha, isaChoice(isa));
}
