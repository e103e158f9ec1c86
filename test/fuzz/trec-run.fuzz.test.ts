// Fuzz target trec-run: readRun on mutations of fuzz/corpus/trec-run (see test/helpers/fuzz.ts).
import assert from 'node:assert/strict';
import { readRun } from '../../src/data/trec/index.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget, strictNumber } from '../helpers/fuzz.js';
import { trecDataLines } from './trec-lines.js';

fuzzTarget({
  target: 'trec-run',
  read: (file) => readRun(file, { threads: 1 }),
  canonical: (run) => run.toObject(),
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
  // Every accepted score is the one its line wrote, read as strtod reads a whole token.
  accepted: (bytes, run, context) => {
    const got = run.toObject();
    const lines = trecDataLines(bytes, (l) => l.trimStart().startsWith('#'));
    for (const t of lines) {
      const [q, , d, , score] = t;
      const want = strictNumber(score!);
      assert.ok(want !== undefined && Number.isFinite(want), `${context}: accepted the score ${JSON.stringify(score)} of ${t.join(' ')}`);
      const values = lines.filter((u) => u[0] === q && u[2] === d).map((u) => strictNumber(u[4]!));
      assert.ok(values.includes(got[q!]?.[d!]), `${context}: ${q} ${d} read as ${got[q!]?.[d!]}, the file says ${values.join(' or ')}`);
    }
  },
});
