/**
 * Workload `store`: exact search over an on-disk embedding store (src/store/embedding-store.ts) against
 * the in-memory top-k on the same rows, and the store's bytes read sequentially (the rate a search
 * that streams them cannot beat when they come from disk).
 *
 * A store of `rows` random rows is written in a temporary folder (or `--dir`, for a scratch disk:
 * a store larger than RAM does not fit the page cache, so every search reads it from the disk), in
 * shards of `--shard-rows`. Drivers, timed side by side:
 * - store: searchStore over every shard (memory-mapped, one shard at a time, merged exactly);
 * - in memory: topK over the same rows held in one array (only when they fit: `rows × dim × 4` bytes
 *   below half the machine's memory; for bf16, the packed bf16 rows);
 * - read: every shard file read front to back in 8 MiB blocks (no search), GB/s.
 * Before timing, the store's result is checked equal to the in-memory one (when that runs) on the
 * first queries. Ratios: store / in memory (queries/s), and the store's GB/s / read's GB/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { freemem, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { deepStrictEqual } from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { randn } from '../random.js';
import { openStore, searchStore, StoreWriter, type StoreDtype } from '../store/embedding-store.js';
import { toBf16, topK } from '../search/topk.js';
import { machineStamp } from './machine.js';
import { measure } from './measure.js';
import { readThrough } from './sequential-read.js';
import { defineWorkload, type BenchResult, type CommonOptions, type DriverResult } from './workload.js';

export interface StoreBenchOptions extends CommonOptions {
  rows: number;
  dim: number;
  queries: number;
  k: number;
  dtype: StoreDtype;
  shardRows: number;
  dir: string;
}

/** Rows generated per write: 32 MiB of float32. */
const CHUNK = 8 * 2 ** 20;

/**
 * The rows of chunk `c`: one chunk of standard normal draws, rotated by a different offset for each
 * chunk (offsets step by a prime, so they are not multiples of the dimension and every chunk's rows
 * differ). Drawing fresh normals for ~30 GB took over an hour on this machine (Box–Muller in
 * JavaScript, ~7 M values/s); a rotation is a copy, so building the store runs at the disk's speed,
 * and the rows' distribution — all a throughput benchmark needs of them — is the same.
 */
function rotatedChunks(size: number): (c: number, n: number) => Float32Array {
  const base = randn(size, 1000);
  const out = new Float32Array(size);
  return (c, n) => {
    const shift = (c * 104_729) % size;
    out.set(base.subarray(shift), 0);
    out.set(base.subarray(0, shift), size - shift);
    return out.subarray(0, n);
  };
}

export async function benchStore(o: StoreBenchOptions): Promise<BenchResult> {
  const load = () => loadavg().map((x) => Number(x.toFixed(2)));
  const loadBefore = load();
  const machine = machineStamp();
  const parent = o.dir === '' ? tmpdir() : o.dir;
  const dir = mkdtempSync(path.join(parent, 'xmrbench-store-'));
  try {
    const out = path.join(dir, 'store');
    const w = new StoreWriter(out, { dim: o.dim, dtype: o.dtype, shardRows: o.shardRows });
    const rowsPerChunk = Math.max(1, Math.floor(CHUNK / o.dim));
    const chunkRows = rotatedChunks(rowsPerChunk * o.dim);
    const t0 = performance.now();
    for (let r = 0, c = 0; r < o.rows; r += rowsPerChunk, c++) {
      const n = Math.min(rowsPerChunk, o.rows - r);
      w.add(chunkRows(c, n * o.dim), Array.from({ length: n }, (_, i) => `d${r + i}`));
    }
    const manifest = w.close();
    const buildSeconds = (performance.now() - t0) / 1000;
    const store = openStore(out);
    const storeBytes = manifest.count * o.dim * (o.dtype === 'f32' ? 4 : 2);
    const queries = randn(o.queries * o.dim, 7);
    const flops = 2 * o.queries * o.rows * o.dim;

    const fits = o.rows * o.dim * 4 < totalmem() / 2;
    let inMemory: (() => Promise<unknown>) | null = null;
    if (fits) {
      // The same rows in one array: the store's shards concatenated (what topK would be given).
      const all = new Float32Array(o.rows * o.dim);
      for (let r = 0, c = 0; r < o.rows; r += rowsPerChunk, c++) all.set(chunkRows(c, Math.min(rowsPerChunk, o.rows - r) * o.dim), r * o.dim);
      const docs = o.dtype === 'f32' ? all : toBf16(all, { dim: o.dim, threads: o.threads });
      const check = queries.subarray(0, Math.min(8, o.queries) * o.dim);
      deepStrictEqual(await searchStore(store, check, { k: o.k, threads: o.threads }), await topK(check, docs, { dim: o.dim, k: o.k, threads: o.threads }));
      inMemory = () => topK(queries, docs, { dim: o.dim, k: o.k, threads: o.threads });
    }
    const readAll = () => {
      const block = Buffer.allocUnsafe(8 * 2 ** 20);
      for (const s of manifest.shards) readThrough(path.join(out, s.file), block);
    };
    const timings = await measure(
      {
        store: () => searchStore(store, queries, { k: o.k, threads: o.threads }),
        ...(inMemory ? { 'in memory': inMemory } : {}),
        read: async () => readAll(),
      },
      { timeMs: o.timeMs, iterations: 2 },
    );
    const drivers: DriverResult[] = timings.map((t) => {
      const s = t.meanMs / 1000;
      return t.name === 'read'
        ? { driver: t.name, gbPerSecond: storeBytes / s / 1e9, timing: t }
        : { driver: t.name, queriesPerSecond: o.queries / s, gflopsPerSecond: flops / s / 1e9, gbPerSecond: storeBytes / s / 1e9, timing: t };
    });
    const rate = (name: string, key: string) => drivers.find((d) => d.driver === name)?.[key] as number | undefined;
    const ratios: Record<string, number> = { 'store / read (GB/s)': rate('store', 'gbPerSecond')! / rate('read', 'gbPerSecond')! };
    if (inMemory) ratios['store / in memory (queries/s)'] = rate('store', 'queriesPerSecond')! / rate('in memory', 'queriesPerSecond')!;
    return {
      workload: 'store',
      params: {
        rows: o.rows,
        dim: o.dim,
        dtype: o.dtype,
        queries: o.queries,
        k: o.k,
        threads: o.threads,
        shards: manifest.shards.length,
        storeBytes,
        buildSeconds,
        inMemory: fits ? 'timed' : `skipped: ${o.rows} × ${o.dim} float32 exceed half the machine's ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
        pageCache: storeBytes < freemem() ? 'the store may fit in the page cache: searches read memory, not the disk' : 'the store exceeds free memory: searches read the disk',
        loadAverage: { before: loadBefore, after: load() },
      },
      machine,
      drivers,
      ratios,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const storeWorkload = defineWorkload<StoreBenchOptions>({
  name: 'store',
  measures: 'Exact search streaming an on-disk embedding store against the in-memory top-k and a plain sequential read of the same bytes',
  options: {
    rows: { type: 'number', default: 2_000_000, describe: 'Rows in the store' },
    dim: { type: 'number', default: 128, describe: 'Dimensions per row' },
    queries: { type: 'number', default: 100, describe: 'Queries per search' },
    k: { type: 'number', default: 10, describe: 'Results per query' },
    dtype: { type: 'string', default: 'f32', choices: ['f32', 'bf16'] as const, describe: 'Row type of the store' },
    shardRows: { type: 'number', default: 1_000_000, describe: 'Rows per shard file' },
    dir: { type: 'string', default: '', describe: 'Folder for the store (a scratch disk); default the temporary folder' },
  },
  drivers: ['store: searchStore (shards memory-mapped one at a time, merged exactly)', 'in memory: topK over the same rows in one array (when they fit in half the memory)', 'read: the shard files read sequentially, no search'],
  ratios: ['store / in memory (queries/s)', 'store / read (GB/s of store bytes)'],
  examples: [
    ['$0 bench store --threads 2', '2M × 128 f32 (1 GB): fits the page cache'],
    ['$0 bench store --rows 117000000 --dtype bf16 --dir /scratch --time 1', '~30 GB of bf16 rows: larger than this machine\'s 24 GiB'],
  ],
  run: benchStore,
});
