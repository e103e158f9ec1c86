// Every argument error of Bm25Ranker, with its exact message, and the raw binding's own guards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bm25Ranker } from '../src/index.js';
import { native } from '../src/native.js';

const ctor: [string, () => unknown, ErrorConstructor, string][] = [
  ['k1 string', () => new Bm25Ranker({ k1: '1' as unknown as number }), TypeError, 'k1 must be a number, got string'],
  ['k1 negative', () => new Bm25Ranker({ k1: -0.1 }), RangeError, 'k1 must be a finite number ≥ 0, got -0.1'],
  ['b > 1', () => new Bm25Ranker({ b: 1.5 }), RangeError, 'b must be in [0, 1], got 1.5'],
  ['b NaN', () => new Bm25Ranker({ b: NaN }), RangeError, 'b must be in [0, 1], got NaN'],
  ['lengths', () => new Bm25Ranker({ lengths: 'float' as 'exact' }), TypeError, "lengths must be 'lucene' or 'exact', got float"],
  ['threads', () => new Bm25Ranker({ threads: 0 }), RangeError, 'threads must be an integer ≥ 1, got 0'],
  ['batchDocs', () => new Bm25Ranker({ batchDocs: 2.5 }), RangeError, 'batchDocs must be an integer ≥ 1, got 2.5'],
];
for (const [name, fn, type, message] of ctor) {
  test(`bad option: ${name}`, () => {
    assert.throws(fn, (err: unknown) => err instanceof type && (err as Error).message === message);
  });
}

test('search before index, index twice, bad corpus, duplicate ids, bad k and queries', async () => {
  const r = new Bm25Ranker();
  await assert.rejects(r.search([{ id: 'q', text: 'x' }], 1), { name: 'Error', message: 'Bm25Ranker.search needs index(corpus) to have finished first' });
  await assert.rejects(new Bm25Ranker().index(42 as never), { name: 'TypeError', message: 'corpus must be an iterable of {id, text, title?} or a BEIR corpus {ids, titles, texts}' });
  await assert.rejects(new Bm25Ranker().index([{ id: 'a', text: 1 }] as never), { name: 'TypeError', message: 'corpus document 0 must be {id: string, text: string, title?: string}' });
  await assert.rejects(new Bm25Ranker().index([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }]), { name: 'RangeError', message: 'corpus document id "a" appears twice' });
  await r.index([{ id: 'a', text: 'hello world' }]);
  await assert.rejects(r.index([]), { name: 'Error', message: 'Bm25Ranker.index was already called: make a new ranker for another corpus' });
  await assert.rejects(r.search([{ id: 'q', text: 'x' }], 0), { name: 'RangeError', message: 'k must be an integer ≥ 1, got 0' });
  await assert.rejects(r.search([{ id: 'q', text: 'x' }], '3' as unknown as number), { name: 'TypeError', message: 'k must be a number, got string' });
  await assert.rejects(r.search([{ id: 'q' }] as never, 1), { name: 'TypeError', message: 'queries[0] must be {id: string, text: string}' });
  await assert.rejects(r.search('hello' as never, 1), { name: 'TypeError', message: 'queries must be an array of {id, text} or BEIR queries {ids, texts}' });
});

test('the raw binding guards its own arguments (no crash when the wrapper is bypassed)', () => {
  const idx = new (native().Bm25Index)();
  assert.throws(() => idx.add(new Int32Array(2) as unknown as Uint32Array, new Uint32Array([0, 2])), { name: 'TypeError', message: 'terms must be a Uint32Array' });
  assert.throws(() => idx.add(new Uint32Array(2), new Uint32Array([0, 3])), { name: 'RangeError', message: 'offsets[1] (3) exceeds terms.length (2)' });
  assert.throws(() => idx.add(new Uint32Array(2), new Uint32Array([2, 1])), { name: 'RangeError', message: 'offsets must be non-decreasing' });
  assert.throws(() => idx.searchSync(new Uint32Array(0), new Uint32Array([0]), 1, 0.9, 0.4, 'lucene', 1), { name: 'Error', message: 'the BM25 index is not built yet (call finish first)' });
  idx.add(new Uint32Array([0, 5]), new Uint32Array([0, 2]));
  assert.throws(() => idx.finish(5), { name: 'RangeError', message: 'vocab (5) must exceed every term id (the largest is 5)' });
  idx.finish(6);
  assert.throws(() => idx.add(new Uint32Array(0), new Uint32Array([0])), { name: 'Error', message: 'the BM25 index is already built: no documents can be added' });
  assert.throws(() => idx.searchSync(new Uint32Array([0]), new Uint32Array([0, 2]), 1, 0.9, 0.4, 'lucene', 1), { name: 'RangeError', message: 'queryOffsets[1] (2) exceeds queryTerms.length (1)' });
  assert.throws(() => idx.searchSync(new Uint32Array([0]), new Uint32Array([0, 1]), 1, 0.9, 2, 'lucene', 1), { name: 'RangeError', message: 'b must be in [0, 1]' });
  assert.throws(() => idx.searchSync(new Uint32Array([0]), new Uint32Array([0, 1]), 1, 0.9, 0.4, 'byte' as 'exact', 1), { name: 'TypeError', message: "lengths must be 'lucene' or 'exact'" });
  const ok = idx.searchSync(new Uint32Array([5, 99]), new Uint32Array([0, 2]), 2, 0.9, 0.4, 'lucene', 1);
  assert.deepEqual(Array.from(ok.ids), [0, -1]);
});
