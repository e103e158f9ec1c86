/** Query sets: every qrels query (trec_eval -c, missing → 0) or the intersection; run-only queries ignored and counted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Qrels, Run } from '../src/data/trec/index.js';
import { evaluate } from '../src/eval/evaluate.js';

const qrels = Qrels.fromObject({ q2: { a: 1 }, q1: { b: 2, c: 0 }, q3: { d: 1 } });
const run = Run.fromObject({ q1: { c: 2, b: 1 }, q2: { a: 5 }, extra: { z: 1 } });

test("'all' averages over every qrels query, sorted by id; a missing one scores 0", () => {
  const ev = evaluate(qrels, run, 'RR,P@1');
  assert.deepEqual(ev.queryIds, ['q1', 'q2', 'q3']);
  assert.deepEqual([...ev.perQuery.get('RR')!], [0.5, 1, 0]);
  assert.equal(ev.mean.get('RR'), 0.5);
  assert.deepEqual([...ev.perQuery.get('P@1')!], [0, 1, 0]);
  assert.deepEqual(ev.warnings.map((w) => [w.code, w.count, w.message]), [
    ['RUN_ONLY_QUERIES', 1, '1 run query not in the qrels ignored (e.g. extra)'],
    ['MISSING_FROM_RUN', 1, '1 qrels query without results in the run scored 0 (trec_eval -c) (e.g. q3)'],
  ]);
});

test("'intersection' leaves out qrels queries the run lacks (BEIR)", () => {
  const ev = evaluate(qrels, run, ['RR'], { queries: 'intersection' });
  assert.deepEqual(ev.queryIds, ['q1', 'q2']);
  assert.equal(ev.mean.get('RR'), 0.75);
  assert.equal(ev.missingFromRun, 1);
  assert.equal(ev.runOnly, 1);
});

test('no shared query under intersection is an error; a bad mode is a RangeError', () => {
  const other = Run.fromObject({ zz: { a: 1 } });
  assert.throws(() => evaluate(qrels, other, 'RR', { queries: 'intersection' }), { code: 'E_EMPTY' });
  assert.throws(() => evaluate(qrels, run, 'RR', { queries: 'some' as 'all' }), { name: 'RangeError', message: `options.queries must be 'all' or 'intersection', got "some"` });
});
