/** BEIR folders: plain and gzipped files, the split's queries only, clear errors and counted warnings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadBeir, readBeirCorpus, readBeirQrels } from '../src/data/beir.js';

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-beir-'));
  mkdirSync(path.join(dir, 'qrels'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return dir;
}

const corpus = '{"_id": "d1", "title": "T1", "text": "one"}\n{"_id": "d2", "text": "two"}\n\n{"_id": 3, "title": null, "text": "three"}';
const queries = '{"_id": "q1", "text": "first"}\n{"_id": "q2", "text": "second"}\n';

test('loads corpus, the split\'s queries and qrels; gz variants; warnings for unknown ids', async () => {
  const dir = folder({
    'corpus.jsonl.gz': gzipSync(corpus),
    'queries.jsonl': queries,
    'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq2\td2\t1\nq2\td9\t0\nq7\td1\t2\n',
    'qrels/dev.tsv.gz': gzipSync('query-id\tcorpus-id\tscore\r\nq1\t3\t1\r\n'),
  });
  const ds = await loadBeir(dir);
  assert.deepEqual(ds.corpus, { ids: ['d1', 'd2', '3'], titles: ['T1', '', ''], texts: ['one', 'two', 'three'] });
  assert.deepEqual(ds.queries, { ids: ['q2'], texts: ['second'] });
  assert.deepEqual(ds.qrels.toObject(), { q2: { d2: 1, d9: 0 }, q7: { d1: 2 } });
  assert.deepEqual(ds.warnings.map((w) => w.message), ['test.tsv: 1 judged document id is not in the corpus (e.g. d9)', 'test.tsv: 1 judged query id is not in queries.jsonl (e.g. q7)']);
  const dev = await loadBeir(dir, { split: 'dev' });
  assert.deepEqual(dev.qrels.toObject(), { q1: { '3': 1 } });
  assert.deepEqual(dev.warnings, []);
});

test('a missing split lists the available ones', async () => {
  const dir = folder({ 'corpus.jsonl': corpus, 'queries.jsonl': queries, 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\n' });
  await assert.rejects(loadBeir(dir, { split: 'train' }), { code: 'E_MISSING', message: `${dir}: split "train" not found (no qrels/train.tsv); available splits: test` });
});

test('malformed lines, duplicates and empty files are errors with file and line', async () => {
  const dir = folder({
    'bad.jsonl': '{"_id": "d1", "text": "a"}\n{"_id": "d1", "text": "b"}\n',
    'notext.jsonl': '{"_id": "d1", "title": "a"}\n',
    'broken.jsonl': '{"_id": "d1", "text": "a"}\n{"_id": \n',
    'empty.jsonl': '\n',
    'nohead.tsv': 'q1\td1\t1\n',
    'score.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\thigh\n',
    'fields.tsv': 'query-id\tcorpus-id\tscore\nq1 d1 1\n',
  });
  const f = (n: string): string => path.join(dir, n);
  await assert.rejects(readBeirCorpus(f('bad.jsonl')), { code: 'E_DUPLICATE', message: `${f('bad.jsonl')}:2: duplicate _id "d1" (first at line 1)` });
  await assert.rejects(readBeirCorpus(f('notext.jsonl')), { code: 'E_PARSE', message: `${f('notext.jsonl')}:1: expected "text" to be a string, got nothing` });
  await assert.rejects(readBeirCorpus(f('broken.jsonl')), { code: 'E_PARSE', message: new RegExp(`^${f('broken.jsonl')}:2: expected one JSON object per line \\(`) });
  await assert.rejects(readBeirCorpus(f('empty.jsonl')), { code: 'E_EMPTY', message: `${f('empty.jsonl')}: empty file: no JSON lines` });
  await assert.rejects(readBeirQrels(f('nohead.tsv')), { code: 'E_PARSE', message: `${f('nohead.tsv')}:1: expected a header row (query-id, corpus-id, score) first, got a judgment` });
  await assert.rejects(readBeirQrels(f('score.tsv')), { code: 'E_PARSE', message: `${f('score.tsv')}:2: expected an integer score in field 3, got "high"` });
  await assert.rejects(readBeirQrels(f('fields.tsv')), { code: 'E_PARSE', message: `${f('fields.tsv')}:2: expected 3 tab-separated fields (query-id, corpus-id, score), got 1` });
});
