// Fuzz target trec-qrels: readQrels on mutations of fuzz/corpus/trec-qrels (see test/helpers/fuzz.ts).
import assert from 'node:assert/strict';
import { readQrels } from '../../src/data/trec/index.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget } from '../helpers/fuzz.js';
import { trecDataLines } from './trec-lines.js';

fuzzTarget({
  target: 'trec-qrels',
  read: (file) => readQrels(file),
  canonical: (qrels) => qrels.toObject(),
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
  // Every accepted relevance is the integer its line wrote (trec_eval's atol on a whole token).
  accepted: (bytes, qrels, context) => {
    const got = qrels.toObject();
    const lines = trecDataLines(bytes, (l) => l.startsWith('#'));
    for (const t of lines) {
      const [q, , d, rel] = t;
      assert.match(rel!, /^[+-]?\d+$/, `${context}: accepted the relevance ${JSON.stringify(rel)} of ${t.join(' ')}`);
      const values = lines.filter((u) => u[0] === q && u[2] === d).map((u) => Number(u[3]));
      assert.ok(values.includes(got[q!]?.[d!] as number), `${context}: ${q} ${d} read as ${got[q!]?.[d!]}, the file says ${values.join(' or ')}`);
    }
  },
});
