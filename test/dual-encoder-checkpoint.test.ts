// Checkpoint files: a round trip keeps weights, optimiser state and config; a resumed trainer
// continues exactly as an uninterrupted one; truncated, foreign, corrupted and missing files are
// XmrErrors that name the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DualEncoder, DualEncoderTrainer, XmrError, readCheckpointFile, saveDualEncoder } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-ckpt-'));
const ids = Int32Array.from({ length: 600 }, (_, i) => (i * 7919) % 40);
const offsets = Uint32Array.from({ length: 61 }, (_, i) => i * 10);
const q = Int32Array.from({ length: 60 }, (_, i) => i % 30);
const d = Int32Array.from({ length: 60 }, (_, i) => 30 + (i % 30));
const batches = { queries: q, positives: d, batch: 6 };
const options = { lr: 0.01, threads: 2, adv: 'fgsm' as const, eps: 0.05, seed: 3 };

test('checkpoint round trip, and resuming equals training straight through', () => {
  const straight = DualEncoder.create({ vocabSize: 40, dim: 8, outDim: 4, seed: 2 });
  const t1 = new DualEncoderTrainer(straight, options);
  t1.trainSync({ ids, offsets }, batches);
  t1.trainSync({ ids, offsets }, batches);

  const half = DualEncoder.create({ vocabSize: 40, dim: 8, outDim: 4, seed: 2 });
  const t2 = new DualEncoderTrainer(half, options);
  t2.trainSync({ ids, offsets }, batches);
  const file = path.join(dir, 'half.xde');
  t2.saveCheckpoint(file, { note: 'half', progress: { epoch: 1 } });
  const loaded = readCheckpointFile(file);
  assert.deepEqual(loaded.info, { tau: Math.fround(0.05), step: 10, config: { note: 'half', progress: { epoch: 1 } }, hasOptimizer: true });
  assert.deepEqual(loaded.model.embeddings(), half.embeddings());
  assert.deepEqual(loaded.model.projection(), half.projection());
  const t3 = new DualEncoderTrainer(loaded.model, options, loaded.bytes);
  assert.equal(t3.step, 10);
  t3.trainSync({ ids, offsets }, batches);
  assert.deepEqual(loaded.model.embeddings(), straight.embeddings());
  assert.deepEqual(loaded.model.projection(), straight.projection());

  const light = path.join(dir, 'light.xde');
  saveDualEncoder(straight, light, { tau: 0.1, config: { a: 1 } });
  const l = readCheckpointFile(light);
  assert.equal(l.info.hasOptimizer, false);
  assert.ok(readFileSync(light).length < readFileSync(file).length / 2);
});

test('damaged checkpoint files are clear errors with the file name', () => {
  const model = DualEncoder.create({ vocabSize: 10, dim: 4 });
  const good = path.join(dir, 'good.xde');
  saveDualEncoder(model, good, { tau: 0.05 });
  const bytes = readFileSync(good);
  const cases: [string, Uint8Array | null, string, string][] = [
    ['truncated', bytes.subarray(0, bytes.length - 3), 'E_PARSE', `truncated checkpoint: ${bytes.length - 3} bytes, the header announces ${bytes.length}`],
    ['header only', bytes.subarray(0, 20), 'E_PARSE', 'truncated checkpoint: 20 bytes is shorter than the 88-byte header and trailer'],
    ['foreign', new TextEncoder().encode('{"not": "a checkpoint"}'), 'E_PARSE', 'not a dual-encoder checkpoint (it does not start with the magic bytes "XMRDE\\0")'],
    ['flipped byte', (() => { const b = Uint8Array.from(bytes); b[100]! ^= 1; return b; })(), 'E_PARSE', 'corrupted checkpoint: CRC-32 mismatch'],
    ['missing', null, 'E_MISSING', 'no such checkpoint file'],
  ];
  for (const [name, content, code, message] of cases) {
    const file = path.join(dir, `${name.replace(/ /g, '-')}.xde`);
    if (content !== null) writeFileSync(file, content);
    assert.throws(
      () => readCheckpointFile(file),
      (e: unknown) => e instanceof XmrError && e.code === code && e.file === file && e.message.startsWith(`${file}: ${message}`),
      name,
    );
  }
});
