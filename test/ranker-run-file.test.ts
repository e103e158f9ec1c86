// The Ranker interface end to end: a RankedRun becomes a TREC run (written, read back, evaluated),
// and a TREC run file used as a ranker returns the stored rankings for the asked queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bm25Ranker, RankedRun, RunFileRanker } from '../src/index.js';
import { parseQrels, parseRun, readRun } from '../src/data/trec/index.js';
import { evaluate } from '../src/eval/evaluate.js';

const RUN = `q1 Q0 dA 1 3.5 sys
q1 Q0 dB 2 2.25 sys
q1 Q0 dC 3 1 sys
q2 Q0 dC 1 9 sys
`;

test('RunFileRanker returns the stored ranking cut at k; unknown queries get none and a note', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-runfile-'));
  try {
    const file = path.join(dir, 'run.trec');
    writeFileSync(file, RUN);
    const r = new RunFileRanker(file, { name: 'external' });
    await r.index([]);
    const run = await r.search([{ id: 'q2', text: '' }, { id: 'q1', text: '' }, { id: 'q9', text: '' }], 2);
    assert.equal(run.ranker, 'external');
    assert.deepEqual(run.queryIds, ['q2', 'q1', 'q9']);
    assert.deepEqual(run.ranking(0), { docIds: ['dC'], scores: [9] });
    assert.deepEqual(run.ranking(1), { docIds: ['dA', 'dB'], scores: [3.5, 2.25] });
    assert.deepEqual(run.ranking(2), { docIds: [], scores: [] });
    assert.deepEqual(run.notes, ['1 of 3 queries are not in the run (e.g. q9): empty rankings']);
    const fromRun = await new RunFileRanker(parseRun(RUN)).search({ ids: ['q1'], texts: [''] }, 10);
    assert.deepEqual(fromRun.ranking(0).docIds, ['dA', 'dB', 'dC']);
    assert.equal(fromRun.ranker, 'run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('RunFileRanker: bad arguments and a missing file', async () => {
  assert.throws(() => new RunFileRanker(''), { name: 'TypeError', message: 'the run file path must be a non-empty string' });
  assert.throws(() => new RunFileRanker(42 as never), { name: 'TypeError', message: 'source must be a TREC run file path or a Run' });
  assert.throws(() => new RunFileRanker('x', { name: 'two words' }), { name: 'TypeError', message: 'name must be one word without spaces, got "two words"' });
  await assert.rejects(new RunFileRanker('/nonexistent/run.trec').index(), { code: 'E_MISSING' });
});

test('a BM25 RankedRun written as TREC reads back to the same run and evaluates like it', async () => {
  const r = new Bm25Ranker();
  await r.index([
    { id: 'd1', text: 'The cat sat on the mat.' },
    { id: 'd2', text: "Dogs and cats: a dog's life." },
    { id: 'd3', text: 'A mat for a dog' },
  ]);
  const run = await r.search([{ id: 'q1', text: 'cat' }, { id: 'q2', text: 'dog life' }], 10);
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-ranked-'));
  try {
    const file = path.join(dir, 'bm25.trec');
    await run.write(file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /^q1 Q0 d1 1 0\.247370\d+ bm25$/);
    const back = await readRun(file);
    assert.deepEqual(back.toObject(), run.toRun().toObject());
    const qrels = parseQrels('q1 0 d2 1\nq2 0 d3 1\n');
    const ev = evaluate(qrels, back, 'RR@10');
    assert.deepEqual(Array.from(ev.perQuery.get('RR@10')!), [0.5, 0.5]);
    const timing = run.timing();
    assert.equal(timing.queries, 2);
    assert.ok(timing.totalMs >= 0 && timing.p50Ms >= 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('RankedRun.ranking checks its index', () => {
  const run = new RankedRun('x', ['q'], new Int32Array([0, 0]), [], new Float64Array(0), new Float64Array(1), 0);
  assert.throws(() => run.ranking(1), { name: 'RangeError', message: 'query index must be in [0, 1), got 1' });
});
