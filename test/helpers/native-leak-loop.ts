/**
 * The child process of test/native-leak.test.ts (run with --expose-gc): calls every entry point of
 * the raw binding (src/native.ts: NativeBinding and the objects it makes) many times, and prints
 * per entry point the resident set size after a warm-up and after each half of the loop, each after
 * a full GC — and, when both halves grew it by more than half the leak bound (argv[3], bytes), after
 * a confirmation window of twice the calls — as one JSON line. Small calls run 100,000 times; async calls (a thread-pool round trip each) and
 * large ones (constructors of models, training, checkpoints) in batches — each large call allocates
 * or returns at least 64 KB, so a leak of its buffers would show as megabytes.
 */
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { native } from '../../src/native.js';
import { parseTokenizerJson } from '../../src/tokenize/spec.js';
import { resolveTrainerOptions } from '../../src/train/trainer.js';

const SMALL = 100_000;
const ASYNC = 20_000;
const LARGE = 400;

const n = native();
const gc = (globalThis as { gc?: () => void }).gc!;
/** RSS after full GCs, with turns of the event loop between them: Node-API finalizers (which free the native side of a wrapped object) run after the GC that found the object dead. */
const rss = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().rss;
};

const fill = (a: Float32Array, seed: number) => {
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(seed + i * 0.37);
  return a;
};

type Call = () => unknown;
/** An entry point: its name, how many calls, the call. */
type Entry = [string, number, Call];
const dim = 8;

/** The top-k entry points, with nothing else alive (see `group` below). */
function topkEntries(): Entry[] {
  const q = fill(new Float32Array(2 * dim), 1);
  const docs = fill(new Float32Array(16 * dim), 2);
  const bf = new n.Bf16Docs(docs, dim, 1);
  const packed = new n.F32Docs(docs, dim, 1, 'auto');
  const bigDim = 64;
  const bigDocs = fill(new Float32Array(1024 * bigDim), 7);
  const bigQ = fill(new Float32Array(16 * bigDim), 8);
  return [
    ['topkSync f32', SMALL, () => n.topkSync(q, docs, dim, 3, 'ip', 1, 'auto')],
    ['topkSync bf16', SMALL, () => n.topkSync(q, bf, dim, 3, 'ip', 1, 'auto')],
    ['topkSync f32 packed', SMALL, () => n.topkSync(q, packed, dim, 3, 'ip', 1, 'auto')],
    ['topk (async)', ASYNC, () => n.topk(q, docs, dim, 3, 'ip', 1, 'auto')],
    // bf16 documents are counted as read while an async call runs (reload refuses meanwhile).
    ['topk bf16 (async)', ASYNC, () => n.topk(q, bf, dim, 3, 'ip', 1, 'auto')],
    ['topk f32 packed (async)', ASYNC, () => n.topk(q, packed, dim, 3, 'ip', 1, 'auto')],
    ['topkSync large (cosine)', LARGE, () => n.topkSync(bigQ, bigDocs, bigDim, 100, 'cosine', 1, 'auto')],
  ];
}

/** Every other entry point. */
function otherEntries(): Entry[] {
  // Tiny inputs for the small calls.
  // bf16 documents: 2,048 × 64 (a 256 KiB packed matrix), counted as large. Small ones, 100,000 in a
  // row, left RSS plateaus of 4–13 MiB that no GC returned (allocator fragmentation among the
  // wrappers' finalizers, seen on loaded machines), where a leaked matrix here grows RSS by 100 MiB.
  const bfDocs = fill(new Float32Array(2048 * 64), 2);
  const bfBits = new Uint16Array(new Uint32Array(bfDocs.slice().buffer).map((u) => u >>> 16));
  const bfBuffer = new n.Bf16Docs(2048, 64);
  const grads = fill(new Float32Array(4 * dim), 3);
  const emb = fill(new Float32Array(4 * dim), 4);
  const out = new Float32Array(4 * dim);
  const bm25 = new n.Bm25Index();
  for (let d = 0; d < 32; d++) bm25.add(Uint32Array.of(d % 7, (d * 3) % 11, 5), Uint32Array.of(0, 3));
  bm25.finish(11);
  const qTerms = Uint32Array.of(1, 5, 3);
  const qOffsets = Uint32Array.of(0, 2, 3);
  const { spec } = parseTokenizerJson(readFileSync(new URL('../../../test/fixtures/tokenizer/wordpiece-uncased.json', import.meta.url), 'utf8'), 'wordpiece-uncased.json');
  const tok = new n.Tokenizer(spec);
  const encodeOptions = { maxLength: 16, truncationSide: 'right', padding: 'longest', paddingSide: 'right', padId: 0, padTypeId: 0, addSpecialTokens: true, offsets: true, typeIds: true, int64: false, threads: 1 } as const;
  const texts = ['Hello, world!', 'the quick brown fox', 'naïve café'];
  const vocab = 64;
  const model = new n.DualEncoder(vocab, 16, 16, 1, 0.1);
  const textModel = new n.DualEncoder(tok.vocabSize, 16, 16, 1, 0.1);
  const ids = Int32Array.from({ length: 12 }, (_, i) => (i * 5) % vocab);
  const offsets = Uint32Array.of(0, 4, 8, 12);
  const uRows = fill(new Float32Array(6 * dim), 5);
  const vRow = fill(new Float32Array(dim), 6);

  // Larger inputs for the large calls.
  const pool = Int32Array.from({ length: 64 * 8 }, (_, i) => (i * 7) % vocab);
  const poolOffsets = Uint32Array.from({ length: 65 }, (_, i) => i * 8);
  const queries = Int32Array.from({ length: 16 }, (_, i) => i);
  const positives = Int32Array.from({ length: 16 }, (_, i) => 32 + i);
  const trainerConfig = resolveTrainerOptions({ seed: 1 });
  const shape = { height: 16, width: 16, patch: 8, hidden: 32, outDim: 16 };
  const pixels = fill(new Float32Array(8 * shape.height * shape.width * 3), 9);
  const checkpoint = model.checkpoint(0.05, 0, '{}');
  const tower = new n.ImageTower(shape.height, shape.width, shape.patch, shape.hidden, shape.outDim, 2);
  const towerCheckpoint = tower.checkpoint(0, '{}');
  const trainer = new n.DualEncoderTrainer(new n.DualEncoder(vocab, 16, 16, 1, 0.1), trainerConfig, null);
  const imageTrainer = new n.DualEncoderTrainer(new n.DualEncoder(vocab, 16, 16, 1, 0.1), trainerConfig, null);
  imageTrainer.setImageTower(new n.ImageTower(shape.height, shape.width, shape.patch, shape.hidden, shape.outDim, 3), null);
  const captions = Int32Array.from({ length: 8 }, (_, i) => i);
  const images = Int32Array.from({ length: 8 }, (_, i) => i);
  const sgIds = Uint32Array.from({ length: 4096 }, (_, i) => (i * 13) % 200);
  const sgOffsets = Uint32Array.of(0, 2048, 4096);
  const sgCounts = Float64Array.from({ length: 200 }, () => 20);
  const sgIn = fill(new Float32Array(200 * 32), 10);
  const sgOut = new Float32Array(200 * 32);
  const sgParams = { dim: 32, window: 3, negative: 3, sample: 0, lr: 0.025, epochs: 1, threads: 1, roundWords: 4096, seed: 1, isa: 'auto' } as const;
  // A 256 KiB file mapped (and read in) per call: an unmap that never happens would hold its pages.
  const scratch = mkdtempSync(path.join(tmpdir(), 'xmr-leak-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const mapped = path.join(scratch, 'rows.bin');
  writeFileSync(mapped, Buffer.alloc(256 * 1024, 7));
  // A small TREC run, read from its descriptor and parsed from memory.
  const runText = Array.from({ length: 200 }, (_, i) => `q${i % 10} Q0 d${i} ${i + 1} ${(1000 - i) / 7} tag\n`).join('');
  const runFile = path.join(scratch, 'run.trec');
  writeFileSync(runFile, runText);
  const runFd = openSync(runFile, 'r');
  const runBytes = new TextEncoder().encode(runText);

  return [
    ['Bf16Docs + row', LARGE, () => new n.Bf16Docs(bfDocs, 64, 1).row(3)],
    ['F32Docs + row', LARGE, () => new n.F32Docs(bfDocs, 64, 1, 'auto').row(3)],
    ['Bf16Docs (bf16 bits) + row', LARGE, () => new n.Bf16Docs(bfBits, 64, 1).row(3)],
    ['Bf16Docs (capacity) + reload', LARGE, () => new n.Bf16Docs(2048, 64).reload(bfBits, 1, false).capacity],
    ['Bf16Docs reload (in place, 16 rows)', SMALL, () => bfBuffer.reload(bfBits.subarray(0, 16 * 64), 1, true).n],
    ['perturbSync', SMALL, () => n.perturbSync(emb, grads, out, 0.1, 'l2', 2 * dim, dim, null, 1, 'auto')],
    ['projectSync', SMALL, () => n.projectSync(grads, out, 0.1, 'linf', 2 * dim, dim, Uint8Array.of(1, 1, 0, 1), 1, 'auto')],
    ['copyFloatsSync', SMALL, () => n.copyFloatsSync(grads, out, 1)],
    ['Bm25Index add/finish/stats', SMALL / 10, () => {
      const b = new n.Bm25Index();
      for (let d = 0; d < 8; d++) b.add(Uint32Array.of(d, 1, 2), Uint32Array.of(0, 3));
      b.finish(8);
      return b.stats;
    }],
    ['Bm25Index searchSync/docFreq/docLength', SMALL, () => [bm25.searchSync(qTerms, qOffsets, 5, 0.9, 0.4, 'lucene', 1), bm25.docFreq(5), bm25.docLength(3)]],
    ['Bm25Index search (async)', ASYNC, () => bm25.search(qTerms, qOffsets, 5, 0.9, 0.4, 'exact', 1)],
    ['Tokenizer (construct)', LARGE, () => new n.Tokenizer(spec).vocabSize],
    ['Tokenizer encodeBatchSync', SMALL, () => tok.encodeBatchSync(texts, encodeOptions)],
    ['Tokenizer encodeBatch (async)', ASYNC, () => tok.encodeBatch(texts, { ...encodeOptions, int64: true })],
    ['Tokenizer encode/idToToken/normalize/preTokenize', SMALL, () => [tok.encode(texts[2]!, true), tok.idToToken(100), tok.normalize(texts[2]!), tok.preTokenize(texts[0]!)]],
    ['DualEncoder encodeSync', SMALL, () => model.encodeSync(ids, offsets, 1, 'auto')],
    ['DualEncoder encode (async)', ASYNC, () => model.encode(ids, offsets, 1, 'auto')],
    ['DualEncoder encodeTexts (async)', ASYNC, () => textModel.encodeTexts(tok, texts, encodeOptions, 'auto')],
    ['DualEncoder (construct) + embeddings/projection', LARGE, () => {
      const m = new n.DualEncoder(1024, 16, 16, 3, 0.1);
      return [m.embeddings(), m.projection()];
    }],
    ['DualEncoder checkpoint/fromCheckpoint', LARGE, () => n.DualEncoder.fromCheckpoint(new n.DualEncoder(1024, 16, 16, 3, 0.1).checkpoint(0.05, 1, '{"a":1}')).model.dim],
    ['DualEncoderTrainer (construct, from checkpoint)', LARGE, () => new n.DualEncoderTrainer(n.DualEncoder.fromCheckpoint(checkpoint).model, trainerConfig, null).step],
    ['DualEncoderTrainer trainSync/checkpoint', LARGE, () => [trainer.trainSync(pool, poolOffsets, queries, positives, null, 8), trainer.checkpoint('{}')]],
    ['DualEncoderTrainer train (async)', LARGE, () => trainer.train(pool, poolOffsets, queries, positives, positives.map((p) => p + 1), 8)],
    ['DualEncoderTrainer setImageTower', LARGE, () => {
      const t = new n.DualEncoderTrainer(new n.DualEncoder(vocab, 16, 16, 1, 0.1), trainerConfig, null);
      t.setImageTower(n.ImageTower.fromCheckpoint(towerCheckpoint).model, null);
      return t.step;
    }],
    ['DualEncoderTrainer trainImagesSync/imageCheckpoint', LARGE, () => [imageTrainer.trainImagesSync(pool, poolOffsets, pixels, null, captions, images, 4), imageTrainer.imageCheckpoint('{}')]],
    ['DualEncoderTrainer trainImages (async)', LARGE, () => imageTrainer.trainImages(pool, poolOffsets, pixels, null, captions, images, 8)],
    ['ImageTower (construct)/params/checkpoint/fromCheckpoint', LARGE, () => n.ImageTower.fromCheckpoint(new n.ImageTower(shape.height, shape.width, shape.patch, shape.hidden, shape.outDim, 4).checkpoint(1, '{}')).model.params()],
    ['ImageTower encodeSync', LARGE * 10, () => tower.encodeSync(pixels, 1, 'auto')],
    ['ImageTower encode (async)', LARGE * 10, () => tower.encode(pixels, 1, 'auto')],
    ['profileFmaSync', LARGE, () => n.profileFmaSync('f32', 1000, 1, 'auto')],
    ['profileStreamSync', LARGE, () => n.profileStreamSync('triad', 1 << 14, 2, 1, 'auto')],
    ['skipgramTrainEpoch (async)', LARGE, () => n.skipgramTrainEpoch(sgIds, sgOffsets, sgCounts, sgIn, sgOut, sgParams, 0)],
    ['skipgramStepSync', SMALL, () => n.skipgramStepSync(vRow, uRows, 0.01, 'auto')],
    ['mapFileSync (populated; unmapped by GC)', LARGE, () => n.mapFileSync(mapped, true).byteLength],
    ['mapFileSync + prefetchSync', LARGE, () => n.prefetchSync(n.mapFileSync(mapped, false))],
    ['readRunFile (async)', LARGE * 10, () => n.readRunFile(runFd, 0, runBytes.length, 2)],
    // Counted as large: a parser's columns (huge-page backed, src/trec) are not reported to V8 either,
    // so 10,000 in a row between GCs grew RSS by ~10 MB that the next GCs freed.
    // Freed at once, so that a leak in the release itself would show at the plain call count.
    ['readRunFile + releaseRunColumns', LARGE * 10, async () => n.releaseRunColumns(await n.readRunFile(runFd, 0, runBytes.length, 2))],
    ['TrecRunParser parse/finish', LARGE * 10, () => {
      const parser = new n.TrecRunParser();
      parser.parse(runBytes);
      return parser.finish();
    }],
  ];
}

/**
 * Calls `f` `count` times; async calls are awaited in groups of 64 so that the pool stays busy —
 * one at a time on a model or trainer, which refuses a second call while one runs. Sync calls get a
 * turn of the event loop every 1,024 calls, as a program gives one between batches: Node-API runs
 * the finalizers that free the native side of dead wrapped objects there, after a GC. Large calls
 * get a turn after each and a full GC after every 16, so that at most 16 calls' garbage (reached in
 * the warm-up too) is alive at once whatever V8 would schedule — before Tokenizers reported their
 * tables to V8 (2.2 MB for a 30,000-token vocabulary), 400 made in a row held 880 MB until the next
 * GC — and a leak, which no GC frees, is the only way for RSS to keep growing.
 */
async function loop(name: string, count: number, f: Call): Promise<void> {
  const large = count < 10_000;
  const group = large || /^(DualEncoder|ImageTower|skipgram)/.test(name) ? 1 : 64;
  for (let i = 0; i < count; ) {
    const pending: unknown[] = [];
    for (let j = 0; j < group && i < count; j++, i++) pending.push(f());
    if (pending[0] instanceof Promise) await Promise.all(pending);
    if (large && i % 16 === 0) gc();
    if (large || i % 1024 < group) await new Promise((r) => setImmediate(r));
  }
}

// argv[2]: 'topk' runs the top-k entry points, 'other' the rest, each group in a process of its own
// with only its own objects alive. Seen on Node 20: a tight loop of tiny topkSync calls while many
// objects that report native memory to V8 (models, indexes, towers) are alive grew RSS to a plateau
// of 0.4–1.4 GB during its first ~10,000 calls — or, once under heavy load, past the warm-up —
// with calls 100× slower meanwhile (GCs for "external memory pressure"); without them it stays
// flat. That is V8's GC scheduling, not a leak, but it would hide or fake one.
const group = process.argv[2] ?? 'other';
const bound = Number(process.argv[3]);
for (const [name, count, f] of group === 'topk' ? topkEntries() : otherEntries()) {
  const t0 = performance.now();
  await loop(name, Math.max(1, Math.round(count / 10)), f);
  // Two halves, RSS read after each: a leak grows both by the same amount; a plateau the heap or the
  // allocator reaches once (seen: 13 MiB in one half on a loaded CI machine) grows one.
  const before = await rss();
  await loop(name, Math.ceil(count / 2), f);
  const mid = await rss();
  await loop(name, Math.floor(count / 2), f);
  const after = await rss();
  // Both halves grew past half the bound: a leak, or growth that then stops (seen under a load of
  // 8–10: 8.9 and 12.3 MB for the Tokenizer's constructor, flat alone). Twice the calls more tell
  // them apart (test/native-leak.test.ts).
  const confirm = Math.min(mid - before, after - mid) > bound / 2 ? (await loop(name, 2 * count, f), await rss()) : undefined;
  process.stdout.write(JSON.stringify({ name, calls: count, before, mid, after, confirm, ms: Math.round(performance.now() - t0) }) + '\n');
}
