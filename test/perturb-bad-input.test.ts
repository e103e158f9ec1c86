// Every argument error of perturb / perturbation / project / copyFloats, with its exact message,
// and the raw binding's own guards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFloats, perturb, perturbation, project } from '../src/index.js';
import { native } from '../src/native.js';

const x = new Float32Array(12);
const g = new Float32Array(12);

const cases: [string, () => unknown, ErrorConstructor, string][] = [
  ['embeddings not a Float32Array', () => perturb([1] as unknown as Float32Array, g, { eps: 1, norm: 'linf' }), TypeError, 'embeddings must be a Float32Array, got object'],
  ['gradients a Float64Array', () => perturb(x, new Float64Array(12) as unknown as Float32Array, { eps: 1, norm: 'linf' }), TypeError, 'gradients must be a Float32Array, got Float64Array'],
  ['lengths differ', () => perturb(x, new Float32Array(11), { eps: 1, norm: 'linf' }), RangeError, 'gradients.length (11) must equal embeddings.length (12)'],
  ['options missing', () => perturb(x, g, undefined as never), TypeError, 'options must be an object with eps and norm'],
  ['eps string', () => perturb(x, g, { eps: '1' as unknown as number, norm: 'linf' }), TypeError, 'eps must be a number, got string'],
  ['eps negative', () => perturb(x, g, { eps: -1, norm: 'linf' }), RangeError, 'eps must be a finite number ≥ 0, got -1'],
  ['eps NaN', () => perturb(x, g, { eps: NaN, norm: 'linf' }), RangeError, 'eps must be a finite number ≥ 0, got NaN'],
  ['eps beyond float32', () => perturb(x, g, { eps: 1e39, norm: 'linf' }), RangeError, 'eps must be a finite number ≥ 0, got 1e+39'],
  ['norm', () => perturb(x, g, { eps: 1, norm: 'l1' as 'l2' }), TypeError, "norm must be 'linf' or 'l2', got l1"],
  ['l2 without groupSize', () => perturb(x, g, { eps: 1, norm: 'l2' }), TypeError, "groupSize is required for norm 'l2' (the floats of one sequence: tokens × dim)"],
  ['groupSize 0', () => perturb(x, g, { eps: 1, norm: 'l2', groupSize: 0 }), RangeError, 'groupSize must be an integer ≥ 1, got 0'],
  ['groupSize not a divisor', () => perturb(x, g, { eps: 1, norm: 'l2', groupSize: 5 }), RangeError, 'gradients.length (12) is not a multiple of groupSize (5)'],
  ['mask not Uint8Array', () => perturb(x, g, { eps: 1, norm: 'linf', rowSize: 3, mask: [1, 1, 1, 1] as unknown as Uint8Array }), TypeError, 'mask must be a Uint8Array, got object'],
  ['mask without rowSize', () => perturb(x, g, { eps: 1, norm: 'linf', mask: new Uint8Array(4) }), TypeError, 'rowSize is required with mask (the floats of one row, e.g. dim)'],
  ['rowSize not a divisor', () => perturb(x, g, { eps: 1, norm: 'linf', rowSize: 5, mask: new Uint8Array(2) }), RangeError, 'gradients.length (12) is not a multiple of rowSize (5)'],
  ['groupSize vs rowSize', () => perturb(x, g, { eps: 1, norm: 'l2', groupSize: 6, rowSize: 4, mask: new Uint8Array(3) }), RangeError, 'groupSize (6) is not a multiple of rowSize (4)'],
  ['mask length', () => perturb(x, g, { eps: 1, norm: 'linf', rowSize: 3, mask: new Uint8Array(3) }), RangeError, 'mask.length (3) must equal the number of rows (12 / 3 = 4)'],
  ['threads', () => perturb(x, g, { eps: 1, norm: 'linf', threads: 0 }), RangeError, 'threads must be an integer ≥ 1, got 0'],
  ['isa', () => perturb(x, g, { eps: 1, norm: 'linf', isa: 'neon' as 'auto' }), TypeError, 'isa must be one of auto, scalar, avx2, avx512, avx512-bf16, got neon'],
  ['out length', () => perturb(x, g, { eps: 1, norm: 'linf', out: new Float32Array(10) }), RangeError, 'out.length (10) must equal gradients.length (12)'],
  ['out partial overlap', () => {
    const b = new Float32Array(20);
    return perturb(b.subarray(0, 12), g, { eps: 1, norm: 'linf', out: b.subarray(4, 16) });
  }, RangeError, 'out must not partially overlap embeddings'],
  ['gradients partial overlap', () => {
    const b = new Float32Array(20);
    return perturb(b.subarray(0, 12), b.subarray(1, 13), { eps: 1, norm: 'linf' });
  }, RangeError, 'gradients must not partially overlap embeddings'],
  ['perturbation gradients', () => perturbation(null as unknown as Float32Array, { eps: 1, norm: 'linf' }), TypeError, 'gradients must be a Float32Array, got null'],
  ['project delta', () => project(new Int8Array(3) as unknown as Float32Array, { eps: 1, norm: 'linf' }), TypeError, 'delta must be a Float32Array, got Int8Array'],
  ['project groupSize', () => project(x, { eps: 1, norm: 'l2', groupSize: 7 }), RangeError, 'delta.length (12) is not a multiple of groupSize (7)'],
  ['copyFloats lengths', () => copyFloats(x, new Float32Array(3)), RangeError, 'dst.length (3) must equal src.length (12)'],
];

for (const [name, fn, type, message] of cases) {
  test(`bad input: ${name}`, () => {
    assert.throws(fn, (err: unknown) => err instanceof type && (err as Error).message === message);
  });
}

test('the raw binding guards its own arguments (no crash when the wrapper is bypassed)', () => {
  const b = native();
  assert.throws(() => b.perturbSync(x, g, new Float32Array(3), 1, 'linf', 0, 0, null, 1, 'auto'), { name: 'RangeError', message: 'out.length (3) must equal gradients.length (12)' });
  assert.throws(() => b.perturbSync(x, g, g, 1, 'l2', 5, 0, null, 1, 'auto'), { name: 'RangeError', message: 'the array length (12) is not a multiple of groupSize (5)' });
  assert.throws(() => b.perturbSync(x, g, g, 1, 'linf', 0, 3, new Uint8Array(2), 1, 'auto'), { name: 'RangeError', message: 'mask.length (2) must be the number of rows (12 / 3)' });
  assert.throws(() => b.perturbSync(x, g, g, -1, 'linf', 0, 0, null, 1, 'auto'), { name: 'RangeError', message: 'eps must be a finite number ≥ 0' });
  assert.throws(() => b.projectSync(x, x, 1, 'max' as 'l2', 0, 0, null, 1, 'auto'), { name: 'TypeError', message: "norm must be 'linf' or 'l2'" });
  const buf = new Float32Array(20);
  assert.throws(() => b.projectSync(buf.subarray(0, 12), buf.subarray(2, 14), 1, 'linf', 0, 0, null, 1, 'auto'), { name: 'RangeError', message: 'out must not partially overlap delta' });
  assert.throws(() => b.copyFloatsSync(x, x, 0), { name: 'RangeError', message: 'threads must be an integer ≥ 1' });
});
