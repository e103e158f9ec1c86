/** Bad input to the significance functions fails with a TypeError or RangeError naming the argument. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapCI, cohensDz, pairedTTest, randomizationTest, randomizationTestParallel, wilcoxonSignedRank, winTieLoss } from '../src/eval/significance/index.js';

describe('significance input validation', () => {
  it('mismatched lengths', () => {
    assert.throws(() => pairedTTest([1, 2, 3], [1, 2]), { name: 'RangeError', message: 'pairedTTest: a and b must have the same length, got 3 and 2' });
    assert.throws(() => wilcoxonSignedRank([1], [1, 2]), { name: 'RangeError', message: 'wilcoxonSignedRank: a and b must have the same length, got 1 and 2' });
    assert.throws(() => winTieLoss([1], []), { name: 'RangeError', message: 'winTieLoss: a and b must have the same length, got 1 and 0' });
  });

  it('too few pairs', () => {
    assert.throws(() => pairedTTest([1], [2]), { name: 'RangeError', message: 'pairedTTest: needs at least 2 pairs, got 1' });
    assert.throws(() => cohensDz([1], [2]), { name: 'RangeError', message: 'cohensDz: needs at least 2 pairs, got 1' });
    assert.throws(() => bootstrapCI([1], [2]), { name: 'RangeError', message: 'bootstrapCI: needs at least 2 pairs, got 1' });
    assert.throws(() => wilcoxonSignedRank([], []), { name: 'RangeError', message: 'wilcoxonSignedRank: needs at least 1 pair, got 0' });
    assert.throws(() => randomizationTest([], []), { name: 'RangeError', message: 'randomizationTest: needs at least 1 pair, got 0' });
  });

  it('values that are not finite numbers', () => {
    assert.throws(() => pairedTTest([1, NaN], [1, 2]), { name: 'RangeError', message: 'pairedTTest: a[1] must be finite, got NaN' });
    assert.throws(() => pairedTTest([1, 2], [1, Infinity]), { name: 'RangeError', message: 'pairedTTest: b[1] must be finite, got Infinity' });
    assert.throws(() => pairedTTest(['1', 2] as unknown as number[], [1, 2]), { name: 'TypeError', message: 'pairedTTest: a[0] must be a number, got string' });
    assert.throws(() => pairedTTest(null as unknown as number[], [1, 2]), { name: 'TypeError', message: 'pairedTTest: a must be an array of numbers' });
  });

  it('bad options', () => {
    assert.throws(() => wilcoxonSignedRank([1, 2], [2, 3], { zeroMethod: 'zsplit' as 'wilcox' }), { name: 'RangeError', message: "wilcoxonSignedRank: zeroMethod must be 'wilcox' or 'pratt', got zsplit" });
    assert.throws(() => wilcoxonSignedRank([1, 2], [2, 3], { method: 'asymptotic' as 'approx' }), { name: 'RangeError', message: "wilcoxonSignedRank: method must be 'auto', 'exact' or 'approx', got asymptotic" });
    assert.throws(() => randomizationTest([1, 2], [2, 3], { permutations: 0 }), { name: 'RangeError', message: 'randomizationTest: permutations must be in [1, 1073741824], got 0' });
    assert.throws(() => randomizationTest([1, 2], [2, 3], { permutations: 1.5 }), { name: 'TypeError', message: 'randomizationTest: permutations must be an integer, got 1.5' });
    assert.throws(() => randomizationTest([1, 2], [2, 3], { seed: -1 }), { name: 'RangeError', message: 'randomizationTest: seed must be an integer ≥ 0, got -1' });
    assert.throws(() => bootstrapCI([1, 2], [2, 3], { confidence: 95 }), { name: 'RangeError', message: 'bootstrapCI: confidence must be in (0, 1), got 95' });
    assert.throws(() => bootstrapCI([1, 2], [2, 3], { method: 'basic' as 'bca' }), { name: 'RangeError', message: "bootstrapCI: method must be 'bca' or 'percentile', got basic" });
  });

  it('bad thread count', async () => {
    await assert.rejects(randomizationTestParallel([1, 2], [2, 3], { threads: 0 }), { name: 'RangeError', message: 'randomizationTestParallel: threads must be in [1, 256], got 0' });
  });
});
