// Fuzz target karpathy: readKarpathy (streamed) on mutations of fuzz/corpus/karpathy; an accepted
// file must read the same as the whole-document reader parseKarpathy(JSON.parse(…)) reads it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseKarpathy, readKarpathy } from '../../src/data/image-text/index.js';
import { CRLF, JSON_PLACE, fuzzTarget } from '../helpers/fuzz.js';
import { writtenIdFields } from './written-ids.js';

fuzzTarget({
  target: 'karpathy',
  read: (file) => ({ file, set: readKarpathy(file) }),
  canonical: (r) => r.set,
  place: JSON_PLACE,
  neutral: { CRLF },
  accepted: (bytes, r, context) => {
    // An integer id is read as the digits written: one that a double cannot hold must be refused
    // (two ids beyond 2^53 would otherwise become one).
    for (const id of writtenIdFields(bytes, ['sentid'])) assert.equal(String(Number(id)), String(BigInt(id)), `${context}: accepted the id ${id}, read as ${Number(id)}`);
    assert.deepEqual(r.set, parseKarpathy(JSON.parse(readFileSync(r.file, 'utf8')), r.file), `${context}: the streamed and whole-document readers differ`);
  },
});
