// DualEncoder.encode: normalize(W·mean E[ids]) against a float64 computation in TypeScript, ragged
// and padded tokenizer batches, the async twin, the busy guard, and every argument error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualEncoder, DualEncoderTrainer, sequencesFromBatch } from '../src/index.js';

function reference(model: DualEncoder, ids: Int32Array, offsets: Uint32Array): Float64Array {
  const E = model.embeddings();
  const W = model.projection();
  const d = model.dim;
  const out = new Float64Array((offsets.length - 1) * model.outDim);
  for (let s = 0; s + 1 < offsets.length; s++) {
    const n = offsets[s + 1]! - offsets[s]!;
    const m = new Float64Array(d);
    for (let t = offsets[s]!; t < offsets[s + 1]!; t++) for (let p = 0; p < d; p++) m[p]! += E[ids[t]! * d + p]! / n;
    const u = W === null ? m : Float64Array.from({ length: model.outDim }, (_, r) => m.reduce((acc, x, p) => acc + W[r * d + p]! * x, 0));
    const norm = Math.hypot(...u);
    u.forEach((x, r) => (out[s * model.outDim + r] = norm > 0 ? x / norm : 0));
  }
  return out;
}

test('encode equals normalize(W·mean E[ids]); an empty sequence gives zeros', async () => {
  for (const outDim of [0, 3]) {
    const model = DualEncoder.create({ vocabSize: 9, dim: 5, outDim, seed: 4, initStd: 0.3 });
    const ids = Int32Array.from([1, 2, 2, 8, 0, 5]);
    const offsets = Uint32Array.from([0, 3, 3, 6]);
    const want = reference(model, ids, offsets);
    const got = model.encodeSync({ ids, offsets }, { threads: 2 });
    assert.equal(got.length, 3 * model.outDim);
    got.forEach((x, i) => assert.ok(Math.abs(x - want[i]!) < 1e-6, `${i}: ${x} vs ${want[i]}`));
    assert.deepEqual(Array.from(got.subarray(model.outDim, 2 * model.outDim)), new Array(model.outDim).fill(0));
    assert.deepEqual(await model.encode({ ids, offsets }), got);
  }
});

test('sequencesFromBatch compacts a padded batch with its mask and keeps a ragged one', () => {
  const padded = { rows: 2, cols: 3, ids: Int32Array.from([5, 6, 0, 7, 0, 0]), attentionMask: Uint8Array.from([1, 1, 0, 1, 0, 0]), lengths: Uint32Array.from([2, 1]) };
  assert.deepEqual(sequencesFromBatch(padded), { ids: Int32Array.from([5, 6, 7]), offsets: Uint32Array.from([0, 2, 3]) });
  const ragged = { rows: 2, cols: 0, ids: Int32Array.from([5, 6, 7]), attentionMask: new Uint8Array(3), lengths: Uint32Array.from([2, 1]) };
  assert.deepEqual(sequencesFromBatch(ragged).offsets, Uint32Array.from([0, 2, 3]));
});

test('a model is busy while an async training call runs', async () => {
  const model = DualEncoder.create({ vocabSize: 50, dim: 16 });
  const trainer = new DualEncoderTrainer(model, {});
  const ids = Int32Array.from({ length: 4000 }, (_, i) => i % 50);
  const offsets = Uint32Array.from({ length: 201 }, (_, i) => i * 20);
  const q = Int32Array.from({ length: 400 }, (_, i) => i % 100);
  const d = Int32Array.from({ length: 400 }, (_, i) => 100 + (i % 100));
  const running = trainer.train({ ids, offsets }, { queries: q, positives: d, batch: 10 });
  assert.throws(() => model.encodeSync({ ids, offsets }), { name: 'Error', message: 'the dual encoder is busy: a training or encoding call on it is still running' });
  const stats = await running;
  assert.equal(stats.loss.length, 40);
  assert.equal(model.encodeSync({ ids, offsets }).length, 200 * 16);
});

const model = DualEncoder.create({ vocabSize: 4, dim: 2 });
const ok = { ids: Int32Array.from([0, 1]), offsets: Uint32Array.from([0, 2]) };
const cases: [string, () => unknown, ErrorConstructor, string][] = [
  ['vocabSize 0', () => DualEncoder.create({ vocabSize: 0, dim: 2 }), RangeError, 'vocabSize must be an integer ≥ 1, got 0'],
  ['dim string', () => DualEncoder.create({ vocabSize: 3, dim: '2' as unknown as number }), TypeError, 'dim must be a number, got string'],
  ['outDim negative', () => DualEncoder.create({ vocabSize: 3, dim: 2, outDim: -1 }), RangeError, 'outDim must be an integer ≥ 0, got -1'],
  ['initStd 0', () => DualEncoder.create({ vocabSize: 3, dim: 2, initStd: 0 }), RangeError, 'initStd must be a finite number > 0, got 0'],
  ['ids not Int32Array', () => model.encodeSync({ ids: [0] as unknown as Int32Array, offsets: ok.offsets }), TypeError, 'sequences.ids must be an Int32Array, got object'],
  ['offsets Int32Array', () => model.encodeSync({ ids: ok.ids, offsets: new Int32Array(2) as unknown as Uint32Array }), TypeError, 'sequences.offsets must be a Uint32Array, got Int32Array'],
  ['offsets empty', () => model.encodeSync({ ids: ok.ids, offsets: new Uint32Array(0) }), RangeError, 'sequences.offsets must have at least one entry (count + 1)'],
  ['offsets decreasing', () => model.encodeSync({ ids: ok.ids, offsets: Uint32Array.from([0, 2, 1]) }), RangeError, 'sequences.offsets must not decrease: offsets[2] = 1 < offsets[1] = 2'],
  ['offsets past the end', () => model.encodeSync({ ids: ok.ids, offsets: Uint32Array.from([0, 3]) }), RangeError, 'sequences.offsets[1] = 3 is past the end of ids (length 2)'],
  ['id out of range', () => model.encodeSync({ ids: Int32Array.from([0, 4]), offsets: ok.offsets }), RangeError, 'sequences.ids[1] = 4 is outside the vocabulary [0, 4)'],
  ['negative id', () => model.encodeSync({ ids: Int32Array.from([-1, 0]), offsets: ok.offsets }), RangeError, 'sequences.ids[0] = -1 is outside the vocabulary [0, 4)'],
  ['threads 0', () => model.encodeSync(ok, { threads: 0 }), RangeError, 'threads must be an integer ≥ 1, got 0'],
  ['isa', () => model.encodeSync(ok, { isa: 'neon' as 'auto' }), TypeError, 'isa must be one of auto, scalar, avx2, avx512, avx512-bf16, got neon'],
];
for (const [name, fn, type, message] of cases) {
  test(`bad input: ${name}`, async () => {
    assert.throws(fn, (e: Error) => e instanceof type && e.message === message);
  });
}
test('bad input: the async twin rejects instead of throwing', async () => {
  await assert.rejects(model.encode({ ids: Int32Array.from([9]), offsets: Uint32Array.from([0, 1]) }), { name: 'RangeError', message: 'sequences.ids[0] = 9 is outside the vocabulary [0, 4)' });
});
