// trec_eval's counts (num_q, num_ret, num_rel, num_rel_ret): per-query values, sums (not means) for
// `all`, trec_eval -c's num_rel quirk, integer printing, and num_q printed for `all` only. The
// agreement tests check the same against trec_eval itself where ../shared is present; this one
// needs nothing but the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEvaluation } from '../src/cli/eval.js';
import { Qrels, Run } from '../src/data/trec/index.js';
import { evaluate } from '../src/eval/evaluate.js';

const qrels = Qrels.fromObject({ q1: { a: 2, b: 1, c: 0, d: -1 }, q2: { x: 1 }, q3: { y: 2 } });
const run = Run.fromObject({ q1: { a: 3, z: 2, c: 1 }, q3: { y: 1 } }); // q2 has no results
const measures = 'NumQ,NumRet,NumRel,NumRel(rel=2),NumRelRet,NumRelRet(rel=2)';

test('counts per query and summed, every qrels query (trec_eval -c)', () => {
  const ev = evaluate(qrels, run, measures);
  const per = (m: string) => [...ev.perQuery.get(m)!];
  assert.deepEqual(ev.queryIds, ['q1', 'q2', 'q3']);
  assert.deepEqual(per('NumQ'), [1, 1, 1]);
  assert.deepEqual(per('NumRet'), [3, 0, 1]);
  assert.deepEqual(per('NumRel'), [2, 1, 1], 'a query without results still has its relevant documents');
  assert.deepEqual(per('NumRel(rel=2)'), [1, 0, 1]);
  assert.deepEqual(per('NumRelRet'), [1, 0, 1]);
  assert.deepEqual(per('NumRelRet(rel=2)'), [1, 0, 1]);
  assert.deepEqual(Object.fromEntries(ev.mean), {
    NumQ: 3,
    NumRet: 4,
    NumRel: 4,
    // m_num_rel.c under -c: every judgment above 0, whatever the level
    'NumRel(rel=2)': 4,
    NumRelRet: 2,
    'NumRelRet(rel=2)': 2,
  });
});

test('counts over the intersection: the sums of the evaluated queries, no -c quirk', () => {
  const ev = evaluate(qrels, run, measures, { queries: 'intersection' });
  assert.deepEqual(ev.queryIds, ['q1', 'q3']);
  assert.equal(ev.mean.get('NumQ'), 2);
  assert.equal(ev.mean.get('NumRel'), 3);
  assert.equal(ev.mean.get('NumRel(rel=2)'), 2);
});

test("counts print as integers under trec_eval's names, num_q for `all` only", () => {
  const ev = evaluate(qrels, run, 'NumRelRet,AP,NumQ');
  assert.equal(
    formatEvaluation(ev, 'trec', true),
    ['q1', 'q2', 'q3']
      .flatMap((q, i) => [`num_rel_ret           \t${q}\t${[1, 0, 1][i]}`, `map                   \t${q}\t${['0.5000', '0.0000', '1.0000'][i]}`])
      .concat(['num_q                 \tall\t3', 'num_rel_ret           \tall\t2', 'map                   \tall\t0.5000'])
      .join('\n') + '\n',
  );
  assert.match(formatEvaluation(ev, 'table', false), /^qid +NumRelRet +AP +NumQ\nall +2 +0\.5000 +3\n/);
});
