// Fuzz target beir-qrels: readBeirQrels (plain and gzip) on mutations of fuzz/corpus/beir-qrels.
import assert from 'node:assert/strict';
import { readBeirQrels } from '../../src/data/beir.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget, plainBytes } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'beir-qrels',
  read: (file) => readBeirQrels(file),
  canonical: (q) => q.toObject(),
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
  // Every accepted score is the integer its row wrote.
  accepted: (bytes, qrels, context) => {
    const got = qrels.toObject();
    const rows = Buffer.from(plainBytes(bytes)).toString('utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '').slice(1).map((l) => l.split('\t').map((f) => f.trim()));
    for (const [q, d, s] of rows) {
      assert.match(s!, /^[+-]?\d+$/, `${context}: accepted the score ${JSON.stringify(s)}`);
      const values = rows.filter((r) => r[0] === q && r[1] === d).map((r) => Number(r[2]));
      assert.ok(values.includes(got[q!]?.[d!] as number), `${context}: ${q} ${d} read as ${got[q!]?.[d!]}, the file says ${values.join(' or ')}`);
    }
  },
});
