// Fuzz target npy: readNpy on mutations of fuzz/corpus/npy (NumPy .npy, float32 and float16).
import assert from 'node:assert/strict';
import { readNpy } from '../../src/data/npy.js';
import { fuzzTarget, quote } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'npy',
  read: (file) => readNpy(file),
  canonical: (m) => ({ ...m, data: [...m.data] }),
  place: (file) => new RegExp(`${quote(file)}: `),
  // An accepted shape is what numpy would write: non-negative integers whose product is the data length.
  accepted: (_bytes, m, context) => {
    assert.ok(Number.isSafeInteger(m.rows) && m.rows >= 0 && Number.isSafeInteger(m.cols) && m.cols >= 0, `${context}: accepted the shape (${m.rows}, ${m.cols})`);
    assert.equal(m.data.length, m.rows * m.cols, `${context}: data length`);
  },
});
