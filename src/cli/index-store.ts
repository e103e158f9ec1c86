/**
 * `xmrbench index build` embeds a corpus — an .npy matrix read through a memory map, or any encoder
 * xmrbench has run over a BEIR corpus or an image–text set (src/cli/embedding-source.ts) — into an
 * on-disk embedding store (src/store/embedding-store.ts; streamed chunk by chunk, so the corpus may
 * exceed memory) or a LanceDB table (src/search/lancedb.ts; with an ANN index if asked).
 * `xmrbench index search` embeds the queries the same way (an .npy, or the same encoder over the
 * queries) and searches: a store exactly, streaming its shards — all of them, or with `--shard I/N`
 * the shards i with i mod N = I, for a scatter over a cluster's tasks that `xmrbench merge-runs`
 * gathers — or a LanceDB table, flat or through its index; either way it writes a TREC run, for
 * `xmrbench eval` and `compare`.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { readIds, writeIds } from '../data/npy.js';
import { rankedRunFromTopK } from '../rankers/dense.js';
import { openStore, searchStore, shardRows, StoreWriter, verifyStore, type StoreDtype } from '../store/embedding-store.js';
import { LANCE_INDEX_TYPES, LanceVectorTable, type LanceIndexType } from '../search/lancedb.js';
import type { Metric, TopKResult } from '../search/topk.js';
import { parseShard } from '../experiment/shard.js';
import { positiveInteger } from '../args.js';
import type { Qrels } from '../data/trec/qrels.js';
import { evaluate } from '../eval/evaluate.js';
import { printMeans } from './search.js';
import { allRows, openRows, sourceOptions, type EmbeddingRows, type SourceArgs } from './embedding-source.js';

const BACKENDS = ['store', 'lancedb'] as const;
type Backend = (typeof BACKENDS)[number];
/** The ids of a LanceDB table's rows, beside its `vectors.lance` (the table holds row numbers). */
const TABLE_IDS = 'ids.txt';

interface BuildArgs extends SourceArgs {
  backend: Backend;
  npy?: string;
  ids?: string;
  store?: string;
  out: string;
  dtype: StoreDtype;
  'shard-rows': number;
  metric: Metric;
  index: 'none' | LanceIndexType;
  partitions?: number;
  'sub-vectors'?: number;
  'hnsw-m'?: number;
  'ef-construction'?: number;
}

/** The rows of a store, for a LanceDB table built from it (LanceDB writes a table from memory). */
function storeSource(dir: string): EmbeddingRows {
  const store = openStore(dir);
  return {
    ids: store.ids,
    dim: store.manifest.dim,
    origin: dir,
    async *chunks() {
      for (let i = 0; i < store.manifest.shards.length; i++) yield shardRows(store, i);
    },
    close: async () => undefined,
  };
}

async function writeStore(a: BuildArgs, rows: EmbeddingRows): Promise<void> {
  const writer = new StoreWriter(a.out, { dim: rows.dim, dtype: a.dtype, shardRows: positiveInteger(a['shard-rows'], 'shard-rows') });
  try {
    let at = 0;
    for await (const chunk of rows.chunks()) {
      const n = chunk.length / rows.dim;
      writer.add(chunk, rows.ids.slice(at, at + n));
      at += n;
      if (a.npy !== undefined) process.stderr.write(`index build: ${at.toLocaleString('en')} / ${rows.ids.length.toLocaleString('en')} rows\r`);
    }
    const m = writer.close();
    if (a.npy !== undefined) process.stderr.write('\n');
    console.log(`${a.out}: ${m.count.toLocaleString('en')} rows of ${m.dim} ${m.dtype} in ${m.shards.length} shard${m.shards.length === 1 ? '' : 's'}`);
  } catch (e) {
    writer.abort();
    throw e;
  }
}

async function writeLanceTable(a: BuildArgs, rows: EmbeddingRows): Promise<void> {
  if (a.index !== 'none' && (a.partitions === undefined || (a.index === 'ivf_pq' && a['sub-vectors'] === undefined)))
    throw new XmrError('E_USAGE', `--index ${a.index} needs --partitions${a.index === 'ivf_pq' ? ' and --sub-vectors' : ''}`);
  if (a.index === 'ivf_hnsw_sq' && a.metric === 'ip')
    // Measured with @lancedb/lancedb 0.31: recall@10 ≈ 0.08 at any ef (test/index-lancedb-hnsw-cli.test.ts).
    process.stderr.write('index build: warning: LanceDB ranks ivf_hnsw_sq tables by inner product wrongly (recall@10 ≈ 0.08 here; see lance-format/lance#7352); use --metric cosine or --index ivf_pq\n');
  const table = await LanceVectorTable.build(a.out, await allRows(rows), { dim: rows.dim, metric: a.metric });
  writeIds(path.join(a.out, TABLE_IDS), rows.ids);
  if (a.index !== 'none')
    await table.createIndex({
      type: a.index,
      numPartitions: a.partitions!,
      ...(a['sub-vectors'] === undefined ? {} : { numSubVectors: a['sub-vectors'] }),
      ...(a['hnsw-m'] === undefined ? {} : { m: a['hnsw-m'] }),
      ...(a['ef-construction'] === undefined ? {} : { efConstruction: a['ef-construction'] }),
    });
  console.log(`${a.out}: LanceDB table of ${table.n.toLocaleString('en')} rows of ${table.dim} float32, ${a.metric}${a.index === 'none' ? ', no index (flat search)' : `, ${a.index} index of ${a.partitions} partitions`}`);
}

const build: CommandModule<object, BuildArgs> = {
  command: 'build',
  describe: 'Embed a corpus (an .npy, or an encoder over a BEIR corpus or an image–text set) into a store or a LanceDB table',
  builder: (y: Argv) =>
    sourceOptions(y, "the store's rows")
      .option('backend', { choices: BACKENDS, default: 'store' as Backend, describe: "store: xmrbench's on-disk store (exact search, larger than memory); lancedb: a LanceDB table (flat or ANN search)" })
      .option('npy', { type: 'string', describe: 'rows × dim .npy (float32 or float16), read through a memory map; or an encoder' })
      .option('ids', { type: 'string', describe: 'One id per .npy row (default: X.ids.txt or X.ids.json beside X.npy)' })
      .option('store', { type: 'string', describe: '--backend lancedb: a table of the rows of this store' })
      .option('out', { type: 'string', demandOption: true, describe: 'The store folder (must not exist), or the LanceDB table folder (its table is replaced)' })
      .option('dtype', { choices: ['f32', 'bf16'] as const, default: 'f32' as const, describe: 'store: bf16 is half the bytes, each value rounded to 8 significant bits' })
      .option('shard-rows', { type: 'number', default: 1_000_000, describe: 'store: rows per shard file' })
      .option('threads', { type: 'number', default: 2, describe: 'Threads for the encoders' })
      .option('metric', { choices: ['ip', 'cosine'] as const, default: 'ip' as const, describe: 'lancedb: the distance its index is built for (search with the same)' })
      .option('index', { choices: ['none', ...LANCE_INDEX_TYPES] as const, default: 'none' as const, describe: 'lancedb: an ANN index (IVF-PQ, or IVF-HNSW with scalar quantisation)' })
      .option('partitions', { type: 'number', describe: 'lancedb --index: IVF partitions (k-means centroids)' })
      .option('sub-vectors', { type: 'number', describe: 'lancedb --index ivf_pq: product-quantiser sub-vectors (must divide dim)' })
      .option('hnsw-m', { type: 'number', describe: 'lancedb --index ivf_hnsw_sq: neighbours per graph node (LanceDB: 20)' })
      .option('ef-construction', { type: 'number', describe: 'lancedb --index ivf_hnsw_sq: candidate list while building (LanceDB: 300)' })
      .example('$0 index build --npy corpus.npy --out corpus.store --dtype bf16', 'A bf16 store of corpus.npy (ids from corpus.ids.txt)')
      .example('$0 index build --model zs.xde --dataset datasets/ddtp-mini/en --out en.store', 'A store of a BEIR corpus encoded by a checkpoint (or a native export, or an ONNX folder)')
      .example('$0 index build --image-encoder tower.xit --captions datasets/emoji/noto.json --split test --out noto.store', "A store of an image–text set's images")
      .example('$0 index build --backend lancedb --store en.store --out en.lance --metric cosine --index ivf_pq --partitions 16 --sub-vectors 8', 'A LanceDB table with an IVF-PQ index, from a store') as unknown as Argv<BuildArgs>,
  handler: async (a) => {
    if (a.store !== undefined && a.backend !== 'lancedb') throw new XmrError('E_USAGE', '--store is a source for --backend lancedb');
    if (a.store !== undefined && (a.npy !== undefined || a.model !== undefined || a['image-encoder'] !== undefined)) throw new XmrError('E_USAGE', 'give --store or another source (--npy, --model, --image-encoder), not both');
    const rows = a.store !== undefined ? storeSource(a.store) : await openRows(a, 'document', { flag: '--npy', file: a.npy, idsFlag: '--ids', ids: a.ids });
    try {
      await (a.backend === 'store' ? writeStore(a, rows) : writeLanceTable(a, rows));
    } finally {
      await rows.close();
    }
  },
};

interface SearchArgs extends SourceArgs {
  backend: Backend;
  store: string;
  queries?: string;
  'query-ids'?: string;
  k: number;
  metric: Metric;
  shard?: string;
  out: string;
  tag?: string;
  verify: boolean;
  metrics: string;
  exact: boolean;
  nprobes?: number;
  'refine-factor'?: number;
  ef?: number;
  concurrency: number;
}

/** The queries' rows, refused unless they have the index's dimensions. */
async function queryRows(a: SearchArgs, dim: number, index: string): Promise<{ ids: string[]; data: Float32Array; qrels?: Qrels }> {
  const rows = await openRows(a, 'query', { flag: '--queries', file: a.queries, idsFlag: '--query-ids', ids: a['query-ids'] });
  try {
    if (rows.dim !== dim) throw new XmrError('E_USAGE', `queries have ${rows.dim} dimensions, the ${index} ${dim}`, { file: rows.origin });
    return { ids: rows.ids, data: await allRows(rows), ...(rows.qrels === undefined ? {} : { qrels: rows.qrels }) };
  } finally {
    await rows.close();
  }
}

const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

async function searchStoreCommand(a: SearchArgs): Promise<void> {
  const store = openStore(a.store);
  if (a.verify) verifyStore(store);
  const q = await queryRows(a, store.manifest.dim, 'store');
  const shard = a.shard === undefined ? undefined : parseShard(a.shard);
  const shards = store.manifest.shards.map((_, i) => i).filter((i) => shard === undefined || i % shard.count === shard.index);
  const t0 = Date.now();
  const result = await searchStore(store, q.data, {
    k: a.k,
    metric: a.metric,
    threads: a.threads,
    shards,
    onProgress: (done, total) => process.stderr.write(`index search: shard ${done}/${total} (${seconds(t0)})\r`),
  });
  process.stderr.write('\n');
  await write(a, q, store.ids, result, t0, `${a.out}: ${q.ids.length} queries × ${a.k} over ${shards.length} of ${store.manifest.shards.length} shards (${shards.reduce((s, i) => s + store.manifest.shards[i]!.rows, 0).toLocaleString('en')} rows) in ${seconds(t0)}`);
}

async function searchLanceCommand(a: SearchArgs): Promise<void> {
  if (a.shard !== undefined || a.verify) throw new XmrError('E_USAGE', `--${a.shard !== undefined ? 'shard' : 'verify'} is for --backend store; a LanceDB table is searched whole`);
  const table = await LanceVectorTable.open(a.store, { metric: a.metric });
  const ids = readIds(path.join(a.store, TABLE_IDS));
  if (ids.length !== table.n) throw new XmrError('E_PARSE', `${ids.length} ids for the table's ${table.n} rows`, { file: path.join(a.store, TABLE_IDS) });
  const q = await queryRows(a, table.dim, 'LanceDB table');
  const t0 = Date.now();
  const result = await table.search(q.data, {
    k: a.k,
    exact: a.exact,
    concurrency: a.concurrency,
    ...(a.nprobes === undefined ? {} : { nprobes: a.nprobes }),
    ...(a['refine-factor'] === undefined ? {} : { refineFactor: a['refine-factor'] }),
    ...(a.ef === undefined ? {} : { ef: a.ef }),
  });
  await write(a, q, ids, result, t0, `${a.out}: ${q.ids.length} queries × ${a.k} over the LanceDB table (${table.n.toLocaleString('en')} rows, ${a.exact ? 'flat' : 'through its index, flat if it has none'}) in ${seconds(t0)}`);
}

/** Writes the run, and prints its evaluation when the queries came with qrels (a BEIR split). */
async function write(a: SearchArgs, q: { ids: string[]; qrels?: Qrels }, docIds: string[], result: TopKResult, t0: number, summary: string): Promise<void> {
  const run = rankedRunFromTopK(a.tag ?? a.backend, q.ids, docIds, result, Date.now() - t0);
  await run.write(a.out);
  console.log(summary);
  if (q.qrels === undefined) return;
  const ev = evaluate(q.qrels, run.toRun(), a.metrics);
  printMeans(ev);
  for (const w of ev.warnings) console.log(`  note: ${w.message}`);
}

const search: CommandModule<object, SearchArgs> = {
  command: 'search',
  describe: 'Search a store exactly (streaming its shards) or a LanceDB table, with .npy queries or the same encoder over the queries; writes a TREC run',
  builder: (y: Argv) =>
    sourceOptions(y, 'the queries')
      .option('backend', { choices: BACKENDS, default: 'store' as Backend, describe: 'What --store is: a store folder, or a LanceDB table folder (index build --backend lancedb)' })
      .option('store', { type: 'string', demandOption: true, describe: 'The store or LanceDB table folder (index build)' })
      .option('queries', { type: 'string', describe: 'Queries × dim .npy (ids beside it, or --query-ids); or an encoder' })
      .option('query-ids', { type: 'string', describe: 'One id per query row' })
      .option('k', { type: 'number', default: 100, describe: 'Results per query' })
      .option('metric', { choices: ['ip', 'cosine'] as const, default: 'ip' as const, describe: "lancedb: the table's (index build --metric)" })
      .option('threads', { type: 'number', default: 2 })
      .option('shard', { type: 'string', describe: "store: search the shards i with i mod N = I only (I/N, or auto from Slurm's or Kubernetes' variables); gather with merge-runs" })
      .option('out', { type: 'string', demandOption: true, describe: 'The TREC run (.gz for gzip)' })
      .option('tag', { type: 'string', describe: 'TREC run tag (default: the backend, store or lancedb)' })
      .option('verify', { type: 'boolean', default: false, describe: "store: check every shard's SHA-256 first (reads the whole store once more)" })
      .option('metrics', { type: 'string', default: 'RR@10,nDCG@10,R@100', describe: 'With --dataset: measures printed for the run (as search prints them)' })
      .option('exact', { type: 'boolean', default: false, describe: 'lancedb: score every row, ignoring the index (flat search)' })
      .option('nprobes', { type: 'number', describe: 'lancedb: IVF partitions searched per query' })
      .option('refine-factor', { type: 'number', describe: 'lancedb: re-rank refine-factor × k candidates by their exact distance' })
      .option('ef', { type: 'number', describe: 'lancedb ivf_hnsw_sq: candidate list size at query time' })
      .option('concurrency', { type: 'number', default: 4, describe: 'lancedb: queries in flight at once' })
      .example('$0 index search --store corpus.store --queries q.npy --k 100 --out run.trec', 'All shards')
      .example('$0 index search --store corpus.store --queries q.npy --shard 1/4 --out run.1.trec', 'Task 1 of 4; then: $0 merge-runs run.*.trec --k 100 --out run.trec')
      .example('$0 index search --store en.store --model zs.xde --dataset datasets/ddtp-mini/en --out en.trec', "The split's judged queries encoded by the store's model; prints RR@10, nDCG@10, R@100 as search does")
      .example('$0 index search --backend lancedb --store en.lance --metric cosine --nprobes 4 --refine-factor 2 --model zs.xde --dataset datasets/ddtp-mini/en --out ann.trec', 'Through the LanceDB table\'s index')
      .epilog('Runs rank as trec_eval does: score descending, equal scores by docno descending.') as unknown as Argv<SearchArgs>,
  handler: (a) => (a.backend === 'store' ? searchStoreCommand(a) : searchLanceCommand(a)),
};

export const indexCommand: CommandModule = {
  command: 'index <command>',
  describe: 'Embedding indexes: on-disk stores larger than memory (exact search) and LanceDB tables (flat or ANN)',
  builder: (y) => y.command(build as CommandModule).command(search as CommandModule).demandCommand(1),
  handler: () => {},
};
