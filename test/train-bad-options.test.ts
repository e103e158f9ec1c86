// Every invalid trainer option and batch is a TypeError/RangeError naming it, before any update.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualEncoder, DualEncoderTrainer, resolveTrainerOptions, type TrainerOptions } from '../src/index.js';

const cases: [string, TrainerOptions, ErrorConstructor, string][] = [
  ['tau 0', { tau: 0 }, RangeError, 'tau must be a finite number > 0, got 0'],
  ['tau string', { tau: '1' as unknown as number }, TypeError, 'tau must be a number, got string'],
  ['lr negative', { lr: -1 }, RangeError, 'lr must be a finite number > 0, got -1'],
  ['beta1 1', { beta1: 1 }, RangeError, 'beta1 must be in [0, 1), got 1'],
  ['weight decay too large', { lr: 0.5, weightDecay: 2 }, RangeError, 'lr·weightDecay must be < 1, got 1'],
  ['adv', { adv: 'fsgm' as 'fgsm' }, TypeError, "adv must be 'none', 'fgsm', 'l2' or 'pgd', got fsgm"],
  ['eps NaN', { eps: NaN }, RangeError, 'eps must be a finite number ≥ 0, got NaN'],
  ['lambda negative', { lambda: -1 }, RangeError, 'lambda must be a finite number ≥ 0, got -1'],
  ['pgdSteps 0', { pgdSteps: 0 }, RangeError, 'pgdSteps must be an integer ≥ 1, got 0'],
  ['pgdNorm', { pgdNorm: 'l1' as 'l2' }, TypeError, "pgdNorm must be 'linf' or 'l2', got l1"],
  ['freelb', { freelb: 1 as unknown as boolean }, TypeError, 'freelb must be a boolean, got number'],
  ['threads 1.5', { threads: 1.5 }, RangeError, 'threads must be an integer ≥ 1, got 1.5'],
  ['seed -1', { seed: -1 }, RangeError, 'seed must be an integer ≥ 0, got -1'],
];
for (const [name, options, type, message] of cases) {
  test(`bad option: ${name}`, () => {
    assert.throws(() => resolveTrainerOptions(options), (e: Error) => e instanceof type && e.message === message);
  });
}

test('bad batches are rejected before any update', () => {
  const model = DualEncoder.create({ vocabSize: 5, dim: 4 });
  const before = model.embeddings();
  const trainer = new DualEncoderTrainer(model, {});
  const pool = { ids: Int32Array.from([0, 1, 2, 3]), offsets: Uint32Array.from([0, 1, 2, 3, 4]) };
  const bad: [string, Parameters<DualEncoderTrainer['trainSync']>[1], ErrorConstructor, string][] = [
    ['index past the pool', { queries: Int32Array.from([0, 4]), positives: Int32Array.from([2, 3]), batch: 2 }, RangeError, 'queries[1] = 4 is not a sequence of the pool [0, 4)'],
    ['not a multiple of batch', { queries: Int32Array.from([0, 1, 0]), positives: Int32Array.from([2, 3, 2]), batch: 2 }, RangeError, 'queries.length (3) is not a multiple of batch (2)'],
    ['lengths differ', { queries: Int32Array.from([0, 1]), positives: Int32Array.from([2]), batch: 2 }, RangeError, 'positives.length (1) must equal queries.length (2)'],
    ['negatives', { queries: Int32Array.from([0, 1]), positives: Int32Array.from([2, 3]), negatives: Int32Array.from([-1, 0]), batch: 2 }, RangeError, 'negatives[0] = -1 is not a sequence of the pool [0, 4)'],
    ['batch 0', { queries: Int32Array.from([0, 1]), positives: Int32Array.from([2, 3]), batch: 0 }, RangeError, 'batch must be an integer ≥ 1, got 0'],
    ['queries not Int32Array', { queries: [0, 1] as unknown as Int32Array, positives: Int32Array.from([2, 3]), batch: 2 }, TypeError, 'queries must be an Int32Array, got object'],
  ];
  for (const [name, b, type, message] of bad) assert.throws(() => trainer.trainSync(pool, b), (e: Error) => e instanceof type && e.message === message, name);
  assert.equal(trainer.step, 0);
  assert.deepEqual(model.embeddings(), before);
  assert.throws(() => new DualEncoderTrainer({} as DualEncoder), { name: 'TypeError', message: 'model must be a DualEncoder' });
});
