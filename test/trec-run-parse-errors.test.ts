/** Malformed TREC runs and qrels are errors naming file, line and what was expected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQrels, parseRun, readRun } from '../src/data/trec/index.js';

const err = (code: string, message: string) => ({ name: 'XmrError', code, message });

test('wrong field counts', () => {
  assert.throws(() => parseRun('q1 Q0 d1 1 0.5 tag\nq1 Q0 d2 2 0.4\n', 'run.txt'), err('E_PARSE', 'run.txt:2: expected 6 fields (qid Q0 docno rank score tag), got 5'));
  assert.throws(() => parseRun('q1 Q0 d1', 'run.txt'), err('E_PARSE', 'run.txt:1: expected 6 fields (qid Q0 docno rank score tag), got 3'));
  assert.throws(() => parseQrels('q1 0 d1\n', 'qrels.txt'), err('E_PARSE', 'qrels.txt:1: expected 4 fields (qid iter docno relevance), got 3'));
});

test('non-numeric rank, score or relevance', () => {
  assert.throws(() => parseRun('q1 Q0 d1 one 0.5 t\n', 'run.txt'), err('E_PARSE', 'run.txt:1: expected an integer rank in field 4, got "one"'));
  assert.throws(() => parseRun('\nq1 Q0 d1 1 0.5x t\n', 'run.txt'), err('E_PARSE', 'run.txt:2: expected a number for the score in field 5, got "0.5x"'));
  assert.throws(() => parseRun('q1 Q0 d1 1 nan t\n', 'run.txt'), err('E_PARSE', 'run.txt:1: expected a number for the score in field 5, got "nan"'));
  assert.throws(() => parseQrels('q1 0 d1 1.0\n', 'qrels.txt'), err('E_PARSE', 'qrels.txt:1: expected an integer relevance in field 4, got "1.0"'));
});

test('a document twice for one query is an error, as in trec_eval', () => {
  assert.throws(() => parseRun('q1 Q0 d1 1 0.5 t\nq2 Q0 d1 1 0.5 t\nq1 Q0 d1 2 0.4 t\n', 'run.txt'), err('E_DUPLICATE', 'run.txt:3: duplicate document "d1" for query "q1" (first at line 1)'));
  assert.throws(() => parseQrels('q1 0 d1 1\nq1 0 d1 0\n', 'qrels.txt'), err('E_DUPLICATE', 'qrels.txt:2: duplicate judgment for document "d1" in query "q1" (first at line 1)'));
});

test('empty input and missing files', async () => {
  assert.throws(() => parseRun('\n  \n', 'run.txt'), err('E_EMPTY', 'run.txt: empty run: no result lines'));
  assert.throws(() => parseQrels('', 'qrels.txt'), err('E_EMPTY', 'qrels.txt: empty qrels: no judgment lines'));
  await assert.rejects(readRun('/nonexistent/run.txt'), err('E_MISSING', '/nonexistent/run.txt: file not found'));
});

test('scores parse as C doubles: exponents, signs, many digits; tabs and CRLF are accepted', () => {
  const run = parseRun('q1\tQ0\td1\t1\t1e-3\tt\r\nq1 Q0 d2 2 -0.25 t\nq1 Q0 d3 3 0.12345678901234567890 t\nq1 Q0 d4 4 +7 t');
  assert.deepEqual(run.toObject(), { q1: { d4: 7, d3: 0.12345678901234568, d1: 0.001, d2: -0.25 } });
});
