// Packed f32 documents (packF32): the results of the raw documents bit for bit, whichever path
// they were packed for and whichever path searches them; the argument checks name what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packF32, topK, topKSync, isaPath, ISA_NAMES } from '../src/index.js';
import { randn } from '../src/random.js';

const available = ISA_NAMES.slice(0, ISA_NAMES.indexOf(isaPath()) + 1);

test('packF32 stores each document as given and reports its size', () => {
  const dim = 31;
  const d = randn(70 * dim, 51);
  const p = packF32(d, { dim, threads: 2 });
  assert.equal(p.n, 70);
  assert.equal(p.dim, dim);
  assert.ok(p.bytes >= d.byteLength, `${p.bytes} bytes for ${d.byteLength} float32 bytes`);
  for (const j of [0, 33, 69]) assert.deepEqual(p.row(j), d.subarray(j * dim, (j + 1) * dim));
  assert.throws(() => p.row(70), /j must be < n \(70\)/);
});

test('topK on packed documents gives the raw documents\' ids and scores, packed for and searched on every path', async () => {
  // 800 queries at dim 64 make the query split, 9 the document split; 1,500 documents leave a
  // partial strip and tile on every path; document 3 is zero (cosine 0).
  for (const [m, dim] of [[9, 64], [800, 64], [4, 384]] as const) {
    const q = randn(m * dim, dim + m);
    const d = randn(1500 * dim, dim + m + 1);
    d.fill(0, 3 * dim, 4 * dim);
    for (const packedFor of available) {
      const p = packF32(d, { dim, threads: 2, isa: packedFor });
      for (const isa of available) {
        for (const metric of ['ip', 'cosine'] as const) {
          const opts = { dim, k: 20, metric, threads: 2, isa };
          assert.deepEqual(topKSync(q, p, opts), topKSync(q, d, opts), `m=${m} dim=${dim} packed for ${packedFor}, searched on ${isa}, ${metric}`);
        }
      }
    }
    const p = packF32(d, { dim });
    assert.deepEqual(await topK(q, p, { dim, k: 5, threads: 2 }), topKSync(q, d, { dim, k: 5, threads: 2 }), 'async');
  }
});

test('packF32 and topK refuse bad arguments with errors naming them', () => {
  const d = randn(12, 1);
  assert.throws(() => packF32(d, { dim: 5 }), /docs.length \(12\) is not a multiple of dim \(5\)/);
  assert.throws(() => packF32(d, { dim: 0 }), /dim/);
  assert.throws(() => packF32(new Float64Array(12) as unknown as Float32Array, { dim: 4 }), /docs must be a Float32Array/);
  assert.throws(() => packF32(d, { dim: 4, isa: 'sse9' as never }), /isa/);
  const p = packF32(d, { dim: 4 });
  assert.throws(() => topKSync(randn(6, 2), p, { dim: 6, k: 1 }), /dim \(6\) does not match the packed documents' dim \(4\)/);
});
