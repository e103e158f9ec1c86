// topK / topKSync against a float64 brute force on random data, over shapes, k, metrics,
// threads and every instruction-set path this CPU has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topK, topKSync, isaPath } from '../src/index.js';
import { ISA_NAMES } from '../src/index.js';
import { randn } from '../src/random.js';
import { bruteForceTopK } from '../src/search/brute-force.js';
import { assertSameRanking } from './helpers/same-ranking.js';

const ALL = ISA_NAMES;
const available = ALL.slice(0, ALL.indexOf(isaPath()) + 1);

test('isaPath reports a known path', () => {
  assert.ok(ALL.includes(isaPath()));
});

for (const dim of [16, 64, 7, 33, 100]) {
  test(`dim ${dim} (${dim % 16 === 0 ? '' : 'not '}a multiple of 16): k = 1, 10, 100, ip and cosine, every ISA path`, () => {
    const q = randn(9 * dim, dim);
    const d = randn(523 * dim, dim + 1);
    for (const k of [1, 10, 100]) {
      for (const metric of ['ip', 'cosine'] as const) {
        const ref = bruteForceTopK(q, d, dim, k, metric);
        for (const isa of available) {
          for (const threads of [1, 2]) {
            assertSameRanking(ref, topKSync(q, d, { dim, k, metric, isa, threads }), k, 1e-5, `${isa} k=${k} ${metric} t=${threads}`);
          }
        }
      }
    }
  });
}

test('n < k: n results, then id −1 and score −Infinity', () => {
  const dim = 8;
  const q = randn(3 * dim, 1);
  const d = randn(4 * dim, 2);
  const r = topKSync(q, d, { dim, k: 6 });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual([...r.ids.subarray(i * 6 + 4, i * 6 + 6)], [-1, -1]);
    assert.deepEqual([...r.scores.subarray(i * 6 + 4, i * 6 + 6)], [-Infinity, -Infinity]);
    assert.deepEqual([...r.ids.subarray(i * 6, i * 6 + 4)].sort(), [0, 1, 2, 3]);
  }
});

test('views with a byteOffset are read from their offset, for queries and documents', () => {
  const dim = 12;
  const backing = randn(1 + 5 * dim + 300 * dim, 3);
  const q = backing.subarray(1, 1 + 5 * dim);
  const d = backing.subarray(1 + 5 * dim);
  assert.ok(q.byteOffset > 0 && d.byteOffset > 0);
  const ref = bruteForceTopK(q.slice(), d.slice(), dim, 10, 'ip');
  assertSameRanking(ref, topKSync(q, d, { dim, k: 10 }), 10, 1e-5, 'views');
});

test('the async form gives the same result as the sync form and leaves the event loop free', async () => {
  const dim = 64;
  const q = randn(200 * dim, 4);
  const d = randn(40000 * dim, 5);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const t0 = performance.now();
  const pending = topK(q, d, { dim, k: 10, threads: 2 });
  const asyncResult = await pending;
  const elapsed = performance.now() - t0;
  clearInterval(timer);
  const syncResult = topKSync(q, d, { dim, k: 10, threads: 2 });
  assert.deepEqual(asyncResult.ids, syncResult.ids);
  assert.deepEqual(asyncResult.scores, syncResult.scores);
  // A timer ran while the kernel worked (only possible if the main thread was not blocked).
  if (elapsed > 20) assert.ok(ticks > 0, `no timer tick in ${elapsed.toFixed(1)} ms`);
});

test('results do not depend on the thread count', () => {
  const dim = 24;
  const q = randn(50 * dim, 6);
  const d = randn(5000 * dim, 7);
  const one = topKSync(q, d, { dim, k: 100, threads: 1 });
  for (const threads of [2, 3, 8]) {
    const r = topKSync(q, d, { dim, k: 100, threads });
    assert.deepEqual(r.ids, one.ids, `threads=${threads}`);
    assert.deepEqual(r.scores, one.scores, `threads=${threads}`);
  }
});
