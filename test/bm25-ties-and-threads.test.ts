// BM25 ranking order: ties by the lower corpus index in the ranker's own order, by docno
// descending once it becomes a TREC run (trec_eval's rule); threads and async/sync agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bm25Ranker } from '../src/index.js';

test('equal scores: lower corpus index first; the TREC run puts the larger docno first', async () => {
  const r = new Bm25Ranker();
  await r.index([
    { id: 'b', text: 'red apple' },
    { id: 'c', text: 'green pear' },
    { id: 'a', text: 'red apple' },
  ]);
  const run = await r.search([{ id: 'q', text: 'apple' }], 5);
  assert.deepEqual(run.ranking(0).docIds, ['b', 'a']);
  const trec = run.toRun();
  assert.deepEqual([trec.docnos.get(0), trec.docnos.get(1)], ['b', 'a']);
  const r2 = new Bm25Ranker();
  await r2.index([
    { id: 'a', text: 'red apple' },
    { id: 'b', text: 'red apple' },
  ]);
  const run2 = await r2.search([{ id: 'q', text: 'apple' }], 5);
  assert.deepEqual(run2.ranking(0).docIds, ['a', 'b']);
  const trec2 = run2.toRun();
  assert.deepEqual([trec2.docnos.get(0), trec2.docnos.get(1)], ['b', 'a']);
});

test('1 and 2 threads, search and searchSync, small and large document batches give the same run', async () => {
  const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon'.split(' ');
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const docs = Array.from({ length: 400 }, (_, i) => ({
    id: `doc${i}`,
    text: Array.from({ length: 3 + Math.floor(rand() * 30) }, () => words[Math.floor(rand() * rand() * words.length)]).join(' '),
  }));
  const queries = Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, text: `${words[i % 20]} ${words[(i * 7) % 20]}` }));
  const one = new Bm25Ranker({ threads: 1, batchDocs: 1000 });
  const two = new Bm25Ranker({ threads: 2, batchDocs: 33 });
  await one.index(docs);
  await two.index(docs);
  const a = await one.search(queries, 20);
  const b = await two.search(queries, 20);
  const c = two.searchSync(queries, 20);
  assert.deepEqual(a.docIds, b.docIds);
  assert.deepEqual(a.scores, b.scores);
  assert.deepEqual(b.docIds, c.docIds);
  assert.deepEqual(a.offsets, c.offsets);
});

test("lengths 'exact' differs from Lucene's quantised lengths only for documents of 24+ tokens", async () => {
  const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ') + ' target';
  const docs = [{ id: 'long', text: long }, { id: 'short', text: 'target here' }];
  const lucene = new Bm25Ranker();
  const exact = new Bm25Ranker({ lengths: 'exact' });
  await lucene.index(docs);
  await exact.index(docs);
  const l = lucene.searchSync([{ id: 'q', text: 'target' }], 2).ranking(0);
  const e = exact.searchSync([{ id: 'q', text: 'target' }], 2).ranking(0);
  assert.equal(l.scores[0], e.scores[0]); // "short": dl 2 is stored exactly
  assert.ok(l.scores[1]! > e.scores[1]!); // "long": dl 101 is stored as 96 (SmallFloat.intToByte4)
  const avgdl = 103 / 2;
  const idf = Math.log(1 + 0.5 / 2.5);
  assert.ok(Math.abs(l.scores[1]! - idf / (1 + 0.9 * (0.6 + (0.4 * 96) / avgdl))) < 1e-6);
  assert.ok(Math.abs(e.scores[1]! - idf / (1 + 0.9 * (0.6 + (0.4 * 101) / avgdl))) < 1e-6);
});
