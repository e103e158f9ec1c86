/**
 * LanceDB (https://lancedb.github.io/lancedb/; the engine embedded in-process, no server) as a
 * vector-search backend: a table of n×dim float32 rows in a folder, searched exactly (flat: every
 * row scored) or through one of its ANN indexes (IVF-PQ, IVF-HNSW-SQ). Results have {@link topK}'s
 * shape (m×k row indexes and scores, best first), so `rankedRunFromTopK` makes a ranked run of them
 * and every measure and paired test of xmrbench applies to them unchanged.
 *
 * Scores: LanceDB ranks by a distance, smallest first. Its `dot` distance is 1 − q·d and its
 * `cosine` distance 1 − cos(q, d) (lance's distance kernels; the tests pin both against `topK`), so
 * xmrbench's score is 1 − distance for both metrics. After a quantising index without refinement the
 * distances are the index's approximations, not exact scores.
 * Ties (equal distances) are broken here by the lower row, as `topK` does; LanceDB may return a
 * different member of a tie at the k-th place.
 * Index training (k-means, PQ codebooks) is not seeded: LanceDB exposes no seed, so two builds of
 * one index may differ slightly in recall.
 *
 * @lancedb/lancedb and apache-arrow are imported on first use, never at start-up.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { float32, oneOf, positiveInteger } from '../args.js';
import { XmrError } from '../errors.js';
import type { Metric, TopKResult } from './topk.js';

/** The table's name inside its folder (a LanceDB database directory). */
const TABLE = 'vectors';
const METRICS: readonly Metric[] = ['ip', 'cosine'];
/** xmrbench metric → LanceDB distance type. */
const DISTANCE = { ip: 'dot', cosine: 'cosine' } as const;
export const LANCE_INDEX_TYPES = ['ivf_pq', 'ivf_hnsw_sq'] as const;
export type LanceIndexType = (typeof LANCE_INDEX_TYPES)[number];

export interface LanceIndexSpec {
  type: LanceIndexType;
  /** IVF partitions (k-means centroids). */
  numPartitions: number;
  /** ivf_pq: sub-vectors of the product quantiser (dim must be a multiple). */
  numSubVectors?: number;
  /** ivf_hnsw_sq: neighbours per graph node; LanceDB's default 20. */
  m?: number;
  /** ivf_hnsw_sq: candidate list while building; LanceDB's default 300. */
  efConstruction?: number;
}

export interface LanceSearchOptions {
  k: number;
  /** Score every row, ignoring any index (LanceDB's flat search). Default false. */
  exact?: boolean;
  /** IVF partitions searched per query. */
  nprobes?: number;
  /** Re-rank refineFactor × k candidates by their exact distance. */
  refineFactor?: number;
  /** HNSW candidate list size at query time. */
  ef?: number;
  /** Queries in flight at once; default 1. */
  concurrency?: number;
}

type LanceTable = import('@lancedb/lancedb').Table;

export class LanceVectorTable {
  private constructor(
    /** The table's folder. */
    readonly folder: string,
    readonly dim: number,
    readonly metric: Metric,
    /** Rows in the table. */
    readonly n: number,
    private readonly table: LanceTable,
  ) {}

  /** Writes n×dim row-major `vectors` as a new table in `folder` (replacing one there). */
  static async build(folder: string, vectors: Float32Array, options: { dim: number; metric?: Metric }): Promise<LanceVectorTable> {
    const dim = positiveInteger(options.dim, 'dim');
    const metric = oneOf(options.metric ?? 'ip', 'metric', METRICS);
    float32(vectors, 'vectors');
    if (vectors.length % dim !== 0) throw new RangeError(`vectors.length (${vectors.length}) is not a multiple of dim (${dim})`);
    const n = vectors.length / dim;
    const lancedb = await import('@lancedb/lancedb');
    // LanceDB is CommonJS and checks `instanceof Table` against the CommonJS build of apache-arrow;
    // an ESM import would load the package's other build, whose tables it silently reads as empty.
    const arrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
    // Arrow columns over the caller's floats (no per-row arrays): a fixed-size list of dim float32.
    const item = new arrow.Field('item', new arrow.Float32(), true);
    const child = arrow.makeData({ type: new arrow.Float32(), length: n * dim, nullCount: 0, data: vectors });
    const list = arrow.makeData({ type: new arrow.FixedSizeList(dim, item), length: n, nullCount: 0, child });
    const rows = arrow.makeData({ type: new arrow.Int32(), length: n, nullCount: 0, data: Int32Array.from({ length: n }, (_, i) => i) });
    const data = new arrow.Table({ row: arrow.makeVector(rows), vector: arrow.makeVector(list) });
    const db = await lancedb.connect(folder);
    const table = await db.createTable(TABLE, data, { mode: 'overwrite' });
    return new LanceVectorTable(folder, dim, metric, n, table);
  }

  /** Opens the table `build` wrote in `folder`, to be searched with `metric` (default 'ip'). */
  static async open(folder: string, options: { metric?: Metric } = {}): Promise<LanceVectorTable> {
    const metric = oneOf(options.metric ?? 'ip', 'metric', METRICS);
    if (!existsSync(path.join(folder, `${TABLE}.lance`))) throw new XmrError('E_MISSING', `no LanceDB table "${TABLE}" here (write one with xmrbench index build --backend lancedb, or LanceVectorTable.build)`, { file: folder });
    const lancedb = await import('@lancedb/lancedb');
    const table = await (await lancedb.connect(folder)).openTable(TABLE);
    const field = (await table.schema()).fields.find((f) => f.name === 'vector');
    const dim = (field?.type as { listSize?: number } | undefined)?.listSize;
    if (dim === undefined) throw new XmrError('E_PARSE', `table "${TABLE}" has no fixed-size "vector" column`, { file: folder });
    return new LanceVectorTable(folder, dim, metric, await table.countRows(), table);
  }

  /** Builds (or replaces) the table's vector index. */
  async createIndex(spec: LanceIndexSpec): Promise<void> {
    if (spec === null || typeof spec !== 'object') throw new TypeError('spec must be an object with type and numPartitions');
    const type = oneOf(spec.type, 'type', LANCE_INDEX_TYPES);
    const numPartitions = positiveInteger(spec.numPartitions, 'numPartitions');
    const { Index } = await import('@lancedb/lancedb');
    const distanceType = DISTANCE[this.metric];
    let config;
    if (type === 'ivf_pq') {
      const numSubVectors = positiveInteger(spec.numSubVectors, 'numSubVectors');
      if (this.dim % numSubVectors !== 0) throw new RangeError(`numSubVectors (${numSubVectors}) must divide dim (${this.dim})`);
      config = Index.ivfPq({ distanceType, numPartitions, numSubVectors });
    } else {
      config = Index.hnswSq({
        distanceType,
        numPartitions,
        ...(spec.m === undefined ? {} : { m: positiveInteger(spec.m, 'm') }),
        ...(spec.efConstruction === undefined ? {} : { efConstruction: positiveInteger(spec.efConstruction, 'efConstruction') }),
      });
    }
    await this.table.createIndex('vector', { config, replace: true });
  }

  /** The k best rows for each of the m×dim row-major `queries`, best first (k > n pads with −1 / −Infinity, as topK does). */
  async search(queries: Float32Array, options: LanceSearchOptions): Promise<TopKResult> {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with k');
    float32(queries, 'queries');
    const k = positiveInteger(options.k, 'k');
    const concurrency = options.concurrency === undefined ? 1 : positiveInteger(options.concurrency, 'concurrency');
    const nprobes = options.nprobes === undefined ? undefined : positiveInteger(options.nprobes, 'nprobes');
    const refine = options.refineFactor === undefined ? undefined : positiveInteger(options.refineFactor, 'refineFactor');
    const ef = options.ef === undefined ? undefined : positiveInteger(options.ef, 'ef');
    if (queries.length % this.dim !== 0)
      throw new XmrError('E_CONFIG', `the table holds ${this.dim}-dimensional vectors; queries.length (${queries.length}) is not a multiple of ${this.dim}`, { file: this.folder });
    const m = queries.length / this.dim;
    const ids = new Int32Array(m * k).fill(-1);
    const scores = new Float32Array(m * k).fill(-Infinity);
    const one = async (i: number) => {
      let q = this.table.vectorSearch(queries.subarray(i * this.dim, (i + 1) * this.dim)).distanceType(DISTANCE[this.metric]).select(['row', '_distance']).limit(k);
      if (options.exact) q = q.bypassVectorIndex();
      if (nprobes !== undefined) q = q.nprobes(nprobes);
      if (refine !== undefined) q = q.refineFactor(refine);
      if (ef !== undefined) q = q.ef(ef);
      const hits = (await q.toArray()) as { row: number; _distance: number }[];
      hits.sort((a, b) => a._distance - b._distance || a.row - b.row);
      hits.forEach((h, j) => {
        ids[i * k + j] = h.row;
        scores[i * k + j] = 1 - h._distance;
      });
    };
    for (let start = 0; start < m; start += concurrency) await Promise.all(Array.from({ length: Math.min(concurrency, m - start) }, (_, j) => one(start + j)));
    return { ids, scores };
  }
}
