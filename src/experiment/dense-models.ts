/**
 * The dense systems' backend: training a dual encoder for a TrainSpec (src/train/train.ts does the
 * work) and loading one as a text encoder (src/encoders). One word vocabulary, built once from the dataset and every
 * seen language's lexicon, is shared by all models so that their runs differ only by training.
 */
import { loadTrainingPairs, loadTokenizer, trainDualEncoder, vocabularyTexts } from '../train/train.js';
import { buildWordVocab, writeVocab } from '../train/vocab.js';
import { loadDualEncoder, saveDualEncoder } from '../encoders/dual-encoder-model.js';
import { NativeTextEncoder } from '../encoders/native-text-encoder.js';
import { createCodeSwitcher, emptyStats, switchRatios } from '../augment/codeswitch.js';
import type { Lexicons } from './lexicons.js';
import type { TrainSpec } from './systems.js';

export interface TrainReport {
  pairs: number;
  epochs: number;
  /** Wall-clock seconds of the whole training call. */
  seconds: number;
  pairsPerSecond: number;
  finalLoss: number;
  /** Realised code-switch ratio (switched / non-stopword tokens) on the training queries, or null. */
  switchRatio: number | null;
  /** Absolute ε of the last epoch, or null without adversarial training. */
  epsAbsolute: number | null;
  /** Threads it trained on: the study's, or its share when models trained side by side (absent in reports of xmrbench before that). */
  threads?: number;
}

const MAX_LENGTH = 128;

/** Writes the shared vocabulary (BERT-style vocab.txt) to `outFile`. */
export async function buildSharedVocab(dataset: string, lexicons: Lexicons, langs: readonly string[], outFile: string): Promise<void> {
  const pairs = await loadTrainingPairs(dataset);
  const words = langs.flatMap((l) => [...lexicons.fromEnglish(l).values()]);
  writeVocab(outFile, buildWordVocab(await vocabularyTexts(dataset, pairs, words)));
}

export async function trainDenseModel(o: {
  spec: TrainSpec;
  seed: number;
  dataset: string;
  lexicons: Lexicons;
  vocabFile: string;
  threads: number;
  outFile: string;
  /** Stops training at its next chunk of steps; the model is then not written and this rejects. */
  signal?: AbortSignal;
}): Promise<TrainReport> {
  const { spec } = o;
  // The code-switching lexicons of the spec's source (FreeDict when it names none).
  const lexicons = o.lexicons.source(spec.cs?.lexicon);
  const pairs = await loadTrainingPairs(o.dataset);
  const r = await trainDualEncoder({
    dataset: o.dataset,
    pairs,
    out: o.outFile,
    // The study caches finished models only: no per-epoch checkpoints with the Adam moments.
    checkpoint: 'none',
    tokenizer: o.vocabFile,
    epochs: spec.epochs,
    batch: spec.batch,
    dim: spec.dim,
    lr: spec.lr,
    tau: spec.tau,
    seed: o.seed,
    threads: o.threads,
    maxLength: MAX_LENGTH,
    ...(spec.cs ? { cs: { mode: spec.cs.mode, langs: spec.cs.langs, rate: spec.cs.p, lexicons: lexicons.dir } } : {}),
    ...(spec.adv ? { adv: spec.adv.method, eps: spec.adv.eps, epsRelative: spec.adv.epsRelative, lambda: spec.adv.lambda, pgdSteps: spec.adv.steps } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (r.interrupted) throw new Error(`training of ${o.outFile} stopped before its last epoch`);
  // The weights only: the Adam moments triple the file and the study never resumes a finished model.
  saveDualEncoder(r.model, o.outFile, { tau: spec.tau, step: r.steps, config: r.config });
  let switchRatio: number | null = null;
  if (spec.cs) {
    // The realised ratio as the paper reports it, measured with the training seed on the training queries.
    const sw = createCodeSwitcher({ mode: spec.cs.mode, lexicons: spec.cs.langs.map((lang) => ({ lang, lexicon: lexicons.fromEnglish(lang) })), p: spec.cs.p, seed: o.seed });
    const stats = emptyStats(spec.cs.langs);
    pairs.queries.forEach((t, i) => sw.switchText(t, i, stats, 0));
    switchRatio = switchRatios(stats).ratio;
  }
  return {
    pairs: pairs.queries.length,
    epochs: r.epochsDone,
    seconds: r.wallSeconds,
    pairsPerSecond: r.pairsPerSecond,
    finalLoss: r.epochLoss[r.epochLoss.length - 1] ?? NaN,
    switchRatio,
    epsAbsolute: spec.adv ? r.epsAbs : null,
    threads: o.threads,
  };
}

export async function loadDenseModel(file: string, vocabFile: string): Promise<NativeTextEncoder> {
  return new NativeTextEncoder(loadDualEncoder(file).model, loadTokenizer(vocabFile), { maxLength: MAX_LENGTH });
}
