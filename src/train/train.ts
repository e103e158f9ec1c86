/**
 * `xmrbench train`'s engine: trains a dual encoder on a BEIR training split, with code-switching
 * on the fly and adversarial training, checkpointing after every epoch and when stopped.
 *
 * Per epoch e (all draws seeded, so a run is reproducible and `resume` continues the same run):
 * 1. the pairs are shuffled (Fisher–Yates from seed and e);
 * 2. with code-switching, each query and/or document text is switched afresh (BL-CS or ML-CS,
 *    src/augment/codeswitch.ts, collection index e·n + i, so every epoch draws new switches);
 * 3. the texts are tokenized (native, multi-threaded) into one pool of ragged sequences;
 * 4. the native trainer runs the epoch's steps, `chunkSteps` per call (one crossing per chunk);
 *    between chunks the progress line is updated and a stop request is honoured.
 * Steps 1–3 of epoch e + 1 run on the main thread while the native threads train epoch e (the
 * switching in slices, so a finished chunk is answered within milliseconds): with code-switching they
 * were a serial stretch of about a second per epoch with the native threads idle. Every draw is keyed
 * by (seed, epoch, text index), so this changes no number.
 * The checkpoint (weights and Adam moments, 3× the model) is written after every epoch by default; the
 * study passes `checkpoint: 'none'`, as it caches finished models only and saves their weights itself
 * — on a 62k-word vocabulary at d = 256 the per-epoch checkpoints (192 MB each, mostly first-touch
 * page faults) took three quarters of a zero-shot model's training time.
 * Hard negatives (optional) are mined once, before training, by the caller's `negativeMiner` (BM25
 * on the English texts: mineHardNegatives in src/rankers/hard-negatives.ts — training does not
 * import rankers, so the miner is passed in).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { XmrError } from '../errors.js';
import { createCodeSwitcher, type CodeSwitcher } from '../augment/codeswitch.js';
import { loadBeir, readBeirCorpus, type BeirCorpus } from '../data/beir.js';
import { readMuse } from '../data/lexicons/muse.js';
import { tokenizeTexts } from '../encoders/native-text-encoder.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { nonNegativeInteger, oneOf, positiveInteger } from '../args.js';
import { concatSequences, DualEncoder, readCheckpointFile, type Sequences } from '../encoders/dual-encoder-model.js';
import { DualEncoderTrainer, resolveTrainerOptions, type TrainerOptions } from './trainer.js';
import { buildWordVocab, writeVocab } from './vocab.js';

export interface CodeSwitchOptions {
  mode: 'bl' | 'ml';
  /** Target languages; lexicons are read from `<lexicons>/en-<lang>.txt` (MUSE format). */
  langs: string[];
  /** Switch probability per token; default 0.5 (the paper's best). */
  rate?: number;
  /** Which side is switched; default 'both'. */
  on?: 'queries' | 'docs' | 'both';
  /** Folder of the lexicons; default `<dataset>/../lexicons`. */
  lexicons?: string;
}

export interface TrainOptions extends TrainerOptions {
  /** A BEIR dataset root holding `train/` (like datasets/ddtp-mini), or a BEIR folder with the split. */
  dataset: string;
  /** Split of the training qrels; default 'train'. */
  split?: string;
  /** Checkpoint file to write (and to resume from). */
  out: string;
  /** tokenizer.json or vocab.txt; default: a word vocabulary built from the dataset, written to `<out>.vocab.txt`. */
  tokenizer?: string;
  epochs?: number;
  batch?: number;
  dim?: number;
  /** Rows of a projection W; default 0 (none). */
  outDim?: number;
  initStd?: number;
  /** Tokens per text; default 128. */
  maxLength?: number;
  /** Hard negatives (one per pair, from `negativeMiner`); default false. */
  hardNegatives?: boolean;
  /** Mines the hard negatives (needed with hardNegatives, also when resuming such a run). */
  negativeMiner?: NegativeMiner;
  cs?: CodeSwitchOptions;
  /** Continue from the checkpoint at `out` (its settings win, except epochs and threads). */
  resume?: boolean;
  /** Steps per native call; default 8. */
  chunkSteps?: number;
  /**
   * When the checkpoint (weights, Adam moments, progress) is written to `out`: 'epoch' (default) after
   * every epoch and when stopped, so `resume` can continue; 'none' never — the caller saves the
   * returned model (the study does, weights only).
   */
  checkpoint?: 'epoch' | 'none';
  /** The training pairs, when the caller has loaded them already (else read from `dataset`). */
  pairs?: TrainingPairs;
  /** Stop after the current chunk (a checkpoint is written, unless `checkpoint` is 'none'). */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Free-form fields stored in the checkpoint's config. */
  extra?: Record<string, unknown>;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Mean loss over the last chunk. */
  loss: number;
  cleanLoss: number;
  advLoss: number;
  epsAbs: number;
  /** Training pairs per second over the epoch so far (native steps only). */
  pairsPerSecond: number;
  elapsedMs: number;
}

export interface TrainResult {
  model: DualEncoder;
  tokenizer: Tokenizer;
  tokenizerFile: string;
  /** Checkpoint written. */
  out: string;
  interrupted: boolean;
  epochsDone: number;
  steps: number;
  /** Mean loss per finished epoch. */
  epochLoss: number[];
  /** Seconds spent in native training steps, and wall-clock seconds of the whole run. */
  trainSeconds: number;
  wallSeconds: number;
  pairsPerSecond: number;
  /** Mean absolute ε of the last epoch (0 without adversarial training). */
  epsAbs: number;
  meanEmbeddingNorm: number;
  config: Record<string, unknown>;
}

/** The training pairs of a BEIR split: texts and, per pair, the index of its positive document. */
export interface TrainingPairs {
  queries: string[];
  corpus: BeirCorpus;
  positives: Int32Array;
}

export async function loadTrainingPairs(dataset: string, split = 'train'): Promise<TrainingPairs> {
  const dir = existsSync(path.join(dataset, 'train', 'corpus.jsonl')) || existsSync(path.join(dataset, 'train', 'corpus.jsonl.gz')) ? path.join(dataset, 'train') : dataset;
  const d = await loadBeir(dir, { split });
  const docIndex = new Map(d.corpus.ids.map((id, i) => [id, i] as const));
  const queryText = new Map(d.queries.ids.map((id, i) => [id, d.queries.texts[i]!] as const));
  const queries: string[] = [];
  const positives: number[] = [];
  for (let q = 0; q < d.qrels.size; q++) {
    const text = queryText.get(d.qrels.queries.get(q));
    if (text === undefined) continue;
    for (let i = d.qrels.offsets[q]!; i < d.qrels.offsets[q + 1]!; i++) {
      if (d.qrels.rels[i]! <= 0) continue;
      const doc = docIndex.get(d.qrels.docnos.get(d.qrels.docs[i]!));
      if (doc === undefined) continue;
      queries.push(text);
      positives.push(doc);
    }
  }
  if (queries.length === 0) throw new XmrError('E_EMPTY', `no training pairs in split "${split}"`, { file: dir });
  return { queries, corpus: d.corpus, positives: Int32Array.from(positives) };
}

/** For each training pair, the index (into pairs.corpus) of a hard negative document. */
export type NegativeMiner = (pairs: TrainingPairs, threads: number) => Promise<Int32Array>;

/** Seeded Fisher–Yates permutation (SplitMix32-style generator keyed by seed and epoch). */
export function permutation(n: number, seed: number, epoch: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  let s = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Loads a tokenizer file: a tokenizer.json, or a vocab.txt (BERT uncased). */
export function loadTokenizer(file: string): Tokenizer {
  return file.endsWith('.json') ? Tokenizer.fromFile(file) : Tokenizer.fromVocabFile(file);
}

/** The dataset's texts a fallback vocabulary is built from: training texts and every corpus in the dataset. */
export async function vocabularyTexts(dataset: string, pairs: TrainingPairs, lexiconWords: string[]): Promise<string[]> {
  const texts: string[] = [...pairs.queries, ...pairs.corpus.texts];
  const { readdirSync } = await import('node:fs');
  if (existsSync(dataset)) {
    for (const e of readdirSync(dataset, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'train') continue;
      const corpus = path.join(dataset, e.name, 'corpus.jsonl');
      if (existsSync(corpus)) texts.push(...(await readBeirCorpus(corpus)).texts);
    }
  }
  texts.push(lexiconWords.join(' '));
  return texts;
}

function codeSwitcher(cs: CodeSwitchOptions, dataset: string, seed: number): { sw: CodeSwitcher; words: string[] } {
  const dir = cs.lexicons ?? path.resolve(dataset, '..', 'lexicons');
  const lexicons = cs.langs.map((lang) => {
    const file = path.join(dir, `en-${lang}.txt`);
    if (!existsSync(file)) throw new XmrError('E_MISSING', `no lexicon for en→${lang}`, { file });
    return { lang, lexicon: readMuse(file) };
  });
  const words = lexicons.flatMap((l) => [...l.lexicon.values()]);
  return { sw: createCodeSwitcher({ mode: cs.mode, lexicons, p: cs.rate ?? 0.5, seed }), words };
}

/** Texts code-switched between two turns of the event loop (~3 ms of switchText). */
const SWITCH_SLICE = 256;

interface EpochData {
  pool: Sequences;
  queries: Int32Array;
  positives: Int32Array;
  negatives: Int32Array | null;
}

/** Trains (or resumes) a dual encoder; see the module comment. */
export async function trainDualEncoder(o: TrainOptions): Promise<TrainResult> {
  const wallStart = performance.now();
  if (o === null || typeof o !== 'object') throw new TypeError('options must be an object');
  if (typeof o.dataset !== 'string') throw new TypeError('dataset must be a path');
  if (typeof o.out !== 'string' || o.out === '') throw new TypeError('out must be a file path');
  let resumed: ReturnType<typeof readCheckpointFile> | null = null;
  let opts: TrainOptions = o;
  if (o.resume && existsSync(o.out)) {
    resumed = readCheckpointFile(o.out);
    const stored = resumed.info.config.options as TrainOptions | undefined;
    if (stored === undefined) throw new XmrError('E_CONFIG', 'the checkpoint has no training options to resume with', { file: o.out });
    opts = { ...stored, dataset: o.dataset, out: o.out, epochs: o.epochs ?? stored.epochs, threads: o.threads ?? stored.threads, signal: o.signal, onProgress: o.onProgress, negativeMiner: o.negativeMiner, resume: true };
  }
  const epochs = opts.epochs === undefined ? 3 : positiveInteger(opts.epochs, 'epochs');
  const batch = opts.batch === undefined ? 64 : positiveInteger(opts.batch, 'batch');
  const dim = opts.dim === undefined ? 128 : positiveInteger(opts.dim, 'dim');
  const outDim = opts.outDim === undefined ? 0 : nonNegativeInteger(opts.outDim, 'outDim');
  const maxLength = opts.maxLength === undefined ? 128 : positiveInteger(opts.maxLength, 'maxLength');
  const chunkSteps = opts.chunkSteps === undefined ? 8 : positiveInteger(opts.chunkSteps, 'chunkSteps');
  const checkpoint = oneOf(o.checkpoint ?? 'epoch', 'checkpoint', ['epoch', 'none'] as const);
  const native = resolveTrainerOptions(opts);
  const seed = native.seed;
  const threads = native.threads;
  const cs = opts.cs;
  if (cs !== undefined) {
    if (cs.mode !== 'bl' && cs.mode !== 'ml') throw new TypeError(`cs.mode must be 'bl' or 'ml', got ${String(cs.mode)}`);
    if (!Array.isArray(cs.langs) || cs.langs.length === 0) throw new RangeError('cs.langs must name at least one language');
    if (cs.on !== undefined && !['queries', 'docs', 'both'].includes(cs.on)) throw new TypeError(`cs.on must be 'queries', 'docs' or 'both', got ${String(cs.on)}`);
  }

  const pairs = o.pairs ?? (await loadTrainingPairs(opts.dataset, opts.split ?? 'train'));
  const switcher = cs === undefined ? null : codeSwitcher(cs, opts.dataset, seed);

  // Tokenizer: given, stored in the checkpoint, or built from the dataset.
  let tokenizerFile = opts.tokenizer ?? (resumed?.info.config.tokenizer as { file?: string } | undefined)?.file;
  if (tokenizerFile === undefined) {
    tokenizerFile = `${o.out}.vocab.txt`;
    if (!(resumed && existsSync(tokenizerFile))) {
      const allLexWords = cs?.langs.length ? switcher!.words : [];
      writeVocab(tokenizerFile, buildWordVocab(await vocabularyTexts(opts.dataset, pairs, allLexWords)));
    }
  }
  const tokenizer = loadTokenizer(tokenizerFile);
  const tokenizerSha = sha256File(tokenizerFile);
  if (resumed) {
    const stored = (resumed.info.config.tokenizer as { sha256?: string } | undefined)?.sha256;
    if (stored !== undefined && stored !== tokenizerSha)
      throw new XmrError('E_CONFIG', `the tokenizer ${tokenizerFile} differs from the one the checkpoint was trained with`, { file: o.out });
  }

  const model = resumed ? resumed.model : DualEncoder.create({ vocabSize: tokenizer.vocabSize, dim, outDim, seed, initStd: opts.initStd ?? 0.1 });
  if (model.vocabSize !== tokenizer.vocabSize)
    throw new XmrError('E_CONFIG', `the model's vocabulary (${model.vocabSize}) does not match the tokenizer's (${tokenizer.vocabSize})`, { file: o.out });
  const trainer = new DualEncoderTrainer(model, native, resumed?.bytes);

  if (opts.hardNegatives && typeof opts.negativeMiner !== 'function') throw new TypeError('hardNegatives needs a negativeMiner (e.g. mineHardNegatives)');
  const negatives = opts.hardNegatives ? await opts.negativeMiner!(pairs, threads) : null;
  const n = pairs.queries.length;
  const stepsPerEpoch = Math.floor(n / batch);
  if (stepsPerEpoch === 0) throw new XmrError('E_CONFIG', `batch (${batch}) is larger than the number of training pairs (${n})`);
  const progress0 = (resumed?.info.config.progress as { epoch: number; step: number } | undefined) ?? { epoch: 0, step: 0 };

  const storedOptions: Record<string, unknown> = {
    ...native,
    isa: opts.isa ?? 'auto',
    epochs,
    batch,
    dim: model.dim,
    outDim: model.hasProjection ? model.outDim : 0,
    initStd: opts.initStd ?? 0.1,
    maxLength,
    hardNegatives: !!opts.hardNegatives,
    cs,
    split: opts.split ?? 'train',
    chunkSteps,
  };
  const configFor = (epoch: number, step: number): Record<string, unknown> => ({
    format: 'xmrbench-dual-encoder-training',
    version: 1,
    options: storedOptions,
    tokenizer: { file: tokenizerFile, sha256: tokenizerSha, maxLength, addSpecialTokens: false },
    progress: { epoch, step },
    dataset: opts.dataset,
    ...(opts.extra ? { extra: opts.extra } : {}),
  });

  // The document side of the pool is constant without document switching: tokenize once.
  const switchDocs = switcher !== null && (cs!.on ?? 'both') !== 'queries';
  const switchQueries = switcher !== null && (cs!.on ?? 'both') !== 'docs';
  const tok = (texts: string[]) => tokenizeTexts(tokenizer, texts, { maxLength, threads });
  const plainDocs = switchDocs ? null : await tok(pairs.corpus.texts);
  const plainQueries = switchQueries ? null : await tok(pairs.queries);
  const plainPool = plainQueries && plainDocs ? concatSequences([plainQueries, plainDocs]) : null;

  const epochLoss: number[] = [];
  let trainMs = 0;
  let pairsTrained = 0;
  let interrupted = false;
  let lastEps = 0;
  let lastNorm = 0;
  let epoch = progress0.epoch;
  let stepInEpoch = progress0.step;
  const nd = pairs.corpus.texts.length;
  // Code-switches texts[i] as collection index base + i, yielding to the event loop between slices
  // (a slice is a few milliseconds) so that the chunks of the epoch in training are answered
  // promptly; null when stopped.
  const switchAll = async (texts: string[], base: number, side: 0 | 1): Promise<string[] | null> => {
    const out = new Array<string>(texts.length);
    for (let a = 0; a < texts.length; a += SWITCH_SLICE) {
      if (opts.signal?.aborted) return null;
      const b = Math.min(texts.length, a + SWITCH_SLICE);
      for (let i = a; i < b; i++) out[i] = switcher!.sw.switchText(texts[i]!, base + i, undefined, side);
      await nextTurn();
    }
    return out;
  };
  // Epoch e's pool (queries then documents, switched afresh) and batches; null when stopped.
  const epochData = async (e: number): Promise<EpochData | null> => {
    const qTexts = plainQueries ? null : await switchAll(pairs.queries, e * n, 0);
    const dTexts = plainDocs ? null : await switchAll(pairs.corpus.texts, e * nd, 1);
    if ((!plainQueries && qTexts === null) || (!plainDocs && dTexts === null)) return null;
    const pool: Sequences = plainPool ?? concatSequences([plainQueries ?? (await tok(qTexts!)), plainDocs ?? (await tok(dTexts!))]);
    const perm = permutation(n, seed, e);
    const q = new Int32Array(stepsPerEpoch * batch);
    const d = new Int32Array(stepsPerEpoch * batch);
    const neg = negatives ? new Int32Array(stepsPerEpoch * batch) : null;
    for (let i = 0; i < q.length; i++) {
      const p = perm[i]!;
      q[i] = p;
      d[i] = n + pairs.positives[p]!;
      if (neg) neg[i] = n + negatives![p]!;
    }
    return { pool, queries: q, positives: d, negatives: neg };
  };
  let next = epoch < epochs ? epochData(epoch) : null;
  for (; epoch < epochs && !interrupted; epoch++) {
    const data = await next!;
    if (data === null) {
      interrupted = true;
      break;
    }
    // The next epoch is prepared while this one trains (see the module comment).
    next = epoch + 1 < epochs ? epochData(epoch + 1) : null;
    next?.catch(() => undefined); // a failure surfaces where it is awaited, never as an unhandled rejection
    const { pool, queries: q, positives: d, negatives: neg } = data;
    let sum = 0;
    let count = 0;
    let epochMs = 0;
    const epochStartStep = stepInEpoch;
    while (stepInEpoch < stepsPerEpoch) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      const steps = Math.min(chunkSteps, stepsPerEpoch - stepInEpoch);
      const a = stepInEpoch * batch;
      const b = a + steps * batch;
      const t0 = performance.now();
      const st = await trainer.train(pool, { queries: q.subarray(a, b), positives: d.subarray(a, b), negatives: neg?.subarray(a, b) ?? null, batch });
      const dt = performance.now() - t0;
      epochMs += dt;
      trainMs += dt;
      pairsTrained += steps * batch;
      let cl = 0;
      let ch = 0;
      let cc = 0;
      let ca = 0;
      for (let s = 0; s < steps; s++) {
        ch += st.loss[s]!;
        cc += st.cleanLoss[s]!;
        ca += st.advLoss[s]!;
        cl += st.epsAbs[s]!;
      }
      lastEps = st.epsAbs[steps - 1]!;
      lastNorm = st.meanNorm[steps - 1]!;
      sum += ch;
      count += steps;
      stepInEpoch += steps;
      opts.onProgress?.({
        epoch,
        epochs,
        step: stepInEpoch,
        stepsPerEpoch,
        loss: ch / steps,
        cleanLoss: cc / steps,
        advLoss: ca / steps,
        epsAbs: cl / steps,
        pairsPerSecond: ((stepInEpoch - epochStartStep) * batch) / (epochMs / 1000),
        elapsedMs: performance.now() - wallStart,
      });
    }
    if (interrupted) break;
    epochLoss.push(count === 0 ? NaN : sum / count);
    stepInEpoch = 0;
    if (checkpoint === 'epoch') trainer.saveCheckpoint(o.out, configFor(epoch + 1, 0));
  }
  // A prefetch still running when stopped ends at its next slice; settle it before returning.
  await next?.catch(() => null);
  if (interrupted && checkpoint === 'epoch') trainer.saveCheckpoint(o.out, configFor(epoch, stepInEpoch));
  return {
    model,
    tokenizer,
    tokenizerFile,
    out: o.out,
    interrupted,
    epochsDone: interrupted ? epoch : epochs,
    steps: trainer.step,
    epochLoss,
    trainSeconds: trainMs / 1000,
    wallSeconds: (performance.now() - wallStart) / 1000,
    pairsPerSecond: trainMs === 0 ? 0 : pairsTrained / (trainMs / 1000),
    epsAbs: lastEps,
    meanEmbeddingNorm: lastNorm,
    config: configFor(interrupted ? epoch : epochs, interrupted ? stepInEpoch : 0),
  };
}
