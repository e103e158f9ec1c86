// Fuzz target checkpoint-file: the dual encoder's .xde and the image tower's .xit checkpoint files
// (readCheckpointFile, readImageTowerFile: src/encoders/checkpoint-file.ts and the native reader) on
// mutations of fuzz/corpus/checkpoint. Two runs in three rewrite the CRC-32 after mutating, so the
// header and shape checks behind the checksum are reached.
import { crc32 } from 'node:zlib';
import { readCheckpointFile } from '../../src/encoders/dual-encoder-model.js';
import { readImageTowerFile } from '../../src/encoders/image-tower-model.js';
import { fuzzTarget, quote } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'checkpoint-file',
  corpus: 'checkpoint',
  read: (file) => {
    if (file.endsWith('.xit')) {
      const t = readImageTowerFile(file);
      return { shape: t.model.shape, step: t.step, config: t.config, params: [...t.model.params()] };
    }
    const d = readCheckpointFile(file);
    return { info: d.info, vocab: d.model.vocabSize, dim: d.model.dim, E: [...d.model.embeddings()], W: d.model.projection() && [...d.model.projection()!] };
  },
  canonical: (v) => v,
  // A binary file: the message names the file and the part that is wrong (the header's field, the checksum, the length).
  place: (file) => new RegExp(`${quote(file)}: .*(checkpoint|config|magic)`),
  // The layout's last 8 bytes: the CRC-32 of every byte before them, then "XEND".
  fixup: (b) => {
    if (b.length < 8) return b;
    const out = new Uint8Array(b);
    new DataView(out.buffer).setUint32(out.length - 8, crc32(out.subarray(0, out.length - 8)), true);
    return out;
  },
});
