/**
 * An on-disk embedding store for corpora larger than memory (issue 18), searched exactly by
 * streaming its shards through the native top-k.
 *
 * Layout of a store folder:
 * - `store.json`: format `xmrbench/embedding-store` version 1; dim, dtype (`f32` or `bf16`), count,
 *   and per shard its file, rows and the SHA-256 of its rows;
 * - `shard-NNNNN.bin`: a 4,096-byte header — magic `XMRSTORE`, version (u32), dtype (u32: 1 f32,
 *   2 bf16), dim (u32), rows (u64), the rows' SHA-256 (32 bytes), zeros — then the rows, row-major,
 *   little-endian, starting on a page boundary so that a memory map views them in place;
 * - `ids.txt`: one document id per line, in row order over all shards.
 *
 * Search maps one shard at a time (native mapFileSync: no copy into the JavaScript heap; pages come
 * from the page cache or the disk; the next shard's reads are started — MADV_WILLNEED — while the
 * current one is searched, and each map is kept for later searches), runs the native top-k of all queries
 * against it (which blocks queries so the shard streams through once per block), and merges each
 * shard's k best into the running k best. The merge keeps topK's order — score descending, equal
 * scores by the lower (global) row, NaN after every number, padding (id −1) last — and each shard's
 * k best contain every member of the global k best that lies in it, so the result equals `topK`
 * over the concatenated rows (test/embedding-store.test.ts).
 *
 * bf16 rows are stored as the upper 16 bits of the float32 after rounding to nearest even (what
 * toBf16 does), half the bytes of f32. A bf16 shard's bits are packed into the kernel's strip
 * layout (no rounding, no float32 copy) in one native buffer that every shard and every later
 * search reuses (bf16Buffer + Bf16Docs.reload, kept in the store): a fresh matrix per shard paid
 * the first-touch faults of ~256 MB of zeroed pages per million 128-dim rows on every search
 * (1M rows packed fresh: 2.7–3.5 s; reloaded without norms: 0.1–0.2 s, on a loaded 2-core VM;
 * a page-cached 2M-row store searched at 0.04× the in-memory rate before, 0.51× after, both idle). Packing skips the
 * norms unless the metric is cosine. Buffers of 4K–256K rows (packed words that stay in cache,
 * more topK calls) were no faster than one of a shard's size. f32 shards are searched straight
 * from the map (the kernel packs its own tiles). Reading shards with pread into a reused buffer
 * instead would add a copy: a mapped shard's pages are read in place, once mapped (the maps are
 * kept), from the page cache.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../errors.js';
import { native } from '../native.js';
import { positiveInteger } from '../args.js';
import { readIds } from '../data/npy.js';
import { openForReading } from '../data/trec/lines.js';
import { writeFileAtomic } from '../atomic-write.js';
import { bf16Buffer, topK, type Bf16Docs, type Metric, type TopKResult } from '../search/topk.js';

export type StoreDtype = 'f32' | 'bf16';

export interface StoreManifest {
  format: 'xmrbench/embedding-store';
  version: 1;
  dim: number;
  dtype: StoreDtype;
  count: number;
  shards: { file: string; rows: number; sha256: string }[];
  ids: string;
}

const HEADER = 4096;
const MAGIC = 'XMRSTORE';
const DTYPE_CODE: Record<StoreDtype, number> = { f32: 1, bf16: 2 };
const BYTES: Record<StoreDtype, number> = { f32: 4, bf16: 2 };
const shardName = (i: number) => `shard-${String(i).padStart(5, '0')}.bin`;

function header(dtype: StoreDtype, dim: number, rows: number, sha256: string): Buffer {
  const h = Buffer.alloc(HEADER);
  h.write(MAGIC, 0, 'latin1');
  h.writeUInt32LE(1, 8);
  h.writeUInt32LE(DTYPE_CODE[dtype], 12);
  h.writeUInt32LE(dim, 16);
  h.writeBigUInt64LE(BigInt(rows), 24);
  Buffer.from(sha256, 'hex').copy(h, 32);
  return h;
}

/** float32 → bf16 bits, rounded to nearest even (NaN stays a quiet NaN). */
function bf16Bits(src: Float32Array): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const out = new Uint16Array(src.length);
  for (let i = 0; i < u.length; i++) {
    const x = u[i]!;
    out[i] = (x & 0x7fffffff) > 0x7f800000 ? (x >>> 16) | 0x40 : (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}

export interface StoreWriterOptions {
  dim: number;
  /** Default f32. */
  dtype?: StoreDtype;
  /** Rows per shard file; default 1,000,000. */
  shardRows?: number;
}

/**
 * Writes a store: `add` rows (with their ids) in order, then `close`. Everything is written into
 * `OUT.tmp-PID` and renamed to `out` by close, so a reader never sees half a store.
 */
export class StoreWriter {
  readonly dim: number;
  readonly dtype: StoreDtype;
  readonly shardRows: number;
  private readonly tmp: string;
  private readonly shards: StoreManifest['shards'] = [];
  /** ids.txt, written as rows come (117 M ids held as strings overflowed V8's 4 GB heap). */
  private idsFd: number | null = null;
  private count = 0;
  private fd: number | null = null;
  private hash: Hash | null = null;
  private rowsInShard = 0;

  constructor(
    readonly out: string,
    options: StoreWriterOptions,
  ) {
    this.dim = positiveInteger(options.dim, 'dim');
    this.dtype = options.dtype ?? 'f32';
    if (this.dtype !== 'f32' && this.dtype !== 'bf16') throw new RangeError(`dtype must be f32 or bf16, got ${JSON.stringify(this.dtype)}`);
    this.shardRows = positiveInteger(options.shardRows ?? 1_000_000, 'shardRows');
    if (existsSync(out)) throw new XmrError('E_USAGE', 'exists already; remove it or choose another folder', { file: out });
    this.tmp = `${out}.tmp-${process.pid}`;
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp, { recursive: true });
  }

  /** Appends rows (row-major, `ids.length` × dim) with their ids. */
  add(rows: Float32Array, ids: readonly string[]): void {
    if (rows.length !== ids.length * this.dim) throw new RangeError(`rows.length (${rows.length}) must be ids.length × dim (${ids.length} × ${this.dim})`);
    ids.forEach((id, i) => {
      if (typeof id !== 'string' || id === '' || /[\s]/.test(id)) throw new TypeError(`ids[${i}] must be a non-empty string without white space, got ${JSON.stringify(id)}`);
    });
    let at = 0;
    while (at < ids.length) {
      if (this.fd === null) this.openShard();
      const take = Math.min(ids.length - at, this.shardRows - this.rowsInShard);
      const chunk = rows.subarray(at * this.dim, (at + take) * this.dim);
      const bytes = this.dtype === 'f32' ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) : new Uint8Array(bf16Bits(chunk).buffer);
      writeSync(this.fd!, bytes);
      this.hash!.update(bytes);
      this.rowsInShard += take;
      at += take;
      if (this.rowsInShard === this.shardRows) this.closeShard();
    }
    this.idsFd ??= openSync(path.join(this.tmp, 'ids.txt'), 'w');
    if (ids.length > 0) writeSync(this.idsFd, ids.join('\n') + '\n');
    this.count += ids.length;
  }

  private openShard(): void {
    this.fd = openSync(path.join(this.tmp, shardName(this.shards.length)), 'w+');
    writeSync(this.fd, Buffer.alloc(HEADER)); // the header is written once the rows' hash is known
    this.hash = createHash('sha256');
    this.rowsInShard = 0;
  }

  private closeShard(): void {
    const sha256 = this.hash!.digest('hex');
    writeSync(this.fd!, header(this.dtype, this.dim, this.rowsInShard, sha256), 0, HEADER, 0);
    fsyncSync(this.fd!);
    closeSync(this.fd!);
    this.shards.push({ file: shardName(this.shards.length), rows: this.rowsInShard, sha256 });
    this.fd = null;
  }

  /** Writes ids.txt and store.json and renames the folder into place; returns the manifest. */
  close(): StoreManifest {
    if (this.fd !== null) this.closeShard();
    if (this.count === 0) throw new XmrError('E_EMPTY', 'no rows were added', { file: this.out });
    fsyncSync(this.idsFd!);
    closeSync(this.idsFd!);
    this.idsFd = null;
    const manifest: StoreManifest = { format: 'xmrbench/embedding-store', version: 1, dim: this.dim, dtype: this.dtype, count: this.count, shards: this.shards, ids: 'ids.txt' };
    writeFileAtomic(path.join(this.tmp, 'store.json'), JSON.stringify(manifest, null, 2) + '\n');
    renameSync(this.tmp, this.out);
    return manifest;
  }

  /** Removes what was written (after a failure). */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    if (this.idsFd !== null) closeSync(this.idsFd);
    this.fd = this.idsFd = null;
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** An opened store: its manifest and ids; shards are mapped only while searched. */
export interface EmbeddingStore {
  dir: string;
  manifest: StoreManifest;
  /** One id per row, read from ids.txt on first access. */
  readonly ids: string[];
  /** Global row index of each shard's first row. */
  offsets: number[];
  /** Each shard's memory map once searched (kept: a second search finds its pages mapped). */
  maps: (ArrayBuffer | undefined)[];
  /**
   * bf16 stores: the packing buffer (room for the largest shard), made by the first search and kept
   * for the next; a search takes it while it runs, so a concurrent search on the store makes its own.
   */
  bf16?: Bf16Docs;
}

/** Opens a store folder, checking the manifest against every shard's header and size. */
export function openStore(dir: string): EmbeddingStore {
  const file = path.join(dir, 'store.json');
  let manifest: StoreManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as StoreManifest;
  } catch (e) {
    throw new XmrError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_MISSING' : 'E_PARSE', `not an embedding store: ${(e as Error).message}`, { file });
  }
  const bad = (what: string) => new XmrError('E_PARSE', `not an embedding store: ${what}`, { file });
  if (manifest?.format !== 'xmrbench/embedding-store') throw bad(`format ${JSON.stringify(manifest?.format)}, expected "xmrbench/embedding-store"`);
  if (manifest.version !== 1) throw bad(`version ${JSON.stringify(manifest.version)}, this xmrbench reads 1`);
  if (!Number.isInteger(manifest.dim) || manifest.dim < 1) throw bad(`dim must be a positive integer, got ${JSON.stringify(manifest.dim)}`);
  if (manifest.dtype !== 'f32' && manifest.dtype !== 'bf16') throw bad(`dtype must be "f32" or "bf16", got ${JSON.stringify(manifest.dtype)}`);
  if (!Array.isArray(manifest.shards) || manifest.shards.length === 0) throw bad('shards must be a non-empty array');
  const offsets: number[] = [];
  let count = 0;
  manifest.shards.forEach((s, i) => {
    if (typeof s?.file !== 'string' || path.basename(s.file) !== s.file || !Number.isInteger(s.rows) || s.rows < 1 || !/^[0-9a-f]{64}$/.test(s.sha256 ?? ''))
      throw bad(`shards[${i}] must be { file (a name in the folder), rows ≥ 1, sha256 }`);
    const h = readHeader(path.join(dir, s.file));
    if (h.dtype !== manifest.dtype || h.dim !== manifest.dim || h.rows !== s.rows || h.sha256 !== s.sha256)
      throw new XmrError('E_PARSE', `its header (${h.rows} rows of ${h.dim} ${h.dtype}) does not match store.json's shards[${i}] (${s.rows} rows of ${manifest.dim} ${manifest.dtype})`, { file: path.join(dir, s.file) });
    offsets.push(count);
    count += s.rows;
  });
  if (manifest.count !== count) throw bad(`count ${manifest.count} but the shards hold ${count} rows`);
  const idsFile = path.join(dir, typeof manifest.ids === 'string' ? manifest.ids : 'ids.txt');
  const lines = countLines(idsFile);
  if (lines !== count) throw new XmrError('E_PARSE', `${lines} ids for the store's ${count} rows`, { file: idsFile });
  // The ids are read (and checked: none empty, none repeated) when first asked for: a search needs
  // only rows, and 117 M ids as strings would not fit V8's heap.
  let ids: string[] | undefined;
  return {
    dir,
    manifest,
    get ids() {
      return (ids ??= readIds(idsFile));
    },
    offsets,
    maps: [],
  };
}

function readHeader(file: string): { dtype: StoreDtype; dim: number; rows: number; sha256: string; bytes: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new XmrError('E_MISSING', (e as Error).message, { file });
  }
  try {
    const h = Buffer.alloc(HEADER);
    const got = readSyncAll(fd, h);
    if (got < HEADER || h.toString('latin1', 0, 8) !== MAGIC) throw new XmrError('E_PARSE', `not a store shard (no ${MAGIC} header)`, { file });
    if (h.readUInt32LE(8) !== 1) throw new XmrError('E_PARSE', `shard version ${h.readUInt32LE(8)}, this xmrbench reads 1`, { file });
    const code = h.readUInt32LE(12);
    const dtype = (Object.keys(DTYPE_CODE) as StoreDtype[]).find((d) => DTYPE_CODE[d] === code);
    if (dtype === undefined) throw new XmrError('E_PARSE', `unknown dtype code ${code}`, { file });
    const dim = h.readUInt32LE(16);
    const rows = Number(h.readBigUInt64LE(24));
    const bytes = fstatSize(fd);
    if (bytes !== HEADER + rows * dim * BYTES[dtype]) throw new XmrError('E_PARSE', `${bytes} bytes, but its header says ${rows} rows of ${dim} ${dtype} (${HEADER + rows * dim * BYTES[dtype]} bytes): truncated or damaged`, { file });
    return { dtype, dim, rows, sha256: h.toString('hex', 32, 64), bytes };
  } finally {
    closeSync(fd);
  }
}

/** Lines in a text file (a last line without its newline counts), read in blocks. */
function countLines(file: string): number {
  const fd = openForReading(file);
  try {
    const block = Buffer.allocUnsafe(8 * 2 ** 20);
    let lines = 0;
    let last = 0x0a;
    for (let n; (n = readSync(fd, block, 0, block.length, null)) > 0; ) {
      // Only the bytes just read: a short read leaves the previous block's bytes behind them.
      const got = block.subarray(0, n);
      for (let at = got.indexOf(0x0a); at !== -1; at = got.indexOf(0x0a, at + 1)) lines++;
      last = got[n - 1]!;
    }
    return last === 0x0a ? lines : lines + 1;
  } finally {
    closeSync(fd);
  }
}

function readSyncAll(fd: number, buf: Buffer): number {
  let at = 0;
  while (at < buf.length) {
    const n = readSync(fd, buf, at, buf.length - at, at);
    if (n === 0) break;
    at += n;
  }
  return at;
}
const fstatSize = (fd: number): number => fstatSync(fd).size;

/** Checks every shard's rows against its SHA-256 (reads the whole store); throws naming the first damaged shard. */
export function verifyStore(store: EmbeddingStore): void {
  store.manifest.shards.forEach((s) => {
    const file = path.join(store.dir, s.file);
    const map = native().mapFileSync(file, false);
    const sha = createHash('sha256').update(new Uint8Array(map, HEADER)).digest('hex');
    if (sha !== s.sha256) throw new XmrError('E_PARSE', `its rows' SHA-256 is ${sha.slice(0, 12)}…, store.json says ${s.sha256.slice(0, 12)}…: damaged`, { file });
  });
}

export interface StoreSearchOptions {
  k: number;
  metric?: Metric;
  threads?: number;
  /** Search only these shards (indices into manifest.shards); default all. */
  shards?: readonly number[];
  /** Called after each shard with (shards done, shards to do). */
  onProgress?: (done: number, total: number) => void;
}

/** Exact top-k of `queries` (m × dim) over the store's rows; ids are global row indices. */
export async function searchStore(store: EmbeddingStore, queries: Float32Array, options: StoreSearchOptions): Promise<TopKResult> {
  const { dim, dtype } = store.manifest;
  const k = positiveInteger(options.k, 'k');
  if (queries.length % dim !== 0) throw new RangeError(`queries.length (${queries.length}) is not a multiple of the store's dim (${dim})`);
  const m = queries.length / dim;
  const chosen = options.shards ?? store.manifest.shards.map((_, i) => i);
  chosen.forEach((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= store.manifest.shards.length) throw new RangeError(`shards: ${i} is not a shard of this store (0 … ${store.manifest.shards.length - 1})`);
  });
  const metric = options.metric ?? 'ip';
  const threads = options.threads ?? 1;
  let best: TopKResult = { ids: new Int32Array(m * k).fill(-1), scores: new Float32Array(m * k).fill(-Infinity) };
  const buffer = dtype === 'bf16' ? (store.bf16 ?? bf16Buffer(Math.max(...store.manifest.shards.map((s) => s.rows)), { dim })) : undefined;
  store.bf16 = undefined;
  try {
    native().prefetchSync(shardMap(store, chosen[0]!, false));
    for (let c = 0; c < chosen.length; c++) {
      const i = chosen[c]!;
      const s = store.manifest.shards[i]!;
      const map = shardMap(store, i, false);
      // The next shard's reads start now, so the disk works while this one is searched.
      if (c + 1 < chosen.length) native().prefetchSync(shardMap(store, chosen[c + 1]!, false));
      const docs = buffer === undefined ? new Float32Array(map, HEADER, s.rows * dim) : buffer.reload(new Uint16Array(map, HEADER, s.rows * dim), { threads, norms: metric === 'cosine' });
      const r = await topK(queries, docs, { dim, k, metric, threads });
      best = mergeTopK(best, r, m, k, store.offsets[i]!);
      options.onProgress?.(c + 1, chosen.length);
    }
  } finally {
    if (buffer !== undefined) store.bf16 = buffer;
  }
  return best;
}

/** Shard i's file mapped (kept in the store for later calls); `populate` reads it in at once when first mapped. */
function shardMap(store: EmbeddingStore, i: number, populate: boolean): ArrayBuffer {
  return (store.maps[i] ??= native().mapFileSync(path.join(store.dir, store.manifest.shards[i]!.file), populate));
}

/**
 * Shard i's rows as float32 (for consumers that take float32, such as a LanceDB table): f32 rows
 * viewed in place in the shard's memory map (populated: read in one sequential pass when first
 * mapped); bf16 rows widened exactly into a new array.
 */
export function shardRows(store: EmbeddingStore, i: number): Float32Array {
  const { dim, dtype } = store.manifest;
  const map = shardMap(store, i, true);
  const rows = store.manifest.shards[i]!.rows;
  return dtype === 'f32' ? new Float32Array(map, HEADER, rows * dim) : widenBf16(new Uint16Array(map, HEADER, rows * dim));
}

function widenBf16(bits: Uint16Array): Float32Array {
  const u = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) u[i] = bits[i]! << 16;
  return new Float32Array(u.buffer);
}

/**
 * Before: a ranks ahead of b in topK's order (score descending, NaN after numbers, then the lower
 * id; padding — id −1 — after everything).
 */
function ahead(sa: number, ia: number, sb: number, ib: number): boolean {
  if (ia < 0 || ib < 0) return ib < 0 && ia >= 0;
  const na = Number.isNaN(sa);
  const nb = Number.isNaN(sb);
  if (na !== nb) return nb;
  if (!na && sa !== sb) return sa > sb;
  return ia < ib;
}

/** Merges, per query, the running k best `a` with a shard's k best `b` (its ids shifted by `offset`). */
export function mergeTopK(a: TopKResult, b: TopKResult, m: number, k: number, offset: number): TopKResult {
  const ids = new Int32Array(m * k);
  const scores = new Float32Array(m * k);
  for (let q = 0; q < m; q++) {
    let i = 0;
    let j = 0;
    for (let o = 0; o < k; o++) {
      const ia = a.ids[q * k + i]!;
      const ib0 = b.ids[q * k + j]!;
      const ib = ib0 < 0 ? -1 : ib0 + offset;
      const takeA = ahead(a.scores[q * k + i]!, ia, b.scores[q * k + j]!, ib) || (ia < 0 && ib < 0);
      if (takeA) {
        ids[q * k + o] = ia;
        scores[q * k + o] = a.scores[q * k + i]!;
        i++;
      } else {
        ids[q * k + o] = ib;
        scores[q * k + o] = b.scores[q * k + j]!;
        j++;
      }
    }
  }
  return { ids, scores };
}
