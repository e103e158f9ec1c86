// Fuzz target beir-corpus: readBeirCorpus (plain and gzip) on mutations of fuzz/corpus/beir-corpus.
import assert from 'node:assert/strict';
import { readBeirCorpus } from '../../src/data/beir.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget, plainBytes } from '../helpers/fuzz.js';
import { writtenIntegerIds } from './written-ids.js';

fuzzTarget({
  target: 'beir-corpus',
  read: (file) => readBeirCorpus(file),
  canonical: (c) => c,
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
  // An integer _id is read as the digits written, never as a rounded double.
  accepted: (bytes, c, context) => {
    for (const id of writtenIntegerIds(plainBytes(bytes))) assert.ok(c.ids.includes(String(BigInt(id))), `${context}: the _id ${id} was read as something else (ids: ${c.ids.join(', ')})`);
  },
});
