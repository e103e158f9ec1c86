// Every argument error of topK / topKSync / toBf16, with its exact message; the process survives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topK, topKSync, toBf16 } from '../src/index.js';

const q = new Float32Array(4);
const d = new Float32Array(8);

const cases: [string, () => unknown, ErrorConstructor, string][] = [
  ['queries not a Float32Array', () => topKSync([1, 2] as unknown as Float32Array, d, { dim: 2, k: 1 }), TypeError, 'queries must be a Float32Array, got object'],
  ['queries a Float64Array', () => topKSync(new Float64Array(2) as unknown as Float32Array, d, { dim: 2, k: 1 }), TypeError, 'queries must be a Float32Array, got Float64Array'],
  ['docs null', () => topKSync(q, null as unknown as Float32Array, { dim: 2, k: 1 }), TypeError, 'docs must be a Float32Array, got null'],
  ['options missing', () => topKSync(q, d, undefined as unknown as { dim: number; k: number }), TypeError, 'options must be an object with dim and k'],
  ['dim not a number', () => topKSync(q, d, { dim: '2' as unknown as number, k: 1 }), TypeError, 'dim must be a number, got string'],
  ['dim 0', () => topKSync(q, d, { dim: 0, k: 1 }), RangeError, 'dim must be an integer ≥ 1, got 0'],
  ['dim fractional', () => topKSync(q, d, { dim: 1.5, k: 1 }), RangeError, 'dim must be an integer ≥ 1, got 1.5'],
  ['k 0', () => topKSync(q, d, { dim: 2, k: 0 }), RangeError, 'k must be an integer ≥ 1, got 0'],
  ['k negative', () => topKSync(q, d, { dim: 2, k: -3 }), RangeError, 'k must be an integer ≥ 1, got -3'],
  ['threads 0', () => topKSync(q, d, { dim: 2, k: 1, threads: 0 }), RangeError, 'threads must be an integer ≥ 1, got 0'],
  ['queries length', () => topKSync(q, d, { dim: 3, k: 1 }), RangeError, 'queries.length (4) is not a multiple of dim (3)'],
  ['docs length (mismatched dims)', () => topKSync(new Float32Array(6), new Float32Array(8), { dim: 3, k: 1 }), RangeError, 'docs.length (8) is not a multiple of dim (3)'],
  ['metric', () => topKSync(q, d, { dim: 2, k: 1, metric: 'l2' as 'ip' }), TypeError, "metric must be 'ip' or 'cosine', got l2"],
  ['isa', () => topKSync(q, d, { dim: 2, k: 1, isa: 'neon' as 'auto' }), TypeError, 'isa must be one of auto, scalar, avx2, avx512, avx512-bf16, got neon'],
  ['bf16 dim mismatch', () => topKSync(new Float32Array(4), toBf16(d, { dim: 4 }), { dim: 2, k: 1 }), RangeError, "dim (2) does not match the bf16 documents' dim (4)"],
  ['toBf16 docs', () => toBf16(new Int8Array(4) as unknown as Float32Array, { dim: 2 }), TypeError, 'docs must be a Float32Array or a Uint16Array of bf16 bit patterns, got Int8Array'],
  ['toBf16 length', () => toBf16(new Float32Array(5), { dim: 2 }), RangeError, 'docs.length (5) is not a multiple of dim (2)'],
];

for (const [name, fn, type, message] of cases) {
  test(`bad input: ${name}`, async () => {
    assert.throws(fn, (err: unknown) => err instanceof type && (err as Error).message === message);
  });
}

test('the async form rejects (never throws synchronously) with the same errors', async () => {
  await assert.rejects(topK(q, d, { dim: 3, k: 1 }), { name: 'RangeError', message: 'queries.length (4) is not a multiple of dim (3)' });
});

test('the raw binding guards its own arguments too (no crash when the wrapper is bypassed)', async () => {
  const { native } = await import('../src/native.js');
  const raw = native();
  assert.throws(() => raw.topkSync(q, d, 3, 1, 'ip', 1, 'auto'), { name: 'RangeError', message: 'queries.length (4) is not a multiple of dim (3)' });
  assert.throws(() => raw.topkSync(q, d, 0, 1, 'ip', 1, 'auto'), { name: 'RangeError', message: 'dim must be an integer ≥ 1' });
  assert.throws(() => raw.topkSync(q, d, 2, 1, 'ip', 0, 'auto'), { name: 'RangeError', message: 'threads must be an integer ≥ 1' });
  assert.throws(() => raw.topkSync(q, {} as Float32Array, 2, 1, 'ip', 1, 'auto'), { name: 'TypeError', message: 'docs must be a Float32Array' });
});
