// project: the ε-ball projection of PGD — linf clamps, l2 rescales only groups outside the ball —
// idempotent bit for bit; a PGD step composed from perturb and project stays in the ball.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perturb, project } from '../src/index.js';
import { randn } from '../src/random.js';

function norms(a: Float32Array, groupSize: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < a.length / groupSize; k++) {
    let s = 0;
    for (let i = k * groupSize; i < (k + 1) * groupSize; i++) s += a[i]! * a[i]!;
    out.push(Math.sqrt(s));
  }
  return out;
}

test('linf: every element clamped to [−ε, ε]; projecting again changes nothing', () => {
  const d = randn(50_000, 1);
  for (const threads of [1, 2]) {
    const once = project(d, { eps: 0.5, norm: 'linf', threads });
    for (let i = 0; i < d.length; i++) assert.equal(once[i], Math.min(Math.fround(0.5), Math.max(-Math.fround(0.5), d[i]!)));
    assert.deepEqual(project(once, { eps: 0.5, norm: 'linf', threads }), once);
  }
});

test('l2: groups outside the ball get norm ε, groups inside are unchanged, idempotent bit for bit', () => {
  const groupSize = 300;
  const d = randn(groupSize * 20, 2);
  for (let k = 0; k < 20; k += 4) for (let i = k * groupSize; i < (k + 1) * groupSize; i++) d[i]! *= 0.01;
  const eps = 2;
  for (const threads of [1, 2]) {
    const once = project(d, { eps, norm: 'l2', groupSize, threads });
    const before = norms(d, groupSize);
    const after = norms(once, groupSize);
    before.forEach((b, k) => {
      if (b <= eps) assert.deepEqual(once.subarray(k * groupSize, (k + 1) * groupSize), d.subarray(k * groupSize, (k + 1) * groupSize));
      else assert.ok(after[k]! <= eps && after[k]! > eps * (1 - 1e-6), `group ${k}: ${after[k]}`);
    });
    const twice = project(once, { eps, norm: 'l2', groupSize, threads });
    assert.deepEqual(new Uint32Array(twice.buffer), new Uint32Array(once.buffer));
    const inPlace = Float32Array.from(once);
    project(inPlace, { eps, norm: 'l2', groupSize, threads, out: inPlace });
    assert.deepEqual(inPlace, once);
  }
});

test('a PGD step: δ ← Π_ε(δ + α·sign(g)) stays in the ball over many steps', () => {
  const groupSize = 128;
  let delta: Float32Array = new Float32Array(groupSize * 4);
  for (let step = 0; step < 10; step++) {
    const g = randn(delta.length, 100 + step);
    delta = project(perturb(delta, g, { eps: 0.3, norm: 'linf' }), { eps: 1, norm: 'l2', groupSize });
    for (const n of norms(delta, groupSize)) assert.ok(n <= 1 + 1e-12);
  }
  const linf = project(perturb(new Float32Array(8), new Float32Array([1, -1, 1, -1, 0, 1, 1, 1]), { eps: 0.75, norm: 'linf' }), { eps: 0.5, norm: 'linf' });
  assert.deepEqual(Array.from(linf), [0.5, -0.5, 0.5, -0.5, 0, 0.5, 0.5, 0.5]);
});
