// DenseRanker ranks with any Encoder (here a fixed table of 2-d vectors, no model): documents are
// encoded with role 'document', queries with role 'query'; ties go to the lower corpus index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DenseRanker, type Encoder, type EncoderCallOptions } from '../src/index.js';

class TableEncoder implements Encoder<string> {
  readonly modality = 'text' as const;
  readonly dim = 2;
  readonly normalized = true;
  readonly roles: string[] = [];
  constructor(private readonly table: Record<string, [number, number]>) {}
  async encode(texts: readonly string[], options: EncoderCallOptions = {}): Promise<Float32Array> {
    this.roles.push(options.role ?? 'document');
    return Float32Array.from(texts.flatMap((t) => this.table[t]!));
  }
}

test('ranks by inner product of the encoder\'s vectors, ties by lower corpus index', async () => {
  const encoder = new TableEncoder({ east: [1, 0], north: [0, 1], northeast: [0.6, 0.8], 'north again': [0, 1], up: [0, 1], right: [1, 0] });
  const ranker = new DenseRanker(encoder, { name: 'table' });
  await ranker.index([
    { id: 'e', text: 'east' },
    { id: 'n', text: 'north' },
    { id: 'ne', text: 'northeast' },
    { id: 'n2', text: 'north again' },
  ]);
  const run = await ranker.search([{ id: 'q1', text: 'up' }, { id: 'q2', text: 'right' }], 3);
  assert.deepEqual(encoder.roles, ['document', 'query']);
  assert.deepEqual(run.ranking(0).docIds, ['n', 'n2', 'ne']);
  assert.deepEqual(Array.from(run.ranking(0).scores), [1, 1, Math.fround(0.8)]);
  assert.deepEqual(run.ranking(1).docIds, ['e', 'ne', 'n']);
  assert.equal(run.ranker, 'table');
});

test('searchVectors ranks given query vectors and checks their length', async () => {
  const ranker = new DenseRanker(new TableEncoder({ a: [1, 0], b: [0, 1] }));
  await ranker.index([{ id: 'a', text: 'a' }, { id: 'b', text: 'b' }]);
  assert.deepEqual(Array.from(ranker.documentVectors), [1, 0, 0, 1]);
  const run = await ranker.searchVectors(['q'], Float32Array.from([0.2, 0.9]), 5);
  assert.deepEqual(run.ranking(0).docIds, ['b', 'a']);
  await assert.rejects(ranker.searchVectors(['q'], new Float32Array(3), 5), { name: 'RangeError', message: 'vectors must hold queryIds.length × dim = 2 floats, got 3' });
});

test('refuses an encoder of images, and searching before indexing', async () => {
  const images = { modality: 'image', dim: 2, normalized: true, encode: async () => new Float32Array(0) } as unknown as Encoder<string>;
  assert.throws(() => new DenseRanker(images), { name: 'TypeError', message: 'encoder must be an Encoder of texts' });
  await assert.rejects(new DenseRanker(new TableEncoder({})).search([{ id: 'q', text: 'x' }], 1), { message: 'DenseRanker.search needs index(corpus) to have finished first' });
});
