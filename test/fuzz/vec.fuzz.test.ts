// Fuzz target vec: readVec on mutations of fuzz/corpus/vec (fastText/MUSE text embeddings).
import assert from 'node:assert/strict';
import { readVec } from '../../src/data/lexicons/vec.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget, strictNumber } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'vec',
  read: (file) => readVec(file),
  canonical: (e) => ({ words: e.words, dim: e.dim, vectors: [...e.vectors] }),
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
  // Each accepted component is the float32 nearest the decimal written — a finite one.
  accepted: (bytes, e, context) => {
    const lines = Buffer.from(bytes).toString('utf8').split('\n').slice(1).map((l) => l.trimEnd().split(' '));
    e.words.forEach((w, i) => {
      const f = lines.find((l) => l[0] === w)!;
      for (let j = 0; j < e.dim; j++) {
        const want = strictNumber(f[j + 1]!);
        assert.ok(want !== undefined && Number.isFinite(Math.fround(want)), `${context}: accepted ${JSON.stringify(f[j + 1])} as ${e.vectors[i * e.dim + j]}`);
        assert.equal(e.vectors[i * e.dim + j], Math.fround(want), `${context}: ${w}[${j}]`);
      }
    });
  },
});
