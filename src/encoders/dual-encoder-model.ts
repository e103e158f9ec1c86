/**
 * The dual encoder: a bag-of-subwords sentence encoder shared by queries and documents (Siamese),
 * computed natively (native/src/encoder/dual_encoder.cc):
 *
 *   m(x) = (1/|x|)·Σ_t E[x_t]   mean of the token embeddings (no padding: sequences are ragged)
 *   u(x) = W·m(x)               optional linear projection (W: outDim × dim)
 *   e(x) = u/‖u‖₂               L2-normalised; an empty sequence encodes to the zero vector
 *
 * Scores are cosines e(q)·e(d) (training divides them by a temperature τ, which does not change a
 * ranking). Token ids come from a tokenizer (src/tokenize): the model itself never sees text.
 *
 * Files: a checkpoint (`.xde`, the binary format of native/include/xmr/checkpoint.h: magic
 * "XMRDE\0", version, shapes, τ, step, a JSON config, float32 weights, optional Adam moments,
 * CRC-32) and an export directory for other runtimes ({@link exportDualEncoder}).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../errors.js';
import { readNativeCheckpoint } from './checkpoint-file.js';
import { writeFileAtomic } from '../atomic-write.js';
import { native, type IsaName, type NativeDualEncoder } from '../native.js';
import { checkSeed, describe, isaChoice, nonNegativeInteger, positiveInteger } from '../args.js';
import { Tokenizer, checkTexts } from '../tokenize/tokenizer.js';

/** Ragged token-id sequences: sequence i is ids[offsets[i] … offsets[i+1]). */
export interface Sequences {
  ids: Int32Array;
  offsets: Uint32Array;
}

export interface DualEncoderShape {
  /** Vocabulary size V (rows of E). */
  vocabSize: number;
  /** Embedding dimension d. */
  dim: number;
  /** Rows of the projection W (its output dimension); 0 or absent = no projection. */
  outDim?: number;
  /** Seed of the initialisation: E ~ N(0, initStd²), W = I when square, else N(0, 1/d). Default 0. */
  seed?: number;
  /** Default 0.1. */
  initStd?: number;
}

export interface EncodeOptions {
  /** Threads (≥ 1); default 1. */
  threads?: number;
  isa?: IsaName | 'auto';
}

/** Checks a Sequences value against a vocabulary size; returns the number of sequences. */
export function checkSequences(seqs: unknown, vocabSize: number, name = 'sequences'): number {
  if (seqs === null || typeof seqs !== 'object') throw new TypeError(`${name} must be {ids: Int32Array, offsets: Uint32Array}`);
  const { ids, offsets } = seqs as Sequences;
  if (!(ids instanceof Int32Array)) throw new TypeError(`${name}.ids must be an Int32Array, got ${describe(ids)}`);
  if (!(offsets instanceof Uint32Array)) throw new TypeError(`${name}.offsets must be a Uint32Array, got ${describe(offsets)}`);
  if (offsets.length === 0) throw new RangeError(`${name}.offsets must have at least one entry (count + 1)`);
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i]! < offsets[i - 1]!) throw new RangeError(`${name}.offsets must not decrease: offsets[${i}] = ${offsets[i]} < offsets[${i - 1}] = ${offsets[i - 1]}`);
  }
  const end = offsets[offsets.length - 1]!;
  if (end > ids.length) throw new RangeError(`${name}.offsets[${offsets.length - 1}] = ${end} is past the end of ids (length ${ids.length})`);
  for (let t = offsets[0]!; t < end; t++) {
    const id = ids[t]!;
    if (id < 0 || id >= vocabSize) throw new RangeError(`${name}.ids[${t}] = ${id} is outside the vocabulary [0, ${vocabSize})`);
  }
  return offsets.length - 1;
}

/**
 * Ragged sequences from a tokenizer batch (src/tokenize: `encodeBatch` with padding off gives the
 * rows one after another and their lengths; a padded batch is compacted using its attention mask).
 */
export function sequencesFromBatch(batch: { rows: number; cols: number; ids: Int32Array | BigInt64Array; attentionMask: Uint8Array | BigInt64Array; lengths: Uint32Array }): Sequences {
  if (!(batch.ids instanceof Int32Array)) throw new TypeError('the batch ids must be an Int32Array (encode without int64)');
  const offsets = new Uint32Array(batch.rows + 1);
  for (let i = 0; i < batch.rows; i++) offsets[i + 1] = offsets[i]! + batch.lengths[i]!;
  if (batch.cols === 0) return { ids: batch.ids, offsets };
  const ids = new Int32Array(offsets[batch.rows]!);
  let at = 0;
  for (let r = 0; r < batch.rows; r++) {
    for (let c = 0; c < batch.cols; c++) if (Number(batch.attentionMask[r * batch.cols + c]) !== 0) ids[at++] = batch.ids[r * batch.cols + c]!;
  }
  return { ids, offsets };
}

/** Concatenates several sequence sets into one pool (the order of the arguments). */
export function concatSequences(parts: readonly Sequences[]): Sequences {
  let tokens = 0;
  let count = 0;
  for (const p of parts) {
    tokens += p.offsets[p.offsets.length - 1]! - p.offsets[0]!;
    count += p.offsets.length - 1;
  }
  const ids = new Int32Array(tokens);
  const offsets = new Uint32Array(count + 1);
  let t = 0;
  let s = 0;
  for (const p of parts) {
    const base = p.offsets[0]!;
    const n = p.offsets.length - 1;
    ids.set(p.ids.subarray(base, p.offsets[n]!), t);
    for (let i = 1; i <= n; i++) offsets[s + i] = t + p.offsets[i]! - base;
    t += p.offsets[n]! - base;
    s += n;
  }
  return { ids, offsets };
}

export class DualEncoder {
  /** @internal */
  readonly handle: NativeDualEncoder;

  /** @internal */
  constructor(handle: NativeDualEncoder) {
    this.handle = handle;
  }

  /** A freshly initialised model. */
  static create(shape: DualEncoderShape): DualEncoder {
    if (shape === null || typeof shape !== 'object') throw new TypeError('shape must be an object with vocabSize and dim');
    const vocab = positiveInteger(shape.vocabSize, 'vocabSize');
    const dim = positiveInteger(shape.dim, 'dim');
    const outDim = shape.outDim === undefined ? 0 : nonNegativeInteger(shape.outDim, 'outDim');
    const seed = shape.seed === undefined ? 0 : checkSeed(shape.seed);
    const initStd = shape.initStd ?? 0.1;
    if (typeof initStd !== 'number') throw new TypeError(`initStd must be a number, got ${typeof initStd}`);
    if (!(initStd > 0) || !Number.isFinite(initStd)) throw new RangeError(`initStd must be a finite number > 0, got ${initStd}`);
    return new DualEncoder(new (native().DualEncoder)(vocab, dim, outDim, seed, initStd));
  }

  get vocabSize(): number {
    return this.handle.vocab;
  }
  get dim(): number {
    return this.handle.dim;
  }
  /** Coordinates of an encoding (outDim with a projection, else dim). */
  get outDim(): number {
    return this.handle.outDim;
  }
  get hasProjection(): boolean {
    return this.handle.projectionRows !== 0;
  }

  private check(seqs: Sequences, options: EncodeOptions): { threads: number; isa: IsaName | 'auto' } {
    checkSequences(seqs, this.vocabSize);
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
    const isa = isaChoice(options.isa ?? 'auto');
    return { threads, isa };
  }

  /** Encodes sequences on worker threads: count × outDim, row-major, each row of norm 1 (or 0). */
  encode(seqs: Sequences, options: EncodeOptions = {}): Promise<Float32Array> {
    try {
      const c = this.check(seqs, options);
      return this.handle.encode(seqs.ids, seqs.offsets, c.threads, c.isa);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Texts to embeddings in one native call: the texts are tokenized without special tokens (as
   * tokenizeTexts does, truncated to `maxLength`), then encoded, without the ids going through
   * JavaScript (native/include/xmr/encode_texts.h). Equal, bit for bit and for any thread
   * count, to `encode(await tokenizeTexts(tokenizer, texts, { maxLength, threads }))`.
   */
  encodeTexts(tokenizer: Tokenizer, texts: string[], options: EncodeOptions & { maxLength: number }): Promise<Float32Array> {
    try {
      if (!(tokenizer instanceof Tokenizer)) throw new TypeError(`tokenizer must be a Tokenizer, got ${describe(tokenizer)}`);
      if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
      const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
      const native = tokenizer.nativeOptions({ addSpecialTokens: false, padding: false, maxLength: positiveInteger(options.maxLength, 'maxLength'), threads });
      return this.handle.encodeTexts(tokenizer.handle, checkTexts(texts), native, isaChoice(options.isa ?? 'auto'));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** {@link encode} on the calling thread. */
  encodeSync(seqs: Sequences, options: EncodeOptions = {}): Float32Array {
    const c = this.check(seqs, options);
    return this.handle.encodeSync(seqs.ids, seqs.offsets, c.threads, c.isa);
  }

  /** A copy of E (vocabSize × dim, row-major). */
  embeddings(): Float32Array {
    return this.handle.embeddings();
  }

  /** A copy of W (outDim × dim, row-major), or null without a projection. */
  projection(): Float32Array | null {
    return this.handle.projection();
  }
}

/** What a checkpoint file holds besides the weights. */
export interface CheckpointInfo {
  tau: number;
  /** Optimiser steps taken. */
  step: number;
  /** The JSON config stored with it (training settings, progress, tokenizer). */
  config: Record<string, unknown>;
  hasOptimizer: boolean;
}

/** Reads a checkpoint file; a missing, truncated, foreign or corrupted file is an XmrError naming it. */
export function readCheckpointFile(file: string): { model: DualEncoder; info: CheckpointInfo; bytes: Uint8Array } {
  const { parsed, config, bytes } = readNativeCheckpoint(file, (b) => native().DualEncoder.fromCheckpoint(b));
  return { model: new DualEncoder(parsed.model), info: { tau: parsed.tau, step: parsed.step, config, hasOptimizer: parsed.hasOptimizer }, bytes };
}

/** Loads a trained model from a checkpoint file (see {@link readCheckpointFile}). */
export function loadDualEncoder(file: string): { model: DualEncoder; info: CheckpointInfo } {
  const { model, info } = readCheckpointFile(file);
  return { model, info };
}

/** Saves the weights alone (no optimiser state) as a checkpoint file. */
export function saveDualEncoder(model: DualEncoder, file: string, info: { tau: number; step?: number; config?: Record<string, unknown> }): void {
  writeFileAtomic(file, model.handle.checkpoint(info.tau, info.step ?? 0, JSON.stringify(info.config ?? {})));
}

/** The export format's name and version, in manifest.json. */
export const EXPORT_FORMAT = 'xmrbench-dual-encoder';
export const EXPORT_VERSION = 1;

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** What the graph computes, in words and as a formula. */
  computation: string;
  vocabSize: number;
  dim: number;
  outDim: number;
  pooling: 'mean';
  normalize: 'l2';
  similarity: 'dot';
  temperature: number;
  tensors: Record<string, { file: string; shape: number[]; dtype: 'float32'; byteOrder: 'little'; layout: 'row-major'; sha256: string }>;
  tokenizer: { file: string; sha256: string } | null;
  config: Record<string, unknown>;
}

/**
 * Exports a model for other runtimes (the ONNX graph builder reads this): a directory with
 *   embeddings.bin   E, vocabSize × dim float32, little-endian, row-major
 *   projection.bin   W, outDim × dim (present only with a projection; u = W·m)
 *   tokenizer.json   a copy of the tokenizer file, when one is given
 *   manifest.json    {@link ExportManifest}: shapes, files and their SHA-256, pooling and normalisation
 * The graph: ids (batch × len, int64) and attention_mask → gather E → masked mean over len
 * (Σ mask·E[ids] / max(Σ mask, 1)) → MatMul with Wᵀ (if present) → divide by max(‖·‖₂, 1e-12).
 */
export function exportDualEncoder(model: DualEncoder, dir: string, options: { tau?: number; tokenizerFile?: string; config?: Record<string, unknown> } = {}): ExportManifest {
  mkdirSync(dir, { recursive: true });
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  const tensors: ExportManifest['tensors'] = {};
  const put = (name: string, file: string, data: Float32Array, shape: number[]) => {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    writeFileAtomic(path.join(dir, file), bytes);
    tensors[name] = { file, shape, dtype: 'float32', byteOrder: 'little', layout: 'row-major', sha256: sha(bytes) };
  };
  put('embeddings', 'embeddings.bin', model.embeddings(), [model.vocabSize, model.dim]);
  const W = model.projection();
  if (W !== null) put('projection', 'projection.bin', W, [model.outDim, model.dim]);
  let tokenizer: ExportManifest['tokenizer'] = null;
  if (options.tokenizerFile !== undefined) {
    if (!existsSync(options.tokenizerFile)) throw new XmrError('E_MISSING', 'no such tokenizer file', { file: options.tokenizerFile });
    const bytes = readFileSync(options.tokenizerFile);
    const name = path.basename(options.tokenizerFile);
    writeFileAtomic(path.join(dir, name), bytes);
    tokenizer = { file: name, sha256: sha(bytes) };
  }
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    computation:
      'e = normalize(W · mean_{t: mask_t = 1} E[ids_t]); mean over the real tokens (an empty sequence gives 0), W omitted when absent, normalize(u) = u / ‖u‖₂ (0 stays 0); score = e(q)·e(d)',
    vocabSize: model.vocabSize,
    dim: model.dim,
    outDim: model.outDim,
    pooling: 'mean',
    normalize: 'l2',
    similarity: 'dot',
    temperature: options.tau ?? 1,
    tensors,
    tokenizer,
    config: options.config ?? {},
  };
  writeFileAtomic(path.join(dir, 'manifest.json'), new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
  return manifest;
}
