/** `xmrbench eval` output formats; `trec` reproduces trec_eval's layout byte for byte. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatEvaluation } from '../src/cli/eval.js';
import { Qrels, readQrels, readRun, Run } from '../src/data/trec/index.js';
import { evaluate } from '../src/eval/evaluate.js';
import { outputDifferences, ownTrecName, parseTrecEvalOutput } from '../src/eval/trec-eval-output.js';
import { cli } from './helpers/cli.js';
import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';

const ev = evaluate(Qrels.fromObject({ q1: { a: 1 }, q2: { b: 1 } }), Run.fromObject({ q1: { x: 2, a: 1 }, q2: { b: 1 } }), 'RR,P@2');

test('table, csv and json', () => {
  assert.equal(formatEvaluation(ev, 'table', true), 'qid      RR     P@2\nq1   0.5000  0.5000\nq2   1.0000  0.5000\nall  0.7500  0.5000\n(2 queries, every qrels query (trec_eval -c))\n');
  assert.equal(formatEvaluation(ev, 'csv', false), 'qid,RR,P@2\nall,0.75,0.5\n');
  assert.deepEqual(JSON.parse(formatEvaluation(ev, 'json', true)), { querySet: 'all', queries: 2, mean: { RR: 0.75, 'P@2': 0.5 }, perQuery: { q1: { RR: 0.5, 'P@2': 0.5 }, q2: { RR: 1, 'P@2': 0.5 } }, warnings: [] });
});

test('trec layout equals trec_eval -q output (names aside)', { skip: skipUnlessReference('trec') }, async () => {
  const dir = path.join(referenceDir, 'trec');
  const e = evaluate(await readQrels(path.join(dir, 'qrels.txt')), await readRun(path.join(dir, 'run-b.txt')), 'RR@10');
  const expected = readFileSync(path.join(dir, 'trec_eval-b-rr10.txt'), 'utf8').replaceAll('recip_rank            ', 'RR@10                 ');
  assert.equal(formatEvaluation(e, 'trec', true), expected);
});

test("trec_eval's own -m measure list gives trec_eval's values", { skip: skipUnlessReference('trec') }, async () => {
  // The command ../shared/reference/README.md gives for trec_eval-a.txt, its -m lists joined by commas.
  const dir = path.join(referenceDir, 'trec');
  const metrics = 'ndcg_cut.10,100,ndcg,recip_rank,P.5,10,recall.100,1000,map,map_cut.100,Rprec,success.1,5,10';
  const { stdout } = await cli(['eval', '--qrels', path.join(dir, 'qrels.txt'), '--run', path.join(dir, 'run-a.txt'), '--metrics', metrics, '--per-query', '--format', 'trec']);
  const ours = parseTrecEvalOutput(stdout, ownTrecName);
  const trecEvalText = readFileSync(path.join(dir, 'trec_eval-a.txt'), 'utf8');
  const theirs = parseTrecEvalOutput(trecEvalText);
  assert.equal(ours.size, 14);
  assert.deepEqual(outputDifferences(ours, theirs), []);
  // Every measure here is one trec_eval prints at its defaults (asked for in another order than
  // trec_eval prints them), so the output is trec_eval's own, byte for byte.
  assert.equal(stdout, trecEvalText);
});

test('trec format: trec_eval\'s names and order where it prints the measure at its defaults, then ours where it would need -l or -M', () => {
  const e = evaluate(Qrels.fromObject({ q1: { a: 2, b: 1 } }), Run.fromObject({ q1: { x: 3, a: 2, b: 1 } }), 'nDCG@10,AP,RR,RR@10,P(rel=2)@2,Judged@2,Bpref');
  assert.deepEqual(
    formatEvaluation(e, 'trec', false).split('\n').map((l) => l.split('\t')[0]!.trimEnd()),
    ['map', 'bpref', 'recip_rank', 'ndcg_cut_10', 'RR@10', 'P(rel=2)@2', 'Judged@2', ''],
  );
  const read = parseTrecEvalOutput(formatEvaluation(e, 'trec', true), ownTrecName);
  assert.deepEqual(new Set(read.keys()), new Set(e.measures));
  // cutoffs ascending within a measure, as trec_eval sorts them
  const cut = evaluate(Qrels.fromObject({ q1: { a: 1 } }), Run.fromObject({ q1: { a: 1 } }), 'P@10,Success@5,P@5,nDCG,Success@1');
  assert.deepEqual(formatEvaluation(cut, 'trec', false).split('\n').map((l) => l.split('\t')[0]!.trimEnd()), ['P_5', 'P_10', 'ndcg', 'success_1', 'success_5', '']);
});
