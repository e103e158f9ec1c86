/**
 * `#` comments and text after the run tag are read as trec_eval 10 reads them (get_trec_results.c,
 * get_qrels.c): runs skip a line whose first non-blank character is `#` and ignore the rest of a line
 * after the tag; qrels skip a line whose first character is `#`, and a `#` anywhere else is data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQrels, parseRun } from '../src/data/trec/index.js';

const err = (code: string, message: string) => ({ name: 'XmrError', code, message });

test('run: comment lines, indented ones included, are skipped; line numbers still count them', () => {
  const run = parseRun('# system X\nq1 Q0 d1 1 0.5 t\n  \t# indented\nq1 Q0 d#2 2 0.4 t\n');
  assert.deepEqual(run.toObject(), { q1: { d1: 0.5, 'd#2': 0.4 } });
  assert.throws(() => parseRun('# c\n# c\nq1 Q0 d1 x 0.5 t\n', 'run.txt'), err('E_PARSE', 'run.txt:3: expected an integer rank in field 4, got "x"'));
});

test('run: text after the tag is ignored (trec_eval results.trunc)', () => {
  const run = parseRun('301\tQ0\tA\t99\t  2.5\tSTANDARD more junk at\n301 Q0 B 98 2.25 STANDARD end of lines.\r\n301 Q0 C 1 1 t  \n');
  assert.deepEqual(run.toObject(), { '301': { A: 2.5, B: 2.25, C: 1 } });
  assert.throws(() => parseRun('q1 Q0 d1 1 0.5 tag extra\nq1 Q0 d2 1 0.4\n', 'run.txt'), err('E_PARSE', 'run.txt:2: expected 6 fields (qid Q0 docno rank score tag), got 5'));
  assert.throws(() => parseRun('q1 Q0 d1 1 0.5x tag extra\n', 'run.txt'), err('E_PARSE', 'run.txt:1: expected a number for the score in field 5, got "0.5x"'));
});

test('qrels: `#` in the first column is a comment, elsewhere it is data', () => {
  const q = parseQrels('# comment here\n301 0 A 1\n# one\n# two\n301 0 CR#93E-1860 0\n #x 0 B 2\n');
  assert.deepEqual(q.toObject(), { '301': { A: 1, 'CR#93E-1860': 0 }, '#x': { B: 2 } });
  assert.throws(() => parseQrels('# c\n301 0 A 1 # trailing\n', 'qrels.txt'), err('E_PARSE', 'qrels.txt:2: expected 4 fields (qid iter docno relevance), got 6'));
});
