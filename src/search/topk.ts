/**
 * Exact top-k search over dense vectors — the kernel under every dense ranker, CSLS lexicon
 * induction and image–text retrieval.
 *
 * Order of results (what tests and callers may rely on):
 * - score descending; equal scores by the lower document index; NaN scores after every number;
 * - when k > n, each row ends with k − n slots of id −1 and score −Infinity.
 * Scores: `ip` = q·d; `cosine` = q·d / (‖q‖‖d‖), and 0 when either vector is zero.
 * Sums are float32 in a blocked order, so scores can differ from a float64 sum in the last bits.
 *
 * bf16 documents ({@link toBf16}): half the memory; each coordinate is rounded to bf16 (8
 * significant bits, relative error ≤ 2⁻⁹). On the `avx512-bf16` path the queries are rounded to
 * bf16 too (VDPBF16PS — or AMX's TDPBF16PS where `native().amx` — multiplies bf16 pairs exactly
 * and accumulates in float32); on the other paths queries stay float32. Either way, a score
 * differs from the float32 score by at most about 2⁻⁸·Σ|qᵢdᵢ|, and rankings agree wherever scores
 * are further apart than that.
 */
import { native, type IsaName, type NativeBf16Docs, type NativeF32Docs, type NativeTopKResult } from '../native.js';
import { booleanArg, describe, float32, isaChoice, positiveInteger } from '../args.js';

export type Metric = 'ip' | 'cosine';

export interface TopKOptions {
  /** Coordinates per vector. */
  dim: number;
  /** Results per query (≥ 1). */
  k: number;
  /** Default 'ip'. */
  metric?: Metric;
  /** Threads for this call (≥ 1); default 1. */
  threads?: number;
  /** Instruction-set path; default 'auto' (the best this CPU has). */
  isa?: IsaName | 'auto';
}

/** m×k row-major results, best first. */
export type TopKResult = NativeTopKResult;

/** What topK's native document stores share: a handle to packed documents in native memory. */
abstract class PackedDocs<Handle extends NativeF32Docs | NativeBf16Docs> {
  /** @internal */
  readonly handle: Handle;
  /** @internal */
  constructor(handle: Handle) {
    this.handle = handle;
  }
  /** Number of documents. */
  get n(): number {
    return this.handle.n;
  }
  get dim(): number {
    return this.handle.dim;
  }
  /** Native memory held (packed documents and norms). */
  get bytes(): number {
    return this.handle.bytes;
  }
  /** Document j as stored. */
  row(j: number): Float32Array {
    return this.handle.row(j);
  }
}

/**
 * Float32 documents packed once for {@link topK}'s kernels: create with {@link packF32}. A call on
 * raw documents packs every tile it scores, on every thread (about 6% of a 100k × 384, 1,000-query
 * search; most of a search with a few queries); searching the same documents again and again, pack
 * them once. Results are those of the raw documents, bit for bit. Memory: about the documents' own
 * size (the raw array may be dropped).
 */
export class F32Docs extends PackedDocs<NativeF32Docs> {}

/**
 * Documents stored as bf16 for {@link topK} (each coordinate rounded to bf16, which `row` gives):
 * create with {@link toBf16}.
 */
export class Bf16Docs extends PackedDocs<NativeBf16Docs> {
  /** Documents the native storage holds: n, or more for a buffer from {@link bf16Buffer}. */
  get capacity(): number {
    return this.handle.capacity;
  }
  /**
   * Replaces the documents in place with the rows of `bits` (bf16 bit patterns, as toBf16 of a
   * Uint16Array takes them; at most `capacity` rows), packed as toBf16 packs them, in the storage
   * already held: no allocation (an embedding store's shards go through one buffer). `norms: false`
   * skips the norms, which only cosine reads (about three quarters of the packing time); a cosine
   * topK on such documents is refused. Refused (an Error) while a {@link topK} on these documents
   * has not settled: it reads them on a worker thread.
   */
  reload(bits: Uint16Array, options: { threads?: number; norms?: boolean } = {}): this {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
    const norms = options.norms === undefined ? true : booleanArg(options.norms, 'norms');
    if (!(bits instanceof Uint16Array)) throw new TypeError(`bits must be a Uint16Array of bf16 bit patterns, got ${describe(bits)}`);
    if (rowsOf(bits, this.dim, 'bits') > this.capacity) throw new RangeError(`bits hold ${bits.length / this.dim} rows, more than the buffer's capacity of ${this.capacity}`);
    this.handle.reload(bits, threads, norms);
    return this;
  }
}

const METRICS: readonly Metric[] = ['ip', 'cosine'];
function rowsOf(array: Float32Array | Uint16Array, dim: number, name: string): number {
  if (array.length % dim !== 0) throw new RangeError(`${name}.length (${array.length}) is not a multiple of dim (${dim})`);
  return array.length / dim;
}

interface Checked {
  queries: Float32Array;
  docs: Float32Array | NativeF32Docs | NativeBf16Docs;
  dim: number;
  k: number;
  metric: Metric;
  threads: number;
  isa: IsaName | 'auto';
}

function check(queries: unknown, docs: unknown, options: TopKOptions | undefined): Checked {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with dim and k');
  const dim = positiveInteger(options.dim, 'dim');
  const k = positiveInteger(options.k, 'k');
  const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  const metric = options.metric ?? 'ip';
  if (!METRICS.includes(metric)) throw new TypeError(`metric must be 'ip' or 'cosine', got ${String(metric)}`);
  const isa = isaChoice(options.isa ?? 'auto');
  const q = float32(queries, 'queries');
  rowsOf(q, dim, 'queries');
  let d: Float32Array | NativeF32Docs | NativeBf16Docs;
  if (docs instanceof PackedDocs) {
    if (docs.dim !== dim) throw new RangeError(`dim (${dim}) does not match the ${docs instanceof Bf16Docs ? 'bf16' : 'packed'} documents' dim (${docs.dim})`);
    d = docs.handle;
  } else {
    d = float32(docs, 'docs');
    rowsOf(d, dim, 'docs');
  }
  return { queries: q, docs: d, dim, k, metric, threads, isa };
}

/**
 * The k best documents for each query, computed on a worker thread (the event loop stays free).
 * `queries` (m×dim) and `docs` (n×dim) are row-major Float32Arrays (views with a byteOffset are
 * fine; documents are never copied) or `docs` is an {@link F32Docs} or a {@link Bf16Docs}. Do not modify the arrays
 * until the promise settles.
 */
export function topK(queries: Float32Array, docs: Float32Array | F32Docs | Bf16Docs, options: TopKOptions): Promise<TopKResult> {
  try {
    const c = check(queries, docs, options);
    return native().topk(c.queries, c.docs, c.dim, c.k, c.metric, c.threads, c.isa);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** {@link topK} on the calling thread: the same contract, for microbenchmarks and scripts. */
export function topKSync(queries: Float32Array, docs: Float32Array | F32Docs | Bf16Docs, options: TopKOptions): TopKResult {
  const c = check(queries, docs, options);
  return native().topkSync(c.queries, c.docs, c.dim, c.k, c.metric, c.threads, c.isa);
}

/**
 * Packs n×dim float32 documents once for {@link topK} (see {@link F32Docs}), in the layout of the
 * kernel of `isa` (default 'auto': the path topK's own default takes); a search on another path
 * repacks each tile, as for raw documents.
 */
export function packF32(docs: Float32Array, options: { dim: number; threads?: number; isa?: IsaName | 'auto' }): F32Docs {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with dim');
  const dim = positiveInteger(options.dim, 'dim');
  const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  const isa = isaChoice(options.isa ?? 'auto');
  const d = float32(docs, 'docs');
  rowsOf(d, dim, 'docs');
  return new F32Docs(new (native().F32Docs)(d, dim, threads, isa));
}

/**
 * Packs n×dim documents into native bf16 storage (half the memory): float32 values are rounded to
 * nearest even; a Uint16Array is taken as bf16 bit patterns already rounded (an embedding store's
 * bf16 shard) and kept as they are.
 */
export function toBf16(docs: Float32Array | Uint16Array, options: { dim: number; threads?: number }): Bf16Docs {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with dim');
  const dim = positiveInteger(options.dim, 'dim');
  const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  if (!(docs instanceof Float32Array || docs instanceof Uint16Array)) throw new TypeError(`docs must be a Float32Array or a Uint16Array of bf16 bit patterns, got ${describe(docs)}`);
  rowsOf(docs, dim, 'docs');
  return new Bf16Docs(new (native().Bf16Docs)(docs, dim, threads));
}

/**
 * An empty {@link Bf16Docs} (n = 0) with native storage for `capacity` documents of `dim`
 * coordinates, allocated once and filled — again and again — by {@link Bf16Docs.reload}.
 */
export function bf16Buffer(capacity: number, options: { dim: number }): Bf16Docs {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with dim');
  const dim = positiveInteger(options.dim, 'dim');
  return new Bf16Docs(new (native().Bf16Docs)(positiveInteger(capacity, 'capacity'), dim));
}

/** The instruction-set path `isa: 'auto'` uses on this CPU. */
export function isaPath(): IsaName {
  return native().isa;
}
