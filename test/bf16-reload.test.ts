// A bf16 buffer reloaded in place (bf16Buffer + Bf16Docs.reload: one native allocation for an
// embedding store's shards, issue 18): every reload — the full capacity, shorter ones after longer
// ones (a store's short last shard), with and without norms — gives exactly toBf16's results on the
// same rows, padding included when k exceeds them; a reload while a topK on the buffer is in flight,
// past the capacity, or with bad arguments, and cosine on documents reloaded without norms, are
// refused with clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn } from '../src/random.js';
import { bf16Buffer, toBf16, topK, topKSync } from '../src/search/topk.js';

const dim = 20;
const capacity = 300;
// bf16 bit patterns: the float32 values' upper halves (any 16 bits are a bf16 value).
const bits = new Uint16Array(new Uint32Array(randn((capacity + 1) * dim, 31).buffer).map((u) => u >>> 16));
const queries = randn(7 * dim, 32);
const rowsOf = (a: number, b: number) => bits.subarray(a * dim, b * dim);

test('a reused bf16 buffer gives toBf16’s results for every reload, longer or shorter, with or without norms', () => {
  const buffer = bf16Buffer(capacity, { dim });
  assert.deepEqual([buffer.n, buffer.capacity, buffer.dim], [0, capacity, dim]);
  // Longest first, then shorter ones over its leftovers: 70 rows (a short last shard), 33 (a strip
  // and a bit), 1, the whole again.
  for (const [a, b] of [[0, 300], [230, 300], [1, 34], [299, 300], [0, 300]] as const) {
    const fresh = toBf16(rowsOf(a, b), { dim });
    for (const metric of ['ip', 'cosine'] as const) {
      assert.equal(buffer.reload(rowsOf(a, b), { threads: 2, norms: metric === 'cosine' }), buffer);
      assert.equal(buffer.n, b - a);
      assert.deepEqual(buffer.row(b - a - 1), fresh.row(b - a - 1));
      for (const k of [5, 40]) {
        const label = `rows ${a}…${b}, ${metric}, k = ${k}`;
        assert.deepEqual(topKSync(queries, buffer, { dim, k, metric, threads: 2 }), topKSync(queries, fresh, { dim, k, metric }), label);
      }
    }
  }
  assert.equal(buffer.capacity, capacity, 'reloads never reallocate');
});

test('reloading while a topK reads the buffer, past its capacity or with bad arguments is refused; cosine needs norms', async () => {
  const buffer = bf16Buffer(capacity, { dim }).reload(rowsOf(0, 100));
  const pending = topK(queries, buffer, { dim, k: 3 });
  assert.throws(() => buffer.reload(rowsOf(100, 200)), { name: 'Error', message: 'the bf16 documents are busy: 1 topk call(s) on them still running; reload once they settle' });
  assert.deepEqual(await pending, topKSync(queries, toBf16(rowsOf(0, 100), { dim }), { dim, k: 3 }), 'the refused reload left the documents alone');
  assert.equal(buffer.reload(rowsOf(100, 200)).n, 100, 'settled: reloads again');

  assert.throws(() => buffer.reload(rowsOf(0, capacity + 1)), { name: 'RangeError', message: 'bits hold 301 rows, more than the buffer\'s capacity of 300' });
  assert.throws(() => buffer.reload(bits.subarray(0, 2 * dim + 3)), { name: 'RangeError', message: `bits.length (${2 * dim + 3}) is not a multiple of dim (${dim})` });
  assert.throws(() => buffer.reload(new Float32Array(dim) as unknown as Uint16Array), { name: 'TypeError', message: 'bits must be a Uint16Array of bf16 bit patterns, got Float32Array' });
  assert.throws(() => buffer.reload(rowsOf(0, 1), { norms: 1 as unknown as boolean }), { name: 'TypeError', message: 'norms must be a boolean, got number' });
  assert.throws(() => bf16Buffer(0, { dim }), { name: 'RangeError', message: 'capacity must be an integer ≥ 1, got 0' });

  buffer.reload(rowsOf(0, 50), { norms: false });
  const noNorms = 'cosine needs the bf16 documents\' norms, and they were reloaded without them (norms: false)';
  assert.throws(() => topKSync(queries, buffer, { dim, k: 3, metric: 'cosine' }), { name: 'Error', message: noNorms });
  await assert.rejects(topK(queries, buffer, { dim, k: 3, metric: 'cosine' }), { name: 'Error', message: noNorms });
  assert.deepEqual(topKSync(queries, buffer, { dim, k: 3 }), topKSync(queries, toBf16(rowsOf(0, 50), { dim }), { dim, k: 3 }), 'inner product needs no norms');
});
