// The BLI split of a dictionary by source word (data/lexicons/bli.ts) and precision@k.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDictionary, splitDraw } from '../src/data/lexicons/bli.js';
import { precisionAt1, precisionAtK } from '../src/data/lexicons/induction.js';

/** 2,000 source words, a third with two or three translations. */
const PAIRS: [string, string][] = [];
for (let i = 0; i < 2000; i++) for (let k = 0; k <= i % 3; k++) PAIRS.push([`w${i}`, `t${i}_${k}`]);

test('seed and test parts never share a source word, and every pair of a word goes to one side', () => {
  for (const seed of [0, 1, 2 ** 40]) {
    const s = splitDictionary(PAIRS, { seed });
    const seedWords = new Set(s.seed.map(([w]) => w));
    assert.equal(s.seedWords, seedWords.size);
    for (const w of s.test.keys()) assert.ok(!seedWords.has(w), `${w} on both sides`);
    assert.equal(seedWords.size + s.test.size, 2000, 'without a cap every word is on one side');
    for (const [w, ts] of s.test) assert.deepEqual([...ts], PAIRS.filter(([x]) => x === w).map(([, t]) => t));
    assert.equal(s.seed.length + [...s.test.values()].reduce((n, ts) => n + ts.size, 0), PAIRS.length);
    // About the asked fraction (binomial sd ≈ 18 words at n = 2,000, p = 0.2).
    assert.ok(Math.abs(s.test.size - 400) < 80, `test words ${s.test.size}`);
  }
});

test('the split is deterministic, independent of the file order, and changes with the seed', () => {
  const a = splitDictionary(PAIRS, { seed: 5 });
  const b = splitDictionary([...PAIRS].reverse(), { seed: 5 });
  assert.deepEqual([...a.test.keys()].sort(), [...b.test.keys()].sort());
  const c = splitDictionary(PAIRS, { seed: 6 });
  assert.notDeepEqual([...a.test.keys()].sort(), [...c.test.keys()].sort());
  for (const w of a.test.keys()) assert.ok(splitDraw(w, 5) < 0.2);
});

test('the vocabulary filter keeps words MUSE keeps; the cap keeps the smallest draws and leaves the seed part alone', () => {
  const srcVocab = new Set(Array.from({ length: 1000 }, (_, i) => `w${i}`));
  // Target vocabulary: only the first translation of each word, and none for w0…w99.
  const tgtVocab = new Set(Array.from({ length: 2000 }, (_, i) => `t${i}_0`).filter((_, i) => i >= 100));
  const s = splitDictionary(PAIRS, { seed: 1, srcVocab, tgtVocab });
  for (const [w, t] of s.seed) assert.ok(srcVocab.has(w) && tgtVocab.has(t));
  for (const [w, ts] of s.test) {
    assert.ok(srcVocab.has(w));
    assert.deepEqual([...ts], [`${w.replace('w', 't')}_0`]);
  }
  assert.equal(s.seedWords + s.test.size, 900);
  const capped = splitDictionary(PAIRS, { seed: 1, srcVocab, tgtVocab, maxTestWords: 50 });
  assert.equal(capped.test.size, 50);
  assert.equal(capped.unusedWords, s.test.size - 50);
  assert.deepEqual(capped.seed, s.seed);
  const draws = [...s.test.keys()].map((w) => splitDraw(w, 1));
  assert.deepEqual([...capped.test.keys()], [...s.test.keys()].slice(0, 50));
  assert.deepEqual(draws, [...draws].sort((x, y) => x - y));
});

test('split arguments are checked', () => {
  assert.throws(() => splitDictionary(PAIRS, { testFraction: 1.5 }), { name: 'RangeError', message: 'testFraction must be in [0, 1], got 1.5' });
  assert.throws(() => splitDictionary(PAIRS, { maxTestWords: 0 }), { name: 'RangeError', message: 'maxTestWords must be an integer ≥ 1, got 0' });
  assert.throws(() => splitDictionary(PAIRS, { seed: -1 }), { name: 'RangeError', message: 'seed must be an integer ≥ 0, got -1' });
});

test('precision@k: a hit when any gold translation is among the first k candidates, over covered gold words', () => {
  const gold = new Map([
    ['a', new Set(['x', 'y'])],
    ['b', new Set(['z'])],
    ['c', new Set(['w'])],
    ['d', new Set(['v'])],
  ]);
  const cand = new Map([
    ['a', ['q', 'y', 'x']],
    ['b', ['z', 'q']],
    ['c', ['q', 'r', 's', 't', 'u', 'w']],
    ['e', ['v']],
  ]);
  assert.deepEqual(precisionAtK(cand, gold, 1), { evaluated: 3, hits: 1, p: 1 / 3 });
  assert.deepEqual(precisionAtK(cand, gold, 2), { evaluated: 3, hits: 2, p: 2 / 3 });
  assert.deepEqual(precisionAtK(cand, gold, 5), { evaluated: 3, hits: 2, p: 2 / 3 });
  assert.deepEqual(precisionAtK(cand, gold, 6), { evaluated: 3, hits: 3, p: 1 });
  assert.deepEqual(precisionAt1(new Map([['a', 'y'], ['b', 'q']]), gold), { evaluated: 2, hits: 1, p1: 0.5 });
  assert.throws(() => precisionAtK(cand, gold, 0), { name: 'RangeError', message: 'k must be an integer ≥ 1, got 0' });
});
