// Determinism across threads (issue 17), in one place: every native kernel that takes a thread count
// gives the same bits at 1, 2 and 4 threads, on inputs large enough that each kernel's own rule for
// its team (one thread per block of 32 texts, 64 sequences, 4 images, 64 Ki floats of perturbation,
// a tile of documents…) still gives it all 4 threads, in uneven shares. Each kernel splits its work into
// independent rows (a query's top-k, a sequence's embedding, an image, a group of the perturbation,
// a range of run lines) or, in training, reduces the per-thread gradient shares in a fixed order
// (native/include/xmr/trainer.h), so no floating-point sum depends on the thread count and there is
// no bound to document: the results are equal to the bit. (Skip-gram's delayed updates are the one
// designed exception: its thread count is part of its result, test/skipgram-determinism.test.ts.)
// The study as a whole at several thread counts: test/experiment-side-by-side.test.ts; training end to
// end through trainDualEncoder: test/train-threads-determinism.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { native } from '../src/native.js';
import { parseTokenizerJson } from '../src/tokenize/spec.js';
import { resolveTrainerOptions } from '../src/train/trainer.js';

const THREADS = [1, 2, 4];
const n = native();

const fill = (a: Float32Array, seed: number): Float32Array => {
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(seed + i * 0.37) * (1 + (i % 7));
  return a;
};

/** A result as plain data whose typed arrays are compared byte for byte (so -0, NaN payloads and every last bit count). */
function bits(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof ArrayBuffer) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(bits);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bits(x)]));
  return v;
}

/** Runs `f` at each thread count and checks every result equals the one-thread result, bit for bit. */
async function same(name: string, f: (threads: number) => unknown): Promise<void> {
  const one = bits(await f(1));
  for (const threads of THREADS.slice(1)) assert.deepStrictEqual(bits(await f(threads)), one, `${name}: ${threads} threads differ from 1`);
}

test('every threaded native kernel gives the same bits at 1, 2 and 4 threads', async () => {
  const dim = 24;
  const queries = fill(new Float32Array(13 * dim), 1);
  const docs = fill(new Float32Array(4103 * dim), 2);
  for (const metric of ['ip', 'cosine'] as const) {
    await same(`topkSync f32 ${metric}`, (t) => n.topkSync(queries, docs, dim, 17, metric, t, 'auto'));
    await same(`topk (async) f32 ${metric}`, (t) => n.topk(queries, docs, dim, 17, metric, t, 'auto'));
    await same(`Bf16Docs + topkSync ${metric}`, (t) => n.topkSync(queries, new n.Bf16Docs(docs, dim, t), dim, 17, metric, t, 'auto'));
  }

  // Perturbation: 1,104 rows of 256 floats (4.3 × 64 Ki) in groups of 3 rows, a mask dropping every fifth row.
  const row = 256;
  const emb = fill(new Float32Array(1104 * row), 3);
  const grads = fill(new Float32Array(1104 * row), 4);
  const mask = Uint8Array.from({ length: 1104 }, (_, i) => (i % 5 === 0 ? 0 : 1));
  for (const norm of ['l2', 'linf'] as const) {
    await same(`perturbSync ${norm}`, (t) => n.perturbSync(emb, grads, new Float32Array(emb.length), 0.1, norm, 3 * row, row, mask, t, 'auto'));
    await same(`projectSync ${norm}`, (t) => n.projectSync(grads, new Float32Array(grads.length), 0.5, norm, 3 * row, row, null, t, 'auto'));
  }
  await same('copyFloatsSync', (t) => n.copyFloatsSync(grads, new Float32Array(grads.length), t));

  // BM25: 300 documents, 23 queries.
  const bm25 = new n.Bm25Index();
  for (let d = 0; d < 300; d++) bm25.add(Uint32Array.of(d % 7, (d * 3) % 41, (d * 11) % 97, 5), Uint32Array.of(0, 4));
  bm25.finish(97);
  const qTerms = Uint32Array.from({ length: 46 }, (_, i) => (i * 13) % 97);
  const qOffsets = Uint32Array.from({ length: 24 }, (_, i) => 2 * i);
  for (const lengths of ['lucene', 'exact'] as const) {
    // Ids and scores; not `nanos`, each query's timing.
    await same(`Bm25Index searchSync ${lengths}`, (t) => {
      const { ids, scores } = bm25.searchSync(qTerms, qOffsets, 10, 0.9, 0.4, lengths, t);
      return { ids, scores };
    });
    await same(`Bm25Index search (async) ${lengths}`, async (t) => {
      const { ids, scores } = await bm25.search(qTerms, qOffsets, 10, 0.9, 0.4, lengths, t);
      return { ids, scores };
    });
  }

  // The tokenizer over 131 texts, and the dual encoder over them and over 301 raw sequences.
  const { spec } = parseTokenizerJson(readFileSync(new URL('../../test/fixtures/tokenizer/wordpiece-uncased.json', import.meta.url), 'utf8'), 'wordpiece-uncased.json');
  const tok = new n.Tokenizer(spec);
  const texts = Array.from({ length: 131 }, (_, i) => `Text ${i}: naïve café, the quick brown fox ${'jumps '.repeat(i % 9)}over ${i * 7}.`);
  const options = { maxLength: 24, truncationSide: 'right', padding: 'longest', paddingSide: 'right', padId: 0, padTypeId: 0, addSpecialTokens: true, offsets: true, typeIds: true, int64: false } as const;
  await same('Tokenizer encodeBatchSync', (t) => tok.encodeBatchSync(texts, { ...options, threads: t }));
  await same('Tokenizer encodeBatch (async)', (t) => tok.encodeBatch(texts, { ...options, int64: true, threads: t }));
  const textModel = new n.DualEncoder(tok.vocabSize, 16, 8, 1, 0.1);
  await same('DualEncoder encodeTexts (async)', (t) => textModel.encodeTexts(tok, texts, { ...options, threads: t }, 'auto'));
  const vocab = 64;
  const model = new n.DualEncoder(vocab, 16, 8, 1, 0.1);
  const ids = Int32Array.from({ length: 301 * 5 }, (_, i) => (i * 5) % vocab);
  const offsets = Uint32Array.from({ length: 302 }, (_, i) => 5 * i);
  await same('DualEncoder encodeSync', (t) => model.encodeSync(ids, offsets, t, 'auto'));
  await same('DualEncoder encode (async)', (t) => model.encode(ids, offsets, t, 'auto'));

  // The image tower over 17 images.
  const shape = { height: 16, width: 16, patch: 8, hidden: 32, outDim: 16 };
  const tower = new n.ImageTower(shape.height, shape.width, shape.patch, shape.hidden, shape.outDim, 2);
  const pixels = fill(new Float32Array(17 * shape.height * shape.width * 3), 9);
  await same('ImageTower encodeSync', (t) => tower.encodeSync(pixels, t, 'auto'));
  await same('ImageTower encode (async)', (t) => tower.encode(pixels, t, 'auto'));

  // Training: 3 steps of batch 8 (text, with FGSM; then text–image), from the same initial model.
  const pool = Int32Array.from({ length: 64 * 6 }, (_, i) => (i * 7) % vocab);
  const poolOffsets = Uint32Array.from({ length: 65 }, (_, i) => i * 6);
  const q = Int32Array.from({ length: 24 }, (_, i) => i);
  const pos = Int32Array.from({ length: 24 }, (_, i) => 32 + i);
  await same('DualEncoderTrainer trainSync (fgsm) + checkpoint', (t) => {
    const trainer = new n.DualEncoderTrainer(new n.DualEncoder(vocab, 16, 8, 1, 0.1), resolveTrainerOptions({ seed: 1, threads: t, adv: 'fgsm' }), null);
    return [trainer.trainSync(pool, poolOffsets, q, pos, null, 8), trainer.checkpoint('{}')];
  });
  await same('DualEncoderTrainer trainImagesSync + imageCheckpoint', (t) => {
    const trainer = new n.DualEncoderTrainer(new n.DualEncoder(vocab, 16, 16, 1, 0.1), resolveTrainerOptions({ seed: 1, threads: t }), null);
    trainer.setImageTower(new n.ImageTower(shape.height, shape.width, shape.patch, shape.hidden, shape.outDim, 3), null);
    const captions = Int32Array.from({ length: 8 }, (_, i) => i);
    const images = Int32Array.from({ length: 8 }, (_, i) => i);
    return [trainer.trainImagesSync(pool, poolOffsets, pixels, null, captions, images, 4), trainer.imageCheckpoint('{}')];
  });

  // The TREC run reader: a file cut into `threads` ranges parsed on as many threads.
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-thread-determinism-'));
  try {
    const file = path.join(dir, 'run.trec');
    const text = Array.from({ length: 2000 }, (_, i) => `q${i % 37} Q0 d${(i * 7919) % 5003} ${i + 1} ${((i * 31) % 1000) / 7} tag\n`).join('');
    writeFileSync(file, text);
    const fd = openSync(file, 'r');
    try {
      await same('readRunFile', (t) => n.readRunFile(fd, 0, Buffer.byteLength(text), t));
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
