/**
 * `xmrbench index build` writes an on-disk embedding store (src/store/embedding-store.ts) from an .npy
 * matrix, read through a memory map in chunks, so the matrix may exceed memory; `xmrbench index
 * search` searches a store exactly, streaming its shards, and writes a TREC run — all shards, or with
 * `--shard I/N` the shards i with i mod N = I, for a scatter over a cluster's tasks that
 * `xmrbench merge-runs` gathers.
 */
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { native } from '../native.js';
import { idsBeside, npyLayout, npyRows, readEmbeddings, readIds } from '../data/npy.js';
import { rankedRunFromTopK } from '../rankers/dense.js';
import { openStore, searchStore, StoreWriter, verifyStore, type StoreDtype } from '../store/embedding-store.js';
import { parseShard } from '../experiment/shard.js';
import { positiveInteger } from '../args.js';

interface BuildArgs {
  npy: string;
  ids?: string;
  out: string;
  dtype: StoreDtype;
  'shard-rows': number;
}

/** Rows read from the .npy per chunk: 64 MiB of float32 at 128 dimensions. */
const CHUNK_FLOATS = 16 * 2 ** 20;

const build: CommandModule<object, BuildArgs> = {
  command: 'build',
  describe: 'Write an embedding store from an .npy matrix (float32 or float16) and its ids',
  builder: (y: Argv) =>
    y
      .option('npy', { type: 'string', demandOption: true, describe: 'rows × dim .npy (float32 or float16), read through a memory map' })
      .option('ids', { type: 'string', describe: 'One id per row (default: X.ids.txt or X.ids.json beside X.npy)' })
      .option('out', { type: 'string', demandOption: true, describe: 'The store folder (must not exist)' })
      .option('dtype', { choices: ['f32', 'bf16'] as const, default: 'f32' as const, describe: 'bf16: half the bytes, each value rounded to 8 significant bits' })
      .option('shard-rows', { type: 'number', default: 1_000_000, describe: 'Rows per shard file' })
      .example('$0 index build --npy corpus.npy --out corpus.store --dtype bf16', 'A bf16 store of corpus.npy (ids from corpus.ids.txt)') as unknown as Argv<BuildArgs>,
  handler: (a) => {
    const idsFile = a.ids ?? idsBeside(a.npy);
    if (idsFile === undefined) throw new XmrError('E_MISSING', `no ids beside the embeddings: give --ids, or put ${a.npy.replace(/\.npy$/, '')}.ids.txt beside it`, { file: a.npy });
    let map: ArrayBuffer;
    try {
      map = native().mapFileSync(a.npy, false);
    } catch (e) {
      throw new XmrError('E_MISSING', (e as Error).message.replace(`${a.npy}: `, ''), { file: a.npy });
    }
    const bytes = new Uint8Array(map);
    const layout = npyLayout(bytes, bytes.length, a.npy);
    const ids = readIds(idsFile);
    if (ids.length !== layout.rows) throw new XmrError('E_PARSE', `${ids.length} ids for ${layout.rows} rows of ${a.npy}`, { file: idsFile });
    const writer = new StoreWriter(a.out, { dim: layout.cols, dtype: a.dtype, shardRows: positiveInteger(a['shard-rows'], 'shard-rows') });
    try {
      const step = Math.max(1, Math.floor(CHUNK_FLOATS / layout.cols));
      for (let r = 0; r < layout.rows; r += step) {
        const to = Math.min(layout.rows, r + step);
        writer.add(npyRows(bytes, layout, r, to), ids.slice(r, to));
        process.stderr.write(`index build: ${to.toLocaleString('en')} / ${layout.rows.toLocaleString('en')} rows\r`);
      }
      const m = writer.close();
      process.stderr.write('\n');
      console.log(`${a.out}: ${m.count.toLocaleString('en')} rows of ${m.dim} ${m.dtype} in ${m.shards.length} shard${m.shards.length === 1 ? '' : 's'}`);
    } catch (e) {
      writer.abort();
      throw e;
    }
  },
};

interface SearchArgs {
  store: string;
  queries: string;
  'query-ids'?: string;
  k: number;
  metric: 'ip' | 'cosine';
  threads: number;
  shard?: string;
  out: string;
  tag: string;
  verify: boolean;
}

const search: CommandModule<object, SearchArgs> = {
  command: 'search',
  describe: 'Exact top-k of .npy queries over a store, streaming its shards; writes a TREC run',
  builder: (y: Argv) =>
    y
      .option('store', { type: 'string', demandOption: true, describe: 'A store folder (index build)' })
      .option('queries', { type: 'string', demandOption: true, describe: 'Queries × dim .npy (ids beside it, or --query-ids)' })
      .option('query-ids', { type: 'string', describe: 'One id per query row' })
      .option('k', { type: 'number', default: 100, describe: 'Results per query' })
      .option('metric', { choices: ['ip', 'cosine'] as const, default: 'ip' as const })
      .option('threads', { type: 'number', default: 2 })
      .option('shard', { type: 'string', describe: "Search the shards i with i mod N = I only (I/N, or auto from Slurm's or Kubernetes' variables); gather with merge-runs" })
      .option('out', { type: 'string', demandOption: true, describe: 'The TREC run (.gz for gzip)' })
      .option('tag', { type: 'string', default: 'store', describe: 'TREC run tag' })
      .option('verify', { type: 'boolean', default: false, describe: "Check every shard's SHA-256 first (reads the whole store once more)" })
      .example('$0 index search --store corpus.store --queries q.npy --k 100 --out run.trec', 'All shards')
      .example('$0 index search --store corpus.store --queries q.npy --shard 1/4 --out run.1.trec', 'Task 1 of 4; then: $0 merge-runs run.*.trec --k 100 --out run.trec') as unknown as Argv<SearchArgs>,
  handler: async (a) => {
    const store = openStore(a.store);
    if (a.verify) verifyStore(store);
    const q = readEmbeddings(a.queries, a['query-ids']);
    if (q.cols !== store.manifest.dim) throw new XmrError('E_USAGE', `queries have ${q.cols} dimensions, the store ${store.manifest.dim}`, { file: a.queries });
    const shard = a.shard === undefined ? undefined : parseShard(a.shard);
    const shards = store.manifest.shards.map((_, i) => i).filter((i) => shard === undefined || i % shard.count === shard.index);
    const t0 = Date.now();
    const result = await searchStore(store, q.data, {
      k: a.k,
      metric: a.metric,
      threads: a.threads,
      shards,
      onProgress: (done, total) => process.stderr.write(`index search: shard ${done}/${total} (${((Date.now() - t0) / 1000).toFixed(1)} s)\r`),
    });
    process.stderr.write('\n');
    await rankedRunFromTopK(a.tag, q.ids, store.ids, result, Date.now() - t0).write(a.out);
    console.log(`${a.out}: ${q.rows} queries × ${a.k} over ${shards.length} of ${store.manifest.shards.length} shards (${shards.reduce((s, i) => s + store.manifest.shards[i]!.rows, 0).toLocaleString('en')} rows) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  },
};

export const indexCommand: CommandModule = {
  command: 'index <command>',
  describe: 'On-disk embedding stores larger than memory: build, and search exactly',
  builder: (y) => y.command(build as CommandModule).command(search as CommandModule).demandCommand(1),
  handler: () => {},
};
