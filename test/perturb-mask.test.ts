// Padding masks: rows marked 0 take no part — left out of the l2 norm, δ = 0 there (perturb keeps
// x, project writes 0) — for linf and l2, in one and two threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perturb, perturbation, project } from '../src/index.js';
import { randn } from '../src/random.js';

const dim = 8;
const tokens = 5;
const groupSize = dim * tokens;
// two sequences of 5 tokens: 3 real + 2 padding, then 4 real + 1 padding
const mask = new Uint8Array([1, 1, 1, 0, 0, 1, 1, 1, 1, 0]);

for (const threads of [1, 2]) {
  test(`l2 with a mask (${threads} thread${threads > 1 ? 's' : ''}): the real tokens' δ has norm ε, padding keeps x`, () => {
    const x = randn(groupSize * 2, 1);
    const g = randn(groupSize * 2, 2);
    const opts = { eps: 1.5, norm: 'l2' as const, groupSize, rowSize: dim, mask, threads };
    const out = perturb(x, g, opts);
    const delta = perturbation(g, opts);
    for (let s = 0; s < 2; s++) {
      let dd = 0;
      let gg = 0;
      for (let t = 0; t < tokens; t++) {
        const row = s * tokens + t;
        for (let j = 0; j < dim; j++) {
          const i = row * dim + j;
          if (mask[row]) {
            dd += delta[i]! * delta[i]!;
            gg += g[i]! * g[i]!;
          } else {
            assert.equal(out[i], x[i]);
            assert.equal(delta[i], 0);
          }
        }
      }
      assert.ok(Math.abs(Math.sqrt(dd) - 1.5) < 2e-6);
      for (let t = 0; t < tokens; t++)
        if (mask[s * tokens + t])
          for (let j = 0; j < dim; j++) {
            const i = (s * tokens + t) * dim + j;
            assert.ok(Math.abs(delta[i]! - (1.5 * g[i]!) / Math.sqrt(gg)) < 1e-6);
          }
    }
  });

  test(`linf and project with a mask (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    const x = randn(groupSize * 2, 3);
    const g = randn(groupSize * 2, 4);
    const out = perturb(x, g, { eps: 0.5, norm: 'linf', rowSize: dim, mask, threads });
    for (let i = 0; i < x.length; i++) assert.equal(out[i], mask[Math.floor(i / dim)] ? Math.fround(x[i]! + 0.5 * Math.sign(g[i]!)) : x[i]);
    const p = project(g, { eps: 0.5, norm: 'l2', groupSize, rowSize: dim, mask, threads });
    for (let i = 0; i < g.length; i++) if (!mask[Math.floor(i / dim)]) assert.equal(p[i], 0);
    assert.deepEqual(project(p, { eps: 0.5, norm: 'l2', groupSize, rowSize: dim, mask, threads }), p);
  });
}
