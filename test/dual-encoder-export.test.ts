// The export directory is enough to rebuild the encoder elsewhere: manifest shapes and hashes,
// raw little-endian float32 tensors, and an encoding recomputed from the files alone equals the
// native one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DualEncoder, exportDualEncoder, type ExportManifest } from '../src/index.js';

test('export writes manifest + tensors from which the encoder is rebuilt exactly', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-export-'));
  const model = DualEncoder.create({ vocabSize: 12, dim: 6, outDim: 4, seed: 3, initStd: 0.5 });
  const tok = path.join(dir, 'vocab.txt');
  writeFileSync(tok, '[PAD]\n[UNK]\n[CLS]\n[SEP]\n');
  const out = path.join(dir, 'export');
  exportDualEncoder(model, out, { tau: 0.1, tokenizerFile: tok, config: { run: 'test' } });
  const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as ExportManifest;
  assert.equal(m.format, 'xmrbench-dual-encoder');
  assert.equal(m.version, 1);
  assert.deepEqual([m.vocabSize, m.dim, m.outDim, m.pooling, m.normalize, m.temperature], [12, 6, 4, 'mean', 'l2', 0.1]);
  assert.deepEqual(m.tensors.embeddings!.shape, [12, 6]);
  assert.deepEqual(m.tensors.projection!.shape, [4, 6]);
  assert.equal(m.tokenizer!.file, 'vocab.txt');
  const load = (name: string) => {
    const bytes = readFileSync(path.join(out, m.tensors[name]!.file));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), m.tensors[name]!.sha256);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
  };
  const E = load('embeddings');
  const W = load('projection');
  assert.deepEqual(E, model.embeddings());
  // ids [3, 7, 7] through the documented graph
  const ids = [3, 7, 7];
  const mean = Array.from({ length: 6 }, (_, p) => ids.reduce((a, t) => a + E[t * 6 + p]!, 0) / ids.length);
  const u = Array.from({ length: 4 }, (_, r) => mean.reduce((a, x, p) => a + W[r * 6 + p]! * x, 0));
  const norm = Math.hypot(...u);
  const native = model.encodeSync({ ids: Int32Array.from(ids), offsets: Uint32Array.from([0, 3]) });
  u.forEach((x, r) => assert.ok(Math.abs(x / norm - native[r]!) < 1e-6));
});
