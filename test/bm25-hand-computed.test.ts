// BM25 (Lucene ≥ 8 form, k1 = 0.9, b = 0.4) on a four-document corpus, against values worked by
// hand from the formula idf·tf/(tf + k1·(1 − b + b·dl/avgdl)), idf = ln(1 + (N − df + 0.5)/(df + 0.5)).
//
// After English analysis (Lucene stopwords, Porter stemming, possessive 's removed):
//   d1 "The cat sat on the mat."        → cat sat mat            dl 3
//   d2 "Dogs and cats: a dog's life."   → dog cat dog life       dl 4
//   d3 "A mat for a dog"                → mat dog                dl 2
//   d4 "The and of"                     → (nothing)              dl 0, not counted in N
// N = 3, Σ dl = 9, avgdl = 3; df: cat 2, sat 1, mat 2, dog 2, life 1.
// idf(df 2) = ln(1.6) = 0.47000362924573563, idf(df 1) = ln(8/3) = 0.9808292530117262.
// Length norms k1·(1 − b + b·dl/avgdl): dl 2 → 0.78, dl 3 → 0.9, dl 4 → 1.02.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bm25Ranker } from '../src/index.js';

const corpus = [
  { id: 'd1', text: 'The cat sat on the mat.' },
  { id: 'd2', text: "Dogs and cats: a dog's life." },
  { id: 'd3', text: 'A mat for a dog' },
  { id: 'd4', text: 'The and of' },
];

async function ranker(): Promise<Bm25Ranker> {
  const r = new Bm25Ranker();
  await r.index(corpus);
  return r;
}

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.abs(expected), `${actual} ≉ ${expected}`);
}

test('index statistics: N counts documents with a token, avgdl = Σ dl / N', async () => {
  const r = await ranker();
  const s = r.stats;
  assert.equal(s.docs, 4);
  assert.equal(s.docCount, 3);
  assert.equal(s.sumTotalTermFreq, 9);
  assert.equal(s.avgdl, 3);
  assert.equal(s.vocab, 5);
  assert.deepEqual(s.analyzer, { language: 'en', stemmer: 'porter', stopwords: 'lucene' });
  assert.deepEqual(['cat', 'sat', 'mat', 'dog', 'life', 'the'].map((t) => r.docFreq(t)), [2, 1, 2, 2, 1, 0]);
  assert.deepEqual([0, 1, 2, 3].map((d) => r.docLength(d)), [3, 4, 2, 0]);
});

test('"cat": tf 1 in d1 (dl 3) and d2 (dl 4)', async () => {
  const run = await (await ranker()).search([{ id: 'q', text: 'cat' }], 10);
  const { docIds, scores } = run.ranking(0);
  assert.deepEqual(docIds, ['d1', 'd2']);
  near(scores[0]!, 0.47000362924573563 / (1 + 0.9)); // 0.24737033118196614
  near(scores[1]!, 0.47000362924573563 / (1 + 1.02)); // 0.23267506398303744
});

test('"dogs life": two terms summed; d2 has dog twice', async () => {
  const run = await (await ranker()).search([{ id: 'q', text: 'dogs life' }], 10);
  const { docIds, scores } = run.ranking(0);
  assert.deepEqual(docIds, ['d2', 'd3']);
  near(scores[0]!, (0.47000362924573563 * 2) / (2 + 1.02) + 0.9808292530117262 / (1 + 1.02)); // 0.7968197177641114
  near(scores[1]!, 0.47000362924573563 / (1 + 0.78)); // 0.2640469827223234
});

test('a repeated query term counts twice (qtf, as Anserini boosts it)', async () => {
  const run = await (await ranker()).search([{ id: 'q', text: 'mat mat' }], 10);
  const { docIds, scores } = run.ranking(0);
  assert.deepEqual(docIds, ['d3', 'd1']);
  near(scores[0]!, 0.5280939654446468);
  near(scores[1]!, 0.49474066236393227);
});

test('k cuts the ranking; stopword-only and unknown queries match nothing', async () => {
  const r = await ranker();
  const run = await r.search([{ id: 'a', text: 'cat' }, { id: 'b', text: 'the of' }, { id: 'c', text: 'zebra' }], 1);
  assert.deepEqual(run.ranking(0).docIds, ['d1']);
  assert.deepEqual(run.ranking(1).docIds, []);
  assert.deepEqual(run.ranking(2).docIds, []);
  assert.deepEqual(run.notes, ['2 of 3 queries matched no document (no query term is in the index)']);
  assert.equal(run.queryMs.length, 3);
  assert.ok(run.queryMs.every((t) => t >= 0));
});

test('k1 and b are used as given (k1 = 1.2, b = 0.75)', async () => {
  const r = new Bm25Ranker({ k1: 1.2, b: 0.75 });
  await r.index(corpus);
  const { docIds, scores } = r.searchSync([{ id: 'q', text: 'cat' }], 10).ranking(0);
  assert.deepEqual(docIds, ['d1', 'd2']);
  near(scores[0]!, 0.47000362924573563 / (1 + 1.2)); // dl = avgdl: the norm is k1
  near(scores[1]!, 0.47000362924573563 / (1 + 1.2 * (0.25 + (0.75 * 4) / 3)));
});
