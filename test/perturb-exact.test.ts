// perturb / perturbation: linf moves every element by exactly ε·sign(g) (one float32 rounding),
// l2 gives each group a perturbation of norm ε along g, zero gradients stay zero — on every ISA
// path this CPU has, 1 and 2 threads, views with a byteOffset, and the `out` forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isaPath, perturb, perturbation } from '../src/index.js';
import { randn } from '../src/random.js';
import type { IsaName } from '../src/index.js';

const ALL: IsaName[] = ['scalar', 'avx2', 'avx512'];
const isas = ALL.slice(0, ALL.indexOf(isaPath() === 'avx512-bf16' ? 'avx512' : isaPath()) + 1);
const sign = (g: number) => (g > 0 ? 1 : g < 0 ? -1 : 0);

function withZeros(n: number, seed: number): Float32Array {
  const g = randn(n, seed);
  for (let i = 0; i < n; i += 5) g[i] = 0;
  if (n > 3) g[3] = -0;
  return g;
}

for (const isa of isas) {
  for (const threads of [1, 2]) {
    test(`linf (${isa}, ${threads} thread${threads > 1 ? 's' : ''}): x + ε·sign(g) exactly; sign(0) = 0`, () => {
      const n = 100_003;
      const x = randn(n, 1);
      const g = withZeros(n, 2);
      const eps = 0.01;
      const out = perturb(x, g, { eps, norm: 'linf', threads, isa });
      const delta = perturbation(g, { eps, norm: 'linf', threads, isa });
      const e = Math.fround(eps);
      for (let i = 0; i < n; i++) {
        const want = Math.fround(x[i]! + e * sign(g[i]!));
        if (out[i] !== want) assert.fail(`element ${i}: ${out[i]} !== ${want}`);
        if (delta[i] !== e * sign(g[i]!)) assert.fail(`δ element ${i}: ${delta[i]}`);
        if (g[i] === 0 && !Object.is(out[i], x[i])) assert.fail(`element ${i} has a zero gradient but moved`);
      }
    });

    test(`l2 (${isa}, ${threads} thread${threads > 1 ? 's' : ''}): each group's δ has norm ε and points along g; a zero group stays zero`, () => {
      const groupSize = 64 * 12;
      const groups = 9;
      const x = randn(groupSize * groups, 3);
      const g = randn(groupSize * groups, 4);
      g.fill(0, 2 * groupSize, 3 * groupSize);
      const eps = 0.5;
      const delta = perturbation(g, { eps, norm: 'l2', groupSize, threads, isa });
      const out = perturb(x, g, { eps, norm: 'l2', groupSize, threads, isa });
      for (let k = 0; k < groups; k++) {
        let dd = 0;
        let gg = 0;
        for (let i = k * groupSize; i < (k + 1) * groupSize; i++) {
          dd += delta[i]! * delta[i]!;
          gg += g[i]! * g[i]!;
        }
        if (k === 2) {
          assert.equal(dd, 0);
          for (let i = k * groupSize; i < (k + 1) * groupSize; i++) assert.ok(Object.is(out[i], x[i]));
          continue;
        }
        assert.ok(Math.abs(Math.sqrt(dd) - eps) < 1e-6 * eps, `group ${k}: ‖δ‖ = ${Math.sqrt(dd)}`);
        for (let i = k * groupSize; i < (k + 1) * groupSize; i++) {
          const want = (eps * g[i]!) / Math.sqrt(gg);
          if (Math.abs(delta[i]! - want) > 1e-7) assert.fail(`δ element ${i}: ${delta[i]} vs ${want}`);
          if (Math.abs(out[i]! - (x[i]! + want)) > 1e-6 * (1 + Math.abs(x[i]!))) assert.fail(`x+δ element ${i}`);
        }
      }
    });
  }
}

test('out: written in place or into a given array, views with a byteOffset honoured', () => {
  const n = 1000;
  const backing = new Float32Array(n + 8);
  const x = backing.subarray(3, 3 + n);
  x.set(randn(n, 5));
  const copy = Float32Array.from(x);
  const g = withZeros(n, 6);
  const out = new Float32Array(n);
  assert.equal(perturb(x, g, { eps: 0.25, norm: 'linf', out }), out);
  const same = perturb(x, g, { eps: 0.25, norm: 'linf', out: x });
  assert.equal(same, x);
  assert.deepEqual(x, out);
  for (let i = 0; i < n; i++) assert.equal(x[i], Math.fround(copy[i]! + 0.25 * sign(g[i]!)));
  assert.equal(backing[0], 0);
  assert.equal(backing[3 + n], 0);
  const fresh = perturb(copy, g, { eps: 0.25, norm: 'linf' });
  assert.notEqual(fresh, copy);
  assert.deepEqual(fresh, out);
});

test('NaN in a gradient propagates: its element for linf, its group for l2', () => {
  const x = new Float32Array([1, 2, 3, 4]);
  const g = new Float32Array([NaN, 1, -1, 0]);
  assert.deepEqual(Array.from(perturb(x, g, { eps: 1, norm: 'linf' })), [NaN, 3, 2, 4]);
  const l2 = perturb(x, g, { eps: 1, norm: 'l2', groupSize: 2 });
  assert.ok(Number.isNaN(l2[0]) && Number.isNaN(l2[1]));
  assert.ok(Math.abs(l2[2]! - (3 - 1)) < 1e-6 && l2[3] === 4);
});
