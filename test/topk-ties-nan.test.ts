// The documented order on exact ties and NaN: equal scores go to the lower document index, NaN
// scores rank after every number. Integer-valued vectors make every score exact in float32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topKSync, isaPath } from '../src/index.js';
import { ISA_NAMES } from '../src/index.js';
import { randint } from '../src/random.js';
import { bruteForceTopK } from '../src/search/brute-force.js';

const ALL = ISA_NAMES;
const available = ALL.slice(0, ALL.indexOf(isaPath()) + 1);

test('tied scores are ordered by the lower document index on every path, for heap and reservoir k', () => {
  const dim = 6;
  const q = randint(5 * dim, -1, 1, 11);
  const d = randint(400 * dim, -1, 1, 12);
  for (const k of [1, 10, 100, 400]) {
    const ref = bruteForceTopK(q, d, dim, k, 'ip');
    for (const isa of available) {
      for (const threads of [1, 2]) {
        const r = topKSync(q, d, { dim, k, isa, threads });
        assert.deepEqual([...r.ids], [...ref.ids], `${isa} k=${k} threads=${threads}`);
      }
    }
  }
});

test('all documents equal: ids come out 0, 1, 2, …', () => {
  const dim = 3;
  const d = new Float32Array(50 * dim).fill(1);
  const r = topKSync(new Float32Array([1, 1, 1]), d, { dim, k: 50 });
  assert.deepEqual([...r.ids], Array.from({ length: 50 }, (_, i) => i));
});

test('NaN scores rank after every number, −Infinity included', () => {
  const dim = 2;
  const d = new Float32Array([NaN, 0, 1, 0, -Infinity, 0, NaN, 1, 2, 0]);
  for (const isa of available) {
    const r = topKSync(new Float32Array([1, 0]), d, { dim, k: 5, isa });
    assert.deepEqual([...r.ids], [4, 1, 2, 0, 3], isa);
    assert.ok(Number.isNaN(r.scores[3]!) && Number.isNaN(r.scores[4]!), isa);
  }
});

test('cosine is 0 for a zero vector', () => {
  const r = topKSync(new Float32Array([0, 0]), new Float32Array([1, 0, 0, 1]), { dim: 2, k: 2, metric: 'cosine' });
  assert.deepEqual([...r.scores], [0, 0]);
  assert.deepEqual([...r.ids], [0, 1]);
});
