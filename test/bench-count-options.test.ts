import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchEval } from '../src/bench/eval.js';
import { benchSignificance } from '../src/bench/significance.js';
import { positiveCount } from '../src/args.js';

test('benchmark count options: an integer ≥ 1, else a RangeError naming the option', async () => {
  assert.equal(positiveCount(3, 'threads'), 3);
  assert.throws(() => positiveCount(0, 'threads'), { name: 'RangeError', message: 'threads must be a positive integer, got 0' });
  assert.throws(() => positiveCount(1.5, 'queries'), { name: 'RangeError', message: 'queries must be a positive integer, got 1.5' });
  await assert.rejects(benchEval({ queries: 0, docs: 1, threads: 1, timeMs: 1, iterations: 1, rounds: 1, preset: 'ties' }), { name: 'RangeError', message: 'queries must be a positive integer, got 0' });
  await assert.rejects(benchSignificance({ queries: 10, permutations: -1, threads: 1, timeMs: 1 }), { name: 'RangeError', message: 'permutations must be a positive integer, got -1' });
});
