// bf16 document storage: within bf16 rounding of float32, and exactly the float32 ranking when
// the inputs are bf16-representable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toBf16, topK, topKSync, isaPath } from '../src/index.js';
import { ISA_NAMES } from '../src/index.js';
import { randn } from '../src/random.js';
import { bruteForceTopK } from '../src/search/brute-force.js';
import { assertSameRanking } from './helpers/same-ranking.js';

const ALL = ISA_NAMES;
const available = ALL.slice(0, ALL.indexOf(isaPath()) + 1);

/** Rounds float32 to the nearest bf16 (ties to even), as float32. */
function roundBf16(a: Float32Array): Float32Array {
  const u = new Uint32Array(a.slice().buffer);
  for (let i = 0; i < u.length; i++) u[i] = ((u[i]! + 0x7fff + ((u[i]! >>> 16) & 1)) & 0xffff0000) >>> 0;
  return new Float32Array(u.buffer);
}

test('toBf16 halves the memory and stores each coordinate rounded to bf16', () => {
  const dim = 64;
  const d = randn(1000 * dim, 21);
  const b = toBf16(d, { dim });
  assert.equal(b.n, 1000);
  assert.equal(b.dim, dim);
  assert.ok(b.bytes < d.byteLength * 0.6, `${b.bytes} bytes for ${d.byteLength} float32 bytes`);
  assert.deepEqual(b.row(17), roundBf16(d.subarray(17 * dim, 18 * dim)));
});

test('toBf16 keeps bf16 bit patterns given as a Uint16Array: the same stored rows and ranking as from float32', () => {
  for (const dim of [31, 64]) {
    const d = randn(300 * dim, 22);
    const bits = new Uint16Array(new Uint32Array(roundBf16(d).buffer).map((u) => u >>> 16));
    const fromBits = toBf16(bits, { dim, threads: 2 });
    const fromF32 = toBf16(d, { dim });
    assert.equal(fromBits.n, 300);
    for (const j of [0, 17, 299]) assert.deepEqual(fromBits.row(j), fromF32.row(j));
    const q = randn(5 * dim, 23);
    for (const metric of ['ip', 'cosine'] as const) assert.deepEqual(topKSync(q, fromBits, { dim, k: 7, metric }), topKSync(q, fromF32, { dim, k: 7, metric }));
  }
});

for (const dim of [16, 31, 128]) {
  test(`bf16 on bf16-representable data ranks as float64 does (dim ${dim}, ip and cosine, every path)`, () => {
    const q = roundBf16(randn(7 * dim, dim));
    const d = roundBf16(randn(700 * dim, dim + 100));
    const b = toBf16(d, { dim, threads: 2 });
    for (const metric of ['ip', 'cosine'] as const) {
      for (const k of [1, 10, 100]) {
        const ref = bruteForceTopK(q, d, dim, k, metric);
        for (const isa of available) assertSameRanking(ref, topKSync(q, b, { dim, k, metric, isa }), k, 1e-5, `${isa} ${metric} k=${k}`);
      }
    }
  });
}

test('bf16 scores on arbitrary data are within bf16 rounding of float32', () => {
  const dim = 96;
  const q = randn(20 * dim, 31);
  const d = randn(2000 * dim, 32);
  const b = toBf16(d, { dim });
  const f = topKSync(q, d, { dim, k: 2000 });
  const h = topKSync(q, b, { dim, k: 2000 });
  // Map scores by document and compare: |Δ| ≤ 2⁻⁷·Σ|qᵢdᵢ| bounds the rounding of both operands.
  for (let i = 0; i < 20; i++) {
    const exact = new Map<number, number>();
    for (let j = 0; j < 2000; j++) exact.set(f.ids[i * 2000 + j]!, f.scores[i * 2000 + j]!);
    for (let j = 0; j < 2000; j++) {
      const id = h.ids[i * 2000 + j]!;
      let abs = 0;
      for (let p = 0; p < dim; p++) abs += Math.abs(q[i * dim + p]! * d[id * dim + p]!);
      assert.ok(Math.abs(h.scores[i * 2000 + j]! - exact.get(id)!) <= abs / 128, `query ${i} doc ${id}`);
    }
  }
});

test('the async form accepts bf16 documents', async () => {
  const dim = 8;
  const d = roundBf16(randn(100 * dim, 41));
  const q = roundBf16(randn(2 * dim, 42));
  const r = await topK(q, toBf16(d, { dim }), { dim, k: 5 });
  assertSameRanking(bruteForceTopK(q, d, dim, 5, 'ip'), r, 5, 1e-5, 'async bf16');
});
