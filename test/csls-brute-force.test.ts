// CSLS retrieval on the native topK (rankTargets) against a brute-force TypeScript reference:
// the full cosine matrix, r_T and r_S as means of the K largest cosines, CSLS = 2·cos − r_T − r_S.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn } from '../src/random.js';
import { cslsRadius, rankTargets, toSpace } from '../src/data/lexicons/induction.js';
import type { Space } from '../src/data/lexicons/induction.js';

const space = (n: number, d: number, seed: number, prefix: string): Space => toSpace({ words: Array.from({ length: n }, (_, i) => `${prefix}${i}`), dim: d, vectors: randn(n * d, seed) });

function cosines(a: Space, b: Space): Float64Array {
  const d = a.dim;
  const m = new Float64Array(a.words.length * b.words.length);
  for (let i = 0; i < a.words.length; i++) for (let j = 0; j < b.words.length; j++) {
    let x = 0;
    for (let t = 0; t < d; t++) x += a.vectors[i * d + t]! * b.vectors[j * d + t]!;
    m[i * b.words.length + j] = x;
  }
  return m;
}

/** Mean of the K largest entries of each row (rows of length `len`). */
function meanTopK(m: Float64Array, len: number, knn: number): Float64Array {
  const rows = m.length / len;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const top = Array.from(m.subarray(i * len, (i + 1) * len)).sort((x, y) => y - x).slice(0, knn);
    out[i] = top.reduce((s, x) => s + x, 0) / knn;
  }
  return out;
}

test('CSLS top-k lists on the native topK equal the brute-force reference', () => {
  const d = 16;
  const knn = 10;
  const k = 5;
  for (const seed of [1, 2, 3]) {
    const src = space(300, d, seed, 's');
    const tgt = space(450, d, 100 + seed, 't');
    const cos = cosines(src, tgt); // 300 × 450
    const rT = meanTopK(cos, 450, knn); // r_T(Wx): each source among targets
    const cosT = new Float64Array(450 * 300);
    for (let i = 0; i < 300; i++) for (let j = 0; j < 450; j++) cosT[j * 300 + i] = cos[i * 450 + j]!;
    const rS = meanTopK(cosT, 300, knn); // r_S(y): each target among sources
    // The radius the native path computes matches the reference in float32.
    const radius = cslsRadius(tgt, src, knn, 2);
    for (let j = 0; j < 450; j++) assert.ok(Math.abs(radius[j]! - rS[j]!) < 1e-5);
    const rows = Array.from({ length: 300 }, (_, i) => i);
    let same = 0;
    const ids = rankTargets(src, tgt, rows, { method: 'csls', knn, k, threads: 2 });
    for (const i of rows) {
      const scored = Array.from({ length: 450 }, (_, j) => ({ j, s: 2 * cos[i * 450 + j]! - rT[i]! - rS[j]! })).sort((x, y) => y.s - x.s || x.j - y.j);
      const got = Array.from(ids.subarray(i * k, (i + 1) * k));
      const want = scored.slice(0, k).map((x) => x.j);
      // topK sums in float32 (a few ulps from the float64 reference): where two reference scores are
      // within 1e-5 their order may differ, and then the listed score must still be the reference's.
      const close = (t: number) => (t > 0 && scored[t - 1]!.s - scored[t]!.s < 1e-5) || scored[t]!.s - scored[t + 1]!.s < 1e-5;
      let identical = true;
      for (let t = 0; t < k; t++) {
        if (got[t] === want[t]) continue;
        identical = false;
        assert.ok(close(t), `seed ${seed} row ${i} rank ${t}: ${got[t]} instead of ${want[t]}`);
        assert.ok(Math.abs(2 * cos[i * 450 + got[t]!]! - rT[i]! - rS[got[t]!]! - scored[t]!.s) < 1e-5);
      }
      if (identical) same++;
    }
    assert.ok(same >= 295, `identical lists in ${same} of 300 rows`);
    // And plain NN is the argmax of the cosine row.
    const nn = rankTargets(src, tgt, rows, { method: 'nn', k: 1 });
    for (const i of rows) {
      let best = 0;
      for (let j = 1; j < 450; j++) if (cos[i * 450 + j]! > cos[i * 450 + best]!) best = j;
      assert.equal(nn[i], best);
    }
  }
});

test('CSLS and NN differ on hubs: CSLS demotes a target close to everything', () => {
  const d = 8;
  // Sources share a common direction e₀; target 0 is e₀: a hub, the nearest target of most sources.
  const srcRaw = randn(200 * d, 7);
  for (let i = 0; i < 200; i++) srcRaw[i * d]! += 3;
  const src = toSpace({ words: Array.from({ length: 200 }, (_, i) => `s${i}`), dim: d, vectors: srcRaw });
  const tgtRaw = randn(200 * d, 8);
  tgtRaw.fill(0, 0, d);
  tgtRaw[0] = 1;
  const tgt = toSpace({ words: Array.from({ length: 200 }, (_, i) => `t${i}`), dim: d, vectors: tgtRaw });
  const rows = Array.from({ length: 200 }, (_, i) => i);
  const count = (ids: Int32Array) => Array.from(ids).filter((j) => j === 0).length;
  const nn = count(rankTargets(src, tgt, rows, { method: 'nn' }));
  const csls = count(rankTargets(src, tgt, rows, { method: 'csls', knn: 10 }));
  assert.ok(nn > 20 && csls < nn, `hub chosen by NN ${nn}, by CSLS ${csls}`);
  assert.throws(() => rankTargets(src, tgt, rows, { method: 'csls', radius: new Float32Array(3) }), { name: 'RangeError', message: 'radius.length (3) must be the number of targets (200)' });
});
