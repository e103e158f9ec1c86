// Lexicon induction from cross-lingual word embeddings: Jacobi SVD, Procrustes, NN and CSLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmix32 } from '../src/random.js';
import { induceLexicon, mapSpace, precisionAt1, procrustes, toSpace } from '../src/data/lexicons/induction.js';
import { jacobiSvd } from '../src/data/lexicons/svd.js';
import { readVec } from '../src/data/lexicons/vec.js';

/** Seeded standard normal draws (Box–Muller over fmix32 counters). */
function normals(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = (fmix32(seed * 7919 + 2 * i) + 1) / 4294967297;
    const u2 = fmix32(seed * 7919 + 2 * i + 1) / 4294967296;
    out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

test('Jacobi SVD reconstructs A = U·Σ·Vᵀ with orthonormal U and V', () => {
  const n = 12;
  const a = normals(n * n, 1);
  const { u, s, v } = jacobiSvd(a, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let rec = 0;
      let uu = 0;
      let vv = 0;
      for (let k = 0; k < n; k++) {
        rec += u[i * n + k]! * s[k]! * v[j * n + k]!;
        uu += u[k * n + i]! * u[k * n + j]!;
        vv += v[k * n + i]! * v[k * n + j]!;
      }
      assert.ok(Math.abs(rec - a[i * n + j]!) < 1e-10);
      assert.ok(Math.abs(uu - (i === j ? 1 : 0)) < 1e-10);
      assert.ok(Math.abs(vv - (i === j ? 1 : 0)) < 1e-10);
    }
  }
  assert.throws(() => jacobiSvd(new Float64Array(5), 2), { name: 'RangeError', message: 'a.length (5) must be n*n (4)' });
});

test('a planted rotation between two random embedding sets is recovered with precision@1 = 1', () => {
  const n = 400;
  const d = 24;
  const x = normals(n * d, 2);
  const { u, v } = jacobiSvd(normals(d * d, 3), d);
  const r = new Float64Array(d * d); // a random orthogonal matrix
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) for (let k = 0; k < d; k++) r[a * d + b]! += u[a * d + k]! * v[b * d + k]!;
  // Target words are stored in another order (a fixed permutation) so row numbers give nothing away.
  const perm = Array.from({ length: n }, (_, i) => i).sort((p, q) => fmix32(p) - fmix32(q));
  const tgtVec = new Float32Array(n * d);
  perm.forEach((srcRow, row) => {
    for (let b = 0; b < d; b++) {
      let y = 0;
      for (let a = 0; a < d; a++) y += x[srcRow * d + a]! * r[a * d + b]!;
      tgtVec[row * d + b] = y;
    }
  });
  const src = toSpace({ words: Array.from({ length: n }, (_, i) => `s${i}`), dim: d, vectors: Float32Array.from(x) });
  const tgt = toSpace({ words: perm.map((i) => `t${i}`), dim: d, vectors: tgtVec });
  const seed = Array.from({ length: 100 }, (_, i) => [`s${i}`, `t${i}`] as const);
  const { w, pairs } = procrustes(src, tgt, seed);
  assert.equal(pairs, 100);
  for (let i = 0; i < d * d; i++) assert.ok(Math.abs(w[i]! - r[i]!) < 1e-4, 'W equals the planted rotation');
  const mapped = mapSpace(src, w);
  const gold = new Map(Array.from({ length: n - 100 }, (_, i) => [`s${i + 100}`, new Set([`t${i + 100}`])]));
  for (const method of ['nn', 'csls'] as const) {
    const lex = induceLexicon(mapped, tgt, { method, knn: 10, threads: 2, words: [...gold.keys()] });
    assert.deepEqual(precisionAt1(lex, gold), { evaluated: 300, hits: 300, p1: 1 }, method);
  }
  // Unaligned, the same search is no better than chance.
  const raw = precisionAt1(induceLexicon(src, tgt, { method: 'nn', words: [...gold.keys()] }), gold);
  assert.ok(raw.p1 < 0.05);
});

test('too few seed pairs, no usable pair, bad .vec files: clear errors', () => {
  const d = 8;
  const mk = (seed: number) => toSpace({ words: Array.from({ length: 20 }, (_, i) => `w${i}`), dim: d, vectors: Float32Array.from(normals(20 * d, seed)) });
  const a = mk(4);
  const b = mk(5);
  assert.throws(() => procrustes(a, b, [['w1', 'w1'], ['w2', 'w2']]), { name: 'RangeError', message: 'the 2 seed pairs span only 2 of 8 dimensions; give at least 8 independent pairs' });
  assert.throws(() => procrustes(a, b, [['x', 'y']]), { name: 'XmrError', message: 'no seed pair has both words in the embeddings' });
  assert.throws(() => induceLexicon(a, b, { method: 'knn' as 'nn' }), { name: 'TypeError', message: 'method must be "nn" or "csls", got "knn"' });
  const dir = mkdtempSync(join(tmpdir(), 'xmr-vec-'));
  try {
    const f = join(dir, 'x.vec');
    assert.throws(() => readVec(f), { message: `${f}: no such file` });
    writeFileSync(f, 'hello world\n');
    assert.throws(() => readVec(f), { message: `${f}:1: expected a "count dim" header` });
    writeFileSync(f, '2 3\ncat 1 2 3\ndog 1 2\n');
    assert.throws(() => readVec(f), { message: `${f}:3: expected a word and 3 numbers, got 3 fields` });
    writeFileSync(f, '2 3\ncat 1 2 3\ndog 1 x 2\n');
    assert.throws(() => readVec(f), { message: `${f}:3: not a number: "x"` });
    writeFileSync(f, '2 3\ncat 1 2 3\ndog 4 5 6\n');
    assert.deepEqual(readVec(f, 1), { words: ['cat'], dim: 3, vectors: new Float32Array([1, 2, 3]) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
