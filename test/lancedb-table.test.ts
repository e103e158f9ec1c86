// LanceVectorTable (src/search/lancedb.ts): LanceDB's flat search equals topK up to near-ties (which
// also pins the distance → score conversion for both metrics); an IVF-PQ index searched at full
// probe count with refinement finds exactly topK's top 10; bad paths, dimensions and index types fail clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { topK } from '../src/search/topk.js';
import { LanceVectorTable } from '../src/search/lancedb.js';
import { randn } from '../src/random.js';
import { assertSameRanking } from './helpers/same-ranking.js';

const n = 3000;
const dim = 32;
const m = 20;
const docs = randn(n * dim, 11);
const queries = randn(m * dim, 12);

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xmr-lancedb-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** topK's k best plus the (k+1)-th score per query, in the shape assertSameRanking takes. */
async function reference(metric: 'ip' | 'cosine', k: number) {
  const r = await topK(queries, docs, { dim, k: k + 1, metric });
  const ids = new Int32Array(m * k);
  const scores = new Float64Array(m * k);
  const next = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      ids[i * k + j] = r.ids[i * (k + 1) + j]!;
      scores[i * k + j] = r.scores[i * (k + 1) + j]!;
    }
    next[i] = r.scores[i * (k + 1) + k]!;
  }
  return { ids, scores, next };
}

for (const metric of ['ip', 'cosine'] as const) {
  test(
    `exact (flat) search through LanceDB equals topK up to near-ties, ${metric}`,
    withDir(async (dir) => {
      const table = await LanceVectorTable.build(dir, docs, { dim, metric });
      assert.equal(table.n, n);
      const k = 10;
      const got = await table.search(queries, { k, exact: true, concurrency: 4 });
      // LanceDB sums in another order than topK: scores agree to float32 rounding.
      assertSameRanking(await reference(metric, k), got, k, 1e-4, `lancedb flat ${metric}`);
      // The table reopened from its folder searches the same.
      const again = await (await LanceVectorTable.open(dir, { metric })).search(queries, { k, exact: true });
      assert.deepEqual(again.ids, got.ids);
    }),
  );
}

test(
  'k larger than the table pads with −1 and −Infinity, as topK does',
  withDir(async (dir) => {
    const table = await LanceVectorTable.build(dir, docs.subarray(0, 5 * dim), { dim });
    const got = await table.search(queries.subarray(0, dim), { k: 7 });
    assert.deepEqual([...got.ids.subarray(5)], [-1, -1]);
    assert.deepEqual([...got.scores.subarray(5)], [-Infinity, -Infinity]);
    assert.deepEqual(new Set(got.ids.subarray(0, 5)), new Set([0, 1, 2, 3, 4]));
  }),
);

test(
  'an IVF-PQ index probed at every partition, refined, reaches recall@10 = 1 against topK',
  withDir(async (dir) => {
    const table = await LanceVectorTable.build(dir, docs, { dim });
    await table.createIndex({ type: 'ivf_pq', numPartitions: 8, numSubVectors: 8 });
    const k = 10;
    const exact = await topK(queries, docs, { dim, k });
    // refineFactor × k = all rows: the PQ candidates are re-scored exactly, so nothing is lost.
    const got = await table.search(queries, { k, nprobes: 8, refineFactor: Math.ceil(n / k) });
    for (let i = 0; i < m; i++) assert.deepEqual(new Set(got.ids.subarray(i * k, (i + 1) * k)), new Set(exact.ids.subarray(i * k, (i + 1) * k)), `query ${i}`);
  }),
);

test(
  'bad table paths, dimension mismatches and unknown index types give clear errors',
  withDir(async (dir) => {
    const missing = path.join(dir, 'nowhere');
    await assert.rejects(LanceVectorTable.open(missing), { name: 'XmrError', code: 'E_MISSING', message: `${missing}: no LanceDB table "vectors" here (write one with xmrbench index build --backend lancedb, or LanceVectorTable.build)` });
    const table = await LanceVectorTable.build(path.join(dir, 't'), docs.subarray(0, 100 * dim), { dim });
    await assert.rejects(table.search(new Float32Array(dim + 1), { k: 3 }), {
      name: 'XmrError',
      code: 'E_CONFIG',
      message: `${path.join(dir, 't')}: the table holds 32-dimensional vectors; queries.length (33) is not a multiple of 32`,
    });
    await assert.rejects(table.createIndex({ type: 'hnsw' as 'ivf_pq', numPartitions: 2 }), { name: 'TypeError', message: 'type must be one of ivf_pq, ivf_hnsw_sq, got hnsw' });
    await assert.rejects(table.createIndex({ type: 'ivf_pq', numPartitions: 2, numSubVectors: 5 }), { name: 'RangeError', message: 'numSubVectors (5) must divide dim (32)' });
    await assert.rejects(LanceVectorTable.build(dir, new Float32Array(10), { dim: 3 }), { name: 'RangeError', message: 'vectors.length (10) is not a multiple of dim (3)' });
  }),
);
