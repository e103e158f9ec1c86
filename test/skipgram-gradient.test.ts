// The skip-gram step is SGD on L = −log σ(v·u₀) − Σ_{t≥1} log σ(−v·u_t): its loss matches a double
// reference, and its updates (old − new)/α equal ∂L/∂v and ∂L/∂u_t by central finite differences, on
// every ISA path this CPU has, for sizes with and without a vector tail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ISA_NAMES } from '../src/args.js';
import { native } from '../src/native.js';
import { randn } from '../src/random.js';
import { skipgramStep } from '../src/wordvec/skipgram.js';

const isas = ISA_NAMES.slice(0, ISA_NAMES.indexOf(native().isa) + 1).filter((i) => i !== 'avx512-bf16');

function referenceLoss(v: Float32Array, u: Float32Array): number {
  const d = v.length;
  let loss = 0;
  for (let t = 0; t < u.length / d; t++) {
    let f = 0;
    for (let j = 0; j < d; j++) f += v[j]! * u[t * d + j]!;
    const x = t === 0 ? f : -f;
    loss += Math.log1p(Math.exp(-x));
  }
  return loss;
}

const lossAt = (v: Float32Array, u: Float32Array, isa: (typeof isas)[number]): number => skipgramStep(Float32Array.from(v), Float32Array.from(u), 0, isa);

for (const isa of isas) {
  for (const dim of [7, 16, 37]) {
    test(`skip-gram step on ${isa}, dim ${dim}: loss as the reference, updates are −α·∇L by finite differences`, () => {
      const k = 4;
      const v = randn(dim, dim);
      const u = randn(k * dim, dim + 1);
      for (const a of [v, u]) for (let i = 0; i < a.length; i++) a[i] = a[i]! * 0.4;
      const loss = lossAt(v, u, isa);
      assert.ok(Math.abs(loss - referenceLoss(v, u)) < 1e-5 * Math.max(1, loss), `loss ${loss} vs ${referenceLoss(v, u)}`);

      const v1 = Float32Array.from(v);
      const u1 = Float32Array.from(u);
      const alpha = 1;
      assert.equal(skipgramStep(v1, u1, alpha, isa), loss);
      const h = 1e-2;
      const check = (which: 'v' | 'u', i: number, stepGrad: number): void => {
        const plus = [Float32Array.from(v), Float32Array.from(u)] as const;
        const minus = [Float32Array.from(v), Float32Array.from(u)] as const;
        const idx = which === 'v' ? 0 : 1;
        plus[idx][i] = plus[idx][i]! + h;
        minus[idx][i] = minus[idx][i]! - h;
        const fd = (lossAt(plus[0], plus[1], isa) - lossAt(minus[0], minus[1], isa)) / (2 * h);
        assert.ok(Math.abs(fd - stepGrad) < 2e-4 + 1e-3 * Math.abs(fd), `∂L/∂${which}[${i}]: finite differences ${fd}, step ${stepGrad}`);
      };
      for (let j = 0; j < dim; j++) check('v', j, (v[j]! - v1[j]!) / alpha);
      for (let i = 0; i < k * dim; i++) check('u', i, (u[i]! - u1[i]!) / alpha);
    });
  }
}

test('skipgramStep checks its arguments', () => {
  assert.throws(() => skipgramStep(new Float32Array(3), new Float32Array(4), 0.1), { name: 'RangeError', message: 'u.length (4) must be a positive multiple of v.length (3)' });
  assert.throws(() => skipgramStep(new Float32Array(3), new Float32Array(3), NaN), { name: 'RangeError', message: 'alpha must be a finite number, got NaN' });
  assert.throws(() => skipgramStep(new Float32Array(3), new Float32Array(3), 0.1, 'sse' as never), { name: 'TypeError', message: 'isa must be one of auto, scalar, avx2, avx512, avx512-bf16, got sse' });
});
