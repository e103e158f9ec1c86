// Fuzz target coco: readCoco (streamed) on mutations of fuzz/corpus/coco; an accepted file must read
// the same as the whole-document reader parseCoco(JSON.parse(…)) reads it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCoco, readCoco } from '../../src/data/image-text/index.js';
import { CRLF, JSON_PLACE, fuzzTarget } from '../helpers/fuzz.js';
import { writtenIdFields } from './written-ids.js';

fuzzTarget({
  target: 'coco',
  read: (file) => ({ file, set: readCoco(file) }),
  canonical: (r) => r.set,
  place: JSON_PLACE,
  neutral: { CRLF },
  accepted: (bytes, r, context) => {
    // An integer id is read as the digits written: one that a double cannot hold must be refused
    // (two ids beyond 2^53 would otherwise become one).
    for (const id of writtenIdFields(bytes, ['id', 'image_id'])) assert.equal(String(Number(id)), String(BigInt(id)), `${context}: accepted the id ${id}, read as ${Number(id)}`);
    assert.deepEqual(r.set, parseCoco(JSON.parse(readFileSync(r.file, 'utf8')), r.file), `${context}: the streamed and whole-document readers differ`);
  },
});
