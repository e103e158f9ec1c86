// Fuzz target trec-run: readRun on mutations of fuzz/corpus/trec-run (see test/helpers/fuzz.ts).
import assert from 'node:assert/strict';
import { readRun } from '../../src/data/trec/index.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget, strictNumber } from '../helpers/fuzz.js';
import { trecDataLines } from './trec-lines.js';

/** A score as the run reader takes it (trec_eval's atof, strictly): a decimal literal (±Infinity beyond the double range), or inf / infinity in any case. */
function runScore(token: string): number | undefined {
  const inf = /^([+-]?)inf(?:inity)?$/i.exec(token);
  return inf !== null ? (inf[1] === '-' ? -Infinity : Infinity) : strictNumber(token);
}

fuzzTarget({
  target: 'trec-run',
  read: (file) => readRun(file, { threads: 1 }),
  canonical: (run) => run.toObject(),
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
  // Every accepted score is the one its line wrote, read as strtod reads a whole token (NaN never).
  accepted: (bytes, run, context) => {
    const got = run.toObject();
    const lines = trecDataLines(bytes, (l) => l.trimStart().startsWith('#'));
    for (const t of lines) {
      const [q, , d, , score] = t;
      const want = runScore(score!);
      assert.ok(want !== undefined && !Number.isNaN(want), `${context}: accepted the score ${JSON.stringify(score)} of ${t.join(' ')}`);
      const values = lines.filter((u) => u[0] === q && u[2] === d).map((u) => runScore(u[4]!));
      assert.ok(values.includes(got[q!]?.[d!]), `${context}: ${q} ${d} read as ${got[q!]?.[d!]}, the file says ${values.join(' or ')}`);
    }
  },
});
