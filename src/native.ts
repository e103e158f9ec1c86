/**
 * The only module that loads the compiled addon (build/Release/xmrbench.node), and the typed
 * interface of its raw exports. Nothing here validates arguments: the wrappers (src/search/…) do,
 * and the addon keeps cheap guards of its own.
 *
 * The Release build is loaded by explicit path (never a Debug build that happens to be lying
 * around — dangerous for benchmarks), and its source fingerprint is compared with the sources in
 * native/: a missing or stale addon is an error that says what to run.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { XmrError } from './errors.js';
import type { IsaName } from './args.js';

/** Instruction-set paths of the kernels (the list is src/args.ts: ISA_NAMES). */
export type { IsaName };

/** A bf16 document matrix held in native memory (see src/search/topk.ts: toBf16). */
export interface NativeBf16Docs {
  readonly n: number;
  readonly dim: number;
  readonly bytes: number;
  /** Documents its storage holds (n, or more for a buffer made by capacity). */
  readonly capacity: number;
  row(j: number): Float32Array;
  /** Repacks in place from n×dim bf16 bit patterns, n ≤ capacity; refused while an async topk reads it. */
  reload(bits: Uint16Array, threads: number, norms: boolean): NativeBf16Docs;
}

/** Float32 documents packed for the f32 kernels, held in native memory (src/search/topk.ts: packF32). */
export interface NativeF32Docs {
  readonly n: number;
  readonly dim: number;
  readonly bytes: number;
  row(j: number): Float32Array;
}

export interface NativeTopKResult {
  ids: Int32Array;
  scores: Float32Array;
}

type DocsArg = Float32Array | NativeF32Docs | NativeBf16Docs;

/** Norms of the perturbation kernel (src/perturb/perturb.ts). */
export type PerturbNormName = 'linf' | 'l2';

/** The native BM25 inverted index (src/rankers/bm25.ts wraps it). */
export interface NativeBm25Index {
  add(terms: Uint32Array, offsets: Uint32Array): void;
  finish(vocab: number): void;
  searchSync(queryTerms: Uint32Array, queryOffsets: Uint32Array, k: number, k1: number, b: number, lengths: 'lucene' | 'exact', threads: number): NativeBm25Result;
  search(queryTerms: Uint32Array, queryOffsets: Uint32Array, k: number, k1: number, b: number, lengths: 'lucene' | 'exact', threads: number): Promise<NativeBm25Result>;
  docFreq(term: number): number;
  docLength(doc: number): number;
  readonly stats: NativeBm25Stats;
}

export interface NativeBm25Stats {
  docs: number;
  docCount: number;
  sumTotalTermFreq: number;
  avgdl: number;
  vocab: number;
  postings: number;
  bytes: number;
  finished: boolean;
}

export interface NativeBm25Result {
  ids: Int32Array;
  scores: Float32Array;
  /** Per-query evaluation time in nanoseconds. */
  nanos: Float64Array;
}

/** A normalizer of the native tokenizer (src/tokenize/spec.ts derives these from tokenizer.json). */
export type NativeNormalizerSpec =
  | { type: 'bert'; cleanText: boolean; handleChineseChars: boolean; stripAccents: boolean; lowercase: boolean }
  | { type: 'nfc' | 'nfd' | 'nfkc' | 'nfkd' | 'lowercase' | 'stripAccents' }
  | { type: 'replace'; pattern: string; content: string }
  | { type: 'strip'; left: boolean; right: boolean }
  | { type: 'prepend'; prepend: string }
  | { type: 'replaceWhitespace' | 'replaceSpaces'; content: string }
  | { type: 'precompiled'; charsmap: Uint8Array };

export type NativePreTokenizerSpec =
  | { type: 'bert' | 'whitespace' | 'whitespaceSplit' }
  | { type: 'metaspace'; replacement: number; prependScheme: 'always' | 'never' | 'first'; split: boolean }
  | { type: 'punctuation'; behavior: 'removed' | 'isolated' | 'merged_with_previous' | 'merged_with_next' | 'contiguous' }
  | { type: 'digits'; individualDigits: boolean }
  | { type: 'byteLevel'; addPrefixSpace: boolean; useRegex: boolean }
  | {
      type: 'split';
      pattern: 'literal' | 'gpt2' | 'clip' | 'clipWithSpecials' | 'llama3' | 'qwen2';
      literal: string;
      behavior: 'removed' | 'isolated' | 'merged_with_previous' | 'merged_with_next' | 'contiguous';
      invert: boolean;
    };

export interface NativeTokenizerSpec {
  normalizers: NativeNormalizerSpec[];
  preTokenizers: NativePreTokenizerSpec[];
  model:
    | { type: 'wordpiece'; vocab: string[]; unkId: number; continuingSubwordPrefix: string; maxInputCharsPerWord: number }
    | { type: 'unigram'; vocab: string[]; scores: Float64Array; unkId: number; byteFallback: boolean }
    | {
        type: 'bpe';
        /** Index = id; '' where the tokenizer.json skips an id. */
        vocab: string[];
        /** Pairs flattened: first, second, first, second, … in rank order. */
        merges: string[];
        unkId: number;
        continuingSubwordPrefix: string;
        endOfWordSuffix: string;
        fuseUnk: boolean;
        byteFallback: boolean;
        ignoreMerges: boolean;
      };
  /** normalized: matched in the normalized text (its content normalized too), else in the raw text. */
  addedTokens: { id: number; content: string; lstrip: boolean; rstrip: boolean; normalized?: boolean }[];
  post: { prefix: number[]; prefixTypes: number[]; suffix: number[]; suffixTypes: number[]; sequenceType: number; trimOffsets?: boolean; addPrefixSpace?: boolean };
}

export interface NativeEncodeOptions {
  maxLength: number; // 0: no truncation
  truncationSide: 'left' | 'right';
  padding: 'none' | 'longest' | 'max_length';
  paddingSide: 'left' | 'right';
  padId: number;
  padTypeId: number;
  addSpecialTokens: boolean;
  offsets: boolean;
  typeIds: boolean;
  int64: boolean;
  threads: number;
}

export interface NativeBatchEncoding {
  rows: number;
  cols: number;
  ids: Int32Array | BigInt64Array;
  attentionMask: Uint8Array | BigInt64Array;
  typeIds?: Uint8Array | BigInt64Array;
  offsets?: Uint32Array;
  lengths: Uint32Array;
}

export interface NativeTokenizer {
  readonly vocabSize: number;
  encodeBatchSync(texts: string[], options: NativeEncodeOptions): NativeBatchEncoding;
  encodeBatch(texts: string[], options: NativeEncodeOptions): Promise<NativeBatchEncoding>;
  encode(text: string, addSpecialTokens: boolean): { ids: Int32Array; offsets: Uint32Array };
  idToToken(id: number): string;
  normalize(text: string): string;
  preTokenize(text: string): [string, number, number][];
}

/** The native dual encoder (src/encoders/dual-encoder-model.ts wraps it). */
export interface NativeDualEncoder {
  readonly vocab: number;
  readonly dim: number;
  readonly outDim: number;
  /** Rows of the projection W (0 without one). */
  readonly projectionRows: number;
  encodeSync(ids: Int32Array, offsets: Uint32Array, threads: number, isa: IsaName | 'auto'): Float32Array;
  encode(ids: Int32Array, offsets: Uint32Array, threads: number, isa: IsaName | 'auto'): Promise<Float32Array>;
  /** Tokenize and encode in one native pass (native/include/xmr/encode_texts.h). */
  encodeTexts(tokenizer: NativeTokenizer, texts: string[], options: NativeEncodeOptions, isa: IsaName | 'auto'): Promise<Float32Array>;
  embeddings(): Float32Array;
  projection(): Float32Array | null;
  checkpoint(tau: number, step: number, config: string): Uint8Array;
}

export interface NativeDualEncoderCheckpoint {
  model: NativeDualEncoder;
  tau: number;
  step: number;
  config: string;
  hasOptimizer: boolean;
}

/** Trainer settings as the native side reads them (src/train/trainer.ts validates them). */
export interface NativeTrainerConfig {
  tau: number;
  symmetric: boolean;
  lr: number;
  beta1: number;
  beta2: number;
  adamEps: number;
  weightDecay: number;
  adv: 'none' | 'fgsm' | 'l2' | 'pgd';
  eps: number;
  epsRelative: boolean;
  lambda: number;
  pgdSteps: number;
  pgdAlpha: number;
  pgdNorm: PerturbNormName;
  freelb: boolean;
  advQueries: boolean;
  advDocs: boolean;
  seed: number;
  threads: number;
  isa: IsaName | 'auto';
}

export interface NativeDualEncoderTrainer {
  readonly step: number;
  /** Steps = queries.length / batch; returns steps × 5 floats: loss, cleanLoss, advLoss, epsAbs, meanNorm. */
  trainSync(ids: Int32Array, offsets: Uint32Array, queries: Int32Array, positives: Int32Array, negatives: Int32Array | null, batch: number): Float32Array;
  train(ids: Int32Array, offsets: Uint32Array, queries: Int32Array, positives: Int32Array, negatives: Int32Array | null, batch: number): Promise<Float32Array>;
  checkpoint(config: string): Uint8Array;
  setImageTower(tower: NativeImageTower, checkpoint?: Uint8Array | null): void;
  /** Caption–image steps (captions.length / batch); pixels (trains the image tower) or fixed embeddings (LiT). */
  trainImagesSync(ids: Int32Array, offsets: Uint32Array, pixels: Float32Array | null, embeddings: Float32Array | null, captions: Int32Array, images: Int32Array, batch: number): Float32Array;
  trainImages(ids: Int32Array, offsets: Uint32Array, pixels: Float32Array | null, embeddings: Float32Array | null, captions: Int32Array, images: Int32Array, batch: number): Promise<Float32Array>;
  imageCheckpoint(config: string): Uint8Array;
}

export interface NativeImageTowerShape {
  height: number;
  width: number;
  patch: number;
  hidden: number;
  outDim: number;
}

/** The native image tower (src/encoders/image-tower-model.ts wraps it). */
export interface NativeImageTower {
  readonly shape: NativeImageTowerShape;
  readonly paramCount: number;
  encodeSync(pixels: Float32Array, threads: number, isa: IsaName | 'auto'): Float32Array;
  encode(pixels: Float32Array, threads: number, isa: IsaName | 'auto'): Promise<Float32Array>;
  params(): Float32Array;
  checkpoint(step: number, config: string): Uint8Array;
}

/** Skip-gram parameters as the native trainer reads them (src/wordvec/skipgram.ts validates them). */
export interface NativeSkipgramParams {
  dim: number;
  window: number;
  negative: number;
  sample: number;
  lr: number;
  epochs: number;
  threads: number;
  /** Tokens per thread per round of the deterministic multi-threaded scheme. */
  roundWords: number;
  seed: number;
  isa: IsaName | 'auto';
}

/** A run read natively (native/include/xmr/trec_run.h): grouped by query, each query in trec_eval's order. */
export interface NativeRunColumns {
  /** Query ids laid end to end, in order of first appearance; query q ends at qidEnds[q]. */
  qidBytes: Uint8Array;
  qidEnds: Int32Array;
  offsets: Int32Array;
  scores: Float64Array;
  /** Row i's docno is bytes[start[i], start[i] + len[i]), with interner.ts's hash. */
  start: Uint32Array;
  len: Int32Array;
  hash: Int32Array;
  bytes: Uint8Array;
}

/** What was wrong with a run: the first malformed line, else the first duplicate, else no rows (src/data/trec/read.ts words it). */
export interface NativeRunError {
  kind: 'fields' | 'rank' | 'score' | 'duplicate' | 'empty' | 'io';
  line: number;
  fields: number;
  token: Uint8Array;
  qid: Uint8Array;
  docno: Uint8Array;
  firstLine: number;
  message: string;
}

export type NativeRunResult = NativeRunColumns | { error: NativeRunError };

export interface NativeBinding {
  readonly sourceFingerprint: string;
  /** The most capable path this CPU supports. */
  readonly isa: IsaName;
  /** Whether the avx512-bf16 path's bf16 top-k (and bf16 FMA probe) runs on AMX tiles. */
  readonly amx: boolean;
  Bf16Docs: {
    new (docs: Float32Array | Uint16Array, dim: number, threads: number): NativeBf16Docs;
    /** An empty buffer (n = 0) for `capacity` documents, filled by reload. */
    new (capacity: number, dim: number): NativeBf16Docs;
  };
  F32Docs: new (docs: Float32Array, dim: number, threads: number, isa: IsaName | 'auto') => NativeF32Docs;
  topkSync(queries: Float32Array, docs: DocsArg, dim: number, k: number, metric: 'ip' | 'cosine', threads: number, isa: IsaName | 'auto'): NativeTopKResult;
  topk(queries: Float32Array, docs: DocsArg, dim: number, k: number, metric: 'ip' | 'cosine', threads: number, isa: IsaName | 'auto'): Promise<NativeTopKResult>;
  perturbSync(embeddings: Float32Array | null, gradients: Float32Array, out: Float32Array, eps: number, norm: PerturbNormName, groupSize: number, rowSize: number, mask: Uint8Array | null, threads: number, isa: IsaName | 'auto'): Float32Array;
  projectSync(delta: Float32Array, out: Float32Array, eps: number, norm: PerturbNormName, groupSize: number, rowSize: number, mask: Uint8Array | null, threads: number, isa: IsaName | 'auto'): Float32Array;
  copyFloatsSync(src: Float32Array, dst: Float32Array, threads: number): Float32Array;
  Bm25Index: new () => NativeBm25Index;
  /** The tokenizer (src/tokenize/tokenizer.ts). */
  Tokenizer: new (spec: NativeTokenizerSpec) => NativeTokenizer;
  /** The dual encoder and its trainer (src/train/). */
  DualEncoder: {
    new (vocab: number, dim: number, outDim: number, seed: number, initStd: number): NativeDualEncoder;
    fromCheckpoint(bytes: Uint8Array): NativeDualEncoderCheckpoint;
  };
  DualEncoderTrainer: new (model: NativeDualEncoder, config: NativeTrainerConfig, checkpoint?: Uint8Array | null) => NativeDualEncoderTrainer;
  /** Machine probes of `xmrbench profile` (src/bench/profile/probes.ts). */
  profileFmaSync(kind: 'f32' | 'bf16', iterations: number, threads: number, isa: IsaName | 'auto'): { flops: number; seconds: number };
  profileStreamSync(kind: 'copy' | 'triad', n: number, repeats: number, threads: number, isa: IsaName | 'auto'): { bytes: number; seconds: Float64Array };
  /** The image tower (src/encoders/image-tower-model.ts). */
  ImageTower: {
    new (height: number, width: number, patch: number, hidden: number, outDim: number, seed: number): NativeImageTower;
    fromCheckpoint(bytes: Uint8Array): { model: NativeImageTower; step: number; config: string; hasOptimizer: boolean };
  };
  /** One epoch of skip-gram with negative sampling, in place on both vocab × dim matrices (src/wordvec/skipgram.ts). */
  skipgramTrainEpoch(ids: Uint32Array, offsets: Uint32Array, counts: Float64Array, inVectors: Float32Array, outVectors: Float32Array, params: NativeSkipgramParams, epoch: number): Promise<{ effectiveWords: number; pairs: number }>;
  /** Reads bytes [from, to) of a plain TREC run file (from: a line start) from an open descriptor, cut into `parts` ranges parsed on as many threads. */
  readRunFile(fd: number, from: number, to: number, parts: number): Promise<NativeRunResult>;
  /** Frees a readRunFile result's columns now (their ArrayBuffers are detached): for a caller done with them. */
  releaseRunColumns(result: NativeRunResult): void;
  /** Parses a run handed over as regions of whole lines, in order (gzip streams, text). */
  TrecRunParser: new () => { parse(region: Uint8Array): boolean; finish(): NativeRunResult };
  /** One step of the skip-gram kernel on context row v and target rows u (positive first), in place; the loss before it. */
  skipgramStepSync(v: Float32Array, u: Float32Array, alpha: number, isa: IsaName | 'auto'): number;
  /** The whole file mapped read-only (src/store/embedding-store.ts), read in at once with `populate`; unmapped when the buffer is collected. Never write to it. */
  mapFileSync(path: string, populate: boolean): ArrayBuffer;
  /** Starts reading a mapped file into the page cache (MADV_WILLNEED) and returns at once. */
  prefetchSync(map: ArrayBuffer): void;
}

/** The package folder (this file is dist/src/native.js once compiled). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const require = createRequire(import.meta.url);

/**
 * Loads `root`/build/Release/xmrbench.node and checks it against `root`/native. Exported for the
 * loader's own tests; everything else calls {@link native}.
 */
export function loadAddon(root: string): NativeBinding {
  const addonPath = path.join(root, 'build', 'Release', 'xmrbench.node');
  if (!existsSync(addonPath)) {
    throw new XmrError(
      'E_NATIVE',
      `the native addon ${addonPath} is missing. Build it with \`npm run build\` in ${root} (needs cmake ≥ 3.16 and a C++17 compiler), or reinstall with \`npm ci\`.`,
    );
  }
  const binding = require(addonPath) as NativeBinding;
  const sources = path.join(root, 'native', 'sources.cjs');
  if (existsSync(sources)) {
    // Cached beside the addon under the sources' sizes and mtimes (sources.cjs fingerprintCached).
    const expected = (require(sources) as { fingerprintCached(cacheFile: string): string }).fingerprintCached(`${addonPath}.fingerprint.json`);
    if (binding.sourceFingerprint !== expected) {
      throw new XmrError(
        'E_NATIVE',
        `the native addon ${addonPath} is stale: it was built from other sources than those in native/ now. Rebuild it with \`npm run build\` in ${root}.`,
      );
    }
  }
  return binding;
}

let cached: NativeBinding | undefined;

/** The addon, loaded and checked on first use (so importing the package never fails by itself). */
export function native(): NativeBinding {
  cached ??= loadAddon(packageRoot);
  return cached;
}
