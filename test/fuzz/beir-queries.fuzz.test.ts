// Fuzz target beir-queries: readBeirQueries (plain and gzip) on mutations of fuzz/corpus/beir-queries.
import assert from 'node:assert/strict';
import { readBeirQueries } from '../../src/data/beir.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget, plainBytes } from '../helpers/fuzz.js';
import { writtenIntegerIds } from './written-ids.js';

fuzzTarget({
  target: 'beir-queries',
  read: (file) => readBeirQueries(file),
  canonical: (q) => q,
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
  accepted: (bytes, q, context) => {
    for (const id of writtenIntegerIds(plainBytes(bytes))) assert.ok(q.ids.includes(String(BigInt(id))), `${context}: the _id ${id} was read as something else (ids: ${q.ids.join(', ')})`);
  },
});
