/**
 * Workload `skipgram`: skip-gram training throughput (words/s) of the native trainer against gensim's
 * Word2Vec (Debian's python3-gensim, bench/gensim_word2vec.py) on the same corpus with the same
 * hyper-parameters (sg=1, hs=0, negative, window, sample, min_count, epochs, threads = workers),
 * side by side in one run, alternating drivers over `trials`.
 *
 * Corpus: the committed DDTP training text (datasets/ddtp-mini/train: English synopses and long
 * descriptions of train families), a sentence per synopsis and per paragraph, tokenised and
 * lower-cased as `embed train` does; written once, space-separated, for gensim.
 *
 * Words/s, as both tools count: raw words/s = epochs × corpus tokens (every token, in vocabulary or
 * not: gensim's "raw words") / training seconds; effective words/s = words kept by min-count and
 * subsampling, summed over epochs (gensim's "effective words", the native trainer's effectiveWords) /
 * training seconds. Only training is timed (gensim's train(), the native epochs; not vocabulary
 * building). The ratio is on raw words/s, i.e. the inverse ratio of times for the same work.
 *
 * Quality sanity (so speed is not bought with broken training): the mean cosine of obvious pairs
 * (singular/plural and near-synonyms frequent in package descriptions) against the mean cosine of
 * seeded random pairs of frequent words, for both drivers; the native side must rank them above.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { lowerWords } from '../augment/tokens.js';
import { normalizeRows, type Embeddings } from '../data/lexicons/vec.js';
import { packageRoot } from '../native.js';
import { rng } from '../random.js';
import { trainSkipgram, type SkipgramOptions } from '../wordvec/skipgram.js';
import { COMPETITOR_SCRIPTS } from './competitors.js';
import { machineStamp } from './machine.js';
import { defineWorkload, type BenchResult, type DriverResult } from './workload.js';

export interface SkipgramBenchOptions extends Required<Pick<SkipgramOptions, 'dim' | 'epochs' | 'window' | 'negative' | 'minCount' | 'sample' | 'threads'>> {
  /** Training descriptions of datasets/ddtp-mini/train (synopsis + long description each). */
  docs: number;
  trials: number;
  timeMs: number;
}

const LR = 0.025;
const SEED = 1;

/** Pairs a working model puts close together in Debian package descriptions. */
const OBVIOUS_PAIRS: readonly (readonly [string, string])[] = [
  ['file', 'files'],
  ['package', 'packages'],
  ['library', 'libraries'],
  ['image', 'images'],
  ['font', 'fonts'],
  ['server', 'client'],
  ['python', 'perl'],
  ['gnome', 'kde'],
  ['audio', 'sound'],
  ['documentation', 'manual'],
];

function corpus(docs: number): string[][] {
  const read = (f: string): string[] =>
    readFileSync(path.join(packageRoot, 'datasets/ddtp-mini/train', f), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .slice(0, docs)
      .map((l) => (JSON.parse(l) as { text: string }).text);
  const out: string[][] = [];
  const synopses = read('queries.jsonl');
  const longs = read('corpus.jsonl');
  for (let i = 0; i < longs.length; i++) {
    for (const t of [synopses[i]!, ...longs[i]!.split('\n')]) {
      const s = lowerWords(t);
      if (s.length > 0) out.push(s);
    }
  }
  return out;
}

/** Mean of the defined values. */
const meanOf = (xs: readonly (number | null)[]): number => {
  const d = xs.filter((x): x is number => x !== null);
  return d.reduce((a, b) => a + b, 0) / d.length;
};

function cosines(e: Embeddings, pairs: readonly (readonly [string, string])[]): (number | null)[] {
  const v = normalizeRows(Float32Array.from(e.vectors), e.dim);
  const id = new Map(e.words.map((w, i) => [w, i]));
  return pairs.map(([a, b]) => {
    const ia = id.get(a);
    const ib = id.get(b);
    if (ia === undefined || ib === undefined) return null;
    let s = 0;
    for (let j = 0; j < e.dim; j++) s += v[ia * e.dim + j]! * v[ib * e.dim + j]!;
    return s;
  });
}

export async function benchSkipgram(o: SkipgramBenchOptions): Promise<BenchResult> {
  const sentences = corpus(o.docs);
  let tokens = 0;
  for (const s of sentences) tokens += s.length;
  const options = { dim: o.dim, epochs: o.epochs, window: o.window, negative: o.negative, minCount: o.minCount, sample: o.sample, lr: LR, threads: o.threads, seed: SEED };

  // Correctness first: a native model whose obvious pairs are not closer than random pairs is broken.
  // (Only strictly closer: after little training every vector shares one direction, and both tools give
  // cosines near 1 for any pair — gensim too, e.g. 0.99 after 1 epoch on 5,000 descriptions.)
  const first = await trainSkipgram(sentences, options);
  const r = rng(SEED);
  const vocab = first.embeddings.words;
  // Random pairs among frequent words (frequency ranks 50–1049, past the function words), as well
  // trained as the obvious pairs: rare words barely move from the shared initial direction, so pairs of
  // them look close in any model.
  const band = vocab.slice(50, 1050);
  const randomPairs = Array.from({ length: 200 }, () => [band[Math.floor(r() * band.length)]!, band[Math.floor(r() * band.length)]!] as const);
  const quality = (c: (number | null)[]): { obvious: number; random: number } => ({ obvious: meanOf(c.slice(0, OBVIOUS_PAIRS.length)), random: meanOf(c.slice(OBVIOUS_PAIRS.length)) });
  const pairs = [...OBVIOUS_PAIRS, ...randomPairs];
  const nativeQuality = quality(cosines(first.embeddings, pairs));
  if (!(nativeQuality.obvious > nativeQuality.random))
    throw new Error(`native training looks broken: obvious pairs' mean cosine ${nativeQuality.obvious.toFixed(3)} vs random pairs' ${nativeQuality.random.toFixed(3)}`);

  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-skipgram-'));
  const nativeSeconds: number[] = [];
  const nativeEffective: number[] = [];
  const gensimRuns: { seconds: number; effectiveWords: number; rawWords: number; vocabulary: number; cosines: (number | null)[]; gensim: string }[] = [];
  let gensimNote: string | undefined;
  try {
    const corpusFile = path.join(dir, 'corpus.txt');
    writeFileAtomic(corpusFile, sentences.map((s) => s.join(' ')).join('\n') + '\n');
    const pairsFile = path.join(dir, 'pairs.json');
    writeFileAtomic(pairsFile, JSON.stringify(pairs));
    const args = [COMPETITOR_SCRIPTS.gensim, corpusFile, ...[o.dim, o.window, o.negative, o.sample, o.minCount, o.epochs, o.threads, SEED, LR].map(String), pairsFile];
    for (let t = 0; t < o.trials; t++) {
      const run = t === 0 ? first : await trainSkipgram(sentences, options);
      nativeSeconds.push(run.stats.seconds);
      nativeEffective.push(run.stats.effectiveWords);
      if (gensimNote !== undefined) continue;
      try {
        gensimRuns.push(JSON.parse(execFileSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] })));
      } catch (e) {
        gensimNote = `gensim not measured: ${(e as Error).message.split('\n')[0]} (apt-get install python3-gensim)`;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const raw = o.epochs * tokens;
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const ns = mean(nativeSeconds);
  const drivers: DriverResult[] = [
    {
      driver: 'xmrbench native',
      rawWordsPerSecond: raw / ns,
      effectiveWordsPerSecond: mean(nativeEffective) / ns,
      seconds: ns,
      obviousPairsCosine: nativeQuality.obvious,
      randomPairsCosine: nativeQuality.random,
      vocabulary: first.stats.vocabulary,
      timing: { samples: nativeSeconds.length, meanMs: ns * 1000, minMs: Math.min(...nativeSeconds) * 1000 },
      note: `trainSkipgram (native epochs only), ${o.threads} threads, deterministic rounds`,
    },
  ];
  const ratios: Record<string, number> = {};
  if (gensimRuns.length > 0) {
    const gs = mean(gensimRuns.map((g) => g.seconds));
    const gq = quality(gensimRuns[0]!.cosines);
    drivers.push({
      driver: `gensim ${gensimRuns[0]!.gensim}`,
      rawWordsPerSecond: mean(gensimRuns.map((g) => g.rawWords)) / gs,
      effectiveWordsPerSecond: mean(gensimRuns.map((g) => g.effectiveWords)) / gs,
      seconds: gs,
      obviousPairsCosine: gq.obvious,
      randomPairsCosine: gq.random,
      vocabulary: gensimRuns[0]!.vocabulary,
      timing: { samples: gensimRuns.length, meanMs: gs * 1000, minMs: Math.min(...gensimRuns.map((g) => g.seconds)) * 1000 },
      note: `Word2Vec(sg=1, hs=0, corpus_file) train() only, workers=${o.threads}, child process`,
    });
    ratios['native / gensim'] = gs / ns;
  }
  return {
    workload: 'skipgram',
    params: { docs: o.docs, sentences: sentences.length, tokens, dim: o.dim, epochs: o.epochs, window: o.window, negative: o.negative, minCount: o.minCount, sample: o.sample, lr: LR, threads: o.threads, trials: o.trials, target: 'native / gensim ≥ 1 (raw words/s)' },
    machine: machineStamp(),
    drivers,
    ratios,
    ...(gensimNote ? { gensim: gensimNote } : {}),
  };
}

export const skipgramWorkload = defineWorkload<SkipgramBenchOptions>({
  name: 'skipgram',
  measures: "skip-gram (word2vec, negative sampling) training throughput (words/s): xmrbench native vs gensim's Word2Vec on the same DDTP text",
  options: {
    docs: { type: 'number', default: 20000, describe: 'Training descriptions of datasets/ddtp-mini/train (synopsis + paragraphs each)' },
    dim: { type: 'number', default: 100, describe: 'Vector size' },
    epochs: { type: 'number', default: 3, describe: 'Passes over the corpus' },
    window: { type: 'number', default: 5, describe: 'Maximal window' },
    negative: { type: 'number', default: 5, describe: 'Negative samples per pair' },
    minCount: { type: 'number', default: 3, describe: 'Minimum count of a vocabulary word' },
    sample: { type: 'number', default: 1e-4, describe: 'Subsampling threshold' },
    trials: { type: 'number', default: 2, describe: 'Training runs per driver, alternating' },
  },
  drivers: [
    'xmrbench native: trainSkipgram (deterministic rounds over threads), the native epochs timed',
    "gensim: Word2Vec(sg=1, hs=0) on the same corpus file, train() timed, in a child process (skipped, saying so, where python3-gensim is missing)",
  ],
  ratios: ['native / gensim (raw words/s; target ≥ 1)'],
  examples: [['$0 bench skipgram --threads 2 --json', 'The English DDTP training text (~1.1M tokens), 100 d, 3 epochs, beside gensim']],
  run: benchSkipgram,
});
