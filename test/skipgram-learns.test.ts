// Skip-gram training puts words that share contexts closer than words that do not: two topics whose
// head words never co-occur but share context words, trained at one and two threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../src/random.js';
import { trainSkipgram } from '../src/wordvec/skipgram.js';
import type { Embeddings } from '../src/data/lexicons/vec.js';

const TOPICS = [
  { heads: ['cat', 'dog', 'mouse'], context: ['pet', 'fur', 'tail', 'paw', 'feed', 'vet'] },
  { heads: ['car', 'truck', 'bus'], context: ['road', 'wheel', 'engine', 'fuel', 'drive', 'garage'] },
];

/** Sentences of one head word among five context words of its topic. */
function topicCorpus(sentences: number, seed: number): string[][] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  return Array.from({ length: sentences }, () => {
    const t = pick(TOPICS);
    const s = Array.from({ length: 5 }, () => pick(t.context));
    s.splice(Math.floor(r() * 6), 0, pick(t.heads));
    return s;
  });
}

function cosine(e: Embeddings, a: string, b: string): number {
  const ia = e.words.indexOf(a);
  const ib = e.words.indexOf(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < e.dim; j++) {
    const x = e.vectors[ia * e.dim + j]!;
    const y = e.vectors[ib * e.dim + j]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

for (const threads of [1, 2]) {
  test(`related words end up closer than unrelated ones (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
    const { embeddings: e } = await trainSkipgram(topicCorpus(3000, 3), { dim: 24, epochs: 5, window: 3, negative: 5, minCount: 1, sample: 0, threads, seed: 1, roundWords: 500 });
    const [animals, vehicles] = TOPICS.map((t) => t.heads);
    for (const [same, other] of [
      [animals!, vehicles!],
      [vehicles!, animals!],
    ] as const) {
      for (const a of same) {
        for (const b of same) {
          if (a === b) continue;
          for (const c of other) {
            const related = cosine(e, a, b);
            const unrelated = cosine(e, a, c);
            assert.ok(related > unrelated + 0.2, `cos(${a}, ${b}) = ${related.toFixed(3)} should exceed cos(${a}, ${c}) = ${unrelated.toFixed(3)} by 0.2`);
          }
        }
      }
    }
  });
}
