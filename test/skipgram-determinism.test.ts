// Skip-gram training is a function of (corpus, options, seed, threads): two runs give the same float32
// bits, at one thread and at two (several rounds of the delayed-update scheme), and another seed or
// another thread count gives other vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../src/random.js';
import { trainSkipgram, type SkipgramOptions } from '../src/wordvec/skipgram.js';

function zipfCorpus(sentences: number, seed: number): string[][] {
  const r = rng(seed);
  return Array.from({ length: sentences }, () => Array.from({ length: 3 + Math.floor(r() * 12) }, () => `w${Math.floor(Math.pow(200, r()))}`));
}

const corpus = zipfCorpus(800, 9);
const bits = async (o: SkipgramOptions): Promise<Uint8Array> => {
  const { embeddings } = await trainSkipgram(corpus, { dim: 19, epochs: 2, minCount: 2, sample: 1e-2, roundWords: 300, ...o });
  return new Uint8Array(embeddings.vectors.buffer);
};

for (const threads of [1, 2, 3]) {
  test(`same seed and ${threads} thread(s): bit-identical vectors; another seed: different`, async () => {
    const a = await bits({ threads, seed: 4 });
    const b = await bits({ threads, seed: 4 });
    assert.ok(Buffer.from(a).equals(Buffer.from(b)), 'two runs with the same seed differ');
    const c = await bits({ threads, seed: 5 });
    assert.ok(!Buffer.from(a).equals(Buffer.from(c)), 'another seed gave the same vectors');
  });
}

test('the thread count is part of the result (rounds of delayed updates), and training moved the vectors', async () => {
  const one = await bits({ threads: 1, seed: 4 });
  const two = await bits({ threads: 2, seed: 4 });
  assert.ok(!Buffer.from(one).equals(Buffer.from(two)));
  const { embeddings: trained } = await trainSkipgram(corpus, { dim: 19, epochs: 2, minCount: 2, sample: 0, threads: 2, seed: 4, roundWords: 300 });
  const { embeddings: barely } = await trainSkipgram(corpus, { dim: 19, epochs: 1, minCount: 2, sample: 0, threads: 2, seed: 4, roundWords: 300, lr: 1e-9 });
  let moved = 0;
  for (let i = 0; i < trained.vectors.length; i++) moved += Math.abs(trained.vectors[i]! - barely.vectors[i]!);
  assert.ok(moved / trained.vectors.length > 1e-3, `training hardly moved the vectors (${moved / trained.vectors.length})`);
});

test('vocabulary: min-count, most frequent first, ties in code-unit order; summary counts', async () => {
  const { embeddings, stats } = await trainSkipgram([['b', 'a', 'c', 'B'], ['a', 'b', 'c'], ['a', 'd']], { dim: 4, minCount: 2, threads: 1 });
  assert.deepEqual(embeddings.words, ['a', 'b', 'c']);
  assert.deepEqual({ sentences: stats.sentences, tokens: stats.tokens, trainedTokens: stats.trainedTokens, vocabulary: stats.vocabulary }, { sentences: 3, tokens: 9, trainedTokens: 7, vocabulary: 3 });
});

test('bad options are refused with the argument named', async () => {
  const s = [['a', 'b']];
  await assert.rejects(trainSkipgram(s, { dim: 0 }), { name: 'RangeError', message: 'dim must be an integer ≥ 1, got 0' });
  await assert.rejects(trainSkipgram(s, { sample: -1 }), { name: 'RangeError', message: 'sample must be a finite number ≥ 0, got -1' });
  await assert.rejects(trainSkipgram(s, { lr: 0 }), { name: 'RangeError', message: 'lr must be a finite number > 0, got 0' });
  await assert.rejects(trainSkipgram(s, { threads: 1.5 }), { name: 'RangeError', message: 'threads must be an integer ≥ 1, got 1.5' });
  await assert.rejects(trainSkipgram(s, { minCount: 2 }), { name: 'RangeError', message: 'no word occurs at least minCount (2) times' });
});
