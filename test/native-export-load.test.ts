// A native export folder (exportDualEncoder) loads back into a DualEncoder that encodes exactly as
// the exported model; a damaged tensor file or a foreign manifest is an error naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DualEncoder, exportDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { isNativeExportFolder, loadDualEncoderExport } from '../src/encoders/native-export-folder.js';

const seqs = { ids: Int32Array.from([1, 5, 5, 2, 9, 0, 3]), offsets: Uint32Array.from([0, 3, 3, 7]) };

for (const outDim of [0, 3]) {
  test(`export → load gives the same encodings (${outDim ? 'with' : 'without'} a projection)`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xmr-native-export-'));
    const model = DualEncoder.create({ vocabSize: 10, dim: 4, outDim, seed: 7, initStd: 0.4 });
    const tok = path.join(dir, 'vocab.txt');
    writeFileSync(tok, '[PAD]\n[UNK]\n[CLS]\n[SEP]\n');
    const out = path.join(dir, 'export');
    exportDualEncoder(model, out, { tau: 0.05, tokenizerFile: tok });
    assert.equal(isNativeExportFolder(out), true);
    assert.equal(isNativeExportFolder(dir), false);
    const back = loadDualEncoderExport(out);
    assert.deepEqual([back.model.vocabSize, back.model.dim, back.model.outDim, back.model.hasProjection], [10, 4, outDim || 4, outDim > 0]);
    assert.equal(back.tokenizerFile, path.join(out, 'vocab.txt'));
    assert.deepEqual(back.model.encodeSync(seqs), model.encodeSync(seqs));
    assert.deepEqual(back.model.embeddings(), model.embeddings());
  });
}

test('a changed tensor file and a foreign manifest are errors naming the file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-native-export-'));
  exportDualEncoder(DualEncoder.create({ vocabSize: 6, dim: 2 }), dir);
  const bin = path.join(dir, 'embeddings.bin');
  const bytes = readFileSync(bin);
  bytes[0] = bytes[0]! ^ 1;
  writeFileSync(bin, bytes);
  assert.throws(() => loadDualEncoderExport(dir), { code: 'E_PARSE', message: `${bin}: SHA-256 differs from the manifest: the file was changed or damaged` });
  const manifest = path.join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), format: 'other' }));
  assert.throws(() => loadDualEncoderExport(dir), { code: 'E_CONFIG', message: `${manifest}: format: expected 'xmrbench-dual-encoder', got "other"` });
});
