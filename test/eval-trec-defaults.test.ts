// trec_eval's default measures beyond the ones it shares with ir_measures: interpolated precision
// at recall levels (iprec_at_recall), GMAP (gm_map), the run's tag (runid), and `official`, the set
// trec_eval prints when given no -m. The agreement tests check the values against trec_eval itself
// where ../shared is present; this one needs nothing but the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatEvaluation } from '../src/cli/eval.js';
import { compareSystems } from '../src/eval/compare.js';
import { Qrels, Run } from '../src/data/trec/index.js';
import { lastRunTag } from '../src/data/trec/run-tag.js';
import { evaluate } from '../src/eval/evaluate.js';
import { asksRunId, parseMeasures } from '../src/eval/measures.js';
import { inferredAP } from '../src/eval/metrics/infap.js';
import { interpolatedPrecision } from '../src/eval/metrics/iprec.js';
import { setMeasure } from '../src/eval/metrics/set.js';

test('IPrec@r: the best precision at or after the rank of the round(r·R)-th relevant document', () => {
  // Relevant at ranks 1 and 3; R = 3 (one relevant document is not retrieved).
  const ranking = [1, 0, 1, 0, 0];
  const judged = [1, 1, 1, 0];
  const at = (r: number) => interpolatedPrecision(ranking, judged, r);
  assert.equal(at(0), 1, 'c = 0: the maximum over every rank from the first relevant one');
  assert.equal(at(0.1), 1, 'lround(0.3) = 0');
  assert.equal(at(0.2), 1, 'lround(0.6) = 1: from rank 1');
  assert.equal(at(0.5), 2 / 3, 'lround(1.5) = 2 (half away from zero): P@3, the best from rank 3 on');
  assert.equal(at(0.9), 0, 'lround(2.7) = 3 > 2 relevant retrieved');
  assert.equal(at(1), 0);
  // Interpolation: a later rank with better precision wins.
  assert.equal(interpolatedPrecision([0, 1, 0, 1, 1], [1, 1, 1], 0.2), 3 / 5, 'P@2 = 0.5, P@4 = 0.5, P@5 = 0.6');
  assert.equal(interpolatedPrecision([0, 0], [1], 0), 0, 'nothing relevant retrieved');
  assert.equal(interpolatedPrecision([0, 0], [0], 0.5), 0, 'no relevant document at all');
  assert.equal(interpolatedPrecision([2, 1], [2, 1], 1, { rel: 2 }), 1, 'at level 2 only the first counts, and R = 1');
  assert.throws(() => interpolatedPrecision([1], [1], 1.5), /recall must be a number in \[0, 1\]/);
});

test('infAP: AP over a sampled pool (negative judgments: in the pool, not judged; absent: outside it)', () => {
  const eps = 1e-5;
  // Ranks: relevant, outside the pool, pooled-unjudged (-1), judged non-relevant, relevant.
  const ranking = [1, null, -1, 0, 2];
  const judged = [1, 2, -1, 0, 1]; // R = 3: one relevant document is not retrieved
  // j = 0: 1. j = 4: r = 2, x = 1, u = 1: 1/5 + 4/5 · ((1 + 1 + 1) / 4) · ((1 + ε) / (1 + 1 + 2ε)).
  const expected = (1 + (1 / 5 + (4 / 5) * (3 / 4) * ((1 + eps) / (2 + 2 * eps)))) / 3;
  assert.equal(inferredAP(ranking, judged), expected);
  // With every document judged, infAP is AP but for ε: at rank 3, 1/3 + 2/3 · (2/2) · (1 + ε)/(2 + 2ε) ≈ 2/3 = P@3.
  assert.ok(Math.abs(inferredAP([1, 0, 1], [1, 0, 1]) - (1 + 2 / 3) / 2) < 1e-5);
  assert.equal(inferredAP([0, 0], [0, 0]), 0, 'no relevant document');
  assert.equal(inferredAP([2, 1], [2, 1], { rel: 2 }), 1, 'at level 2 the second is non-relevant, and R = 1');
});

test('set measures: the retrieved documents as a set', () => {
  // 5 retrieved: 2 relevant, 1 judged non-relevant, 1 pooled-unjudged (-1), 1 outside the qrels; R = 4.
  const ranking = [0, 1, null, -1, 2];
  const judged = [0, 1, 2, 1, 1, -1];
  const at = (m: Parameters<typeof setMeasure>[0]) => setMeasure(m, ranking, judged);
  assert.equal(at('SetP'), 2 / 5);
  assert.equal(at('SetR'), 2 / 4);
  assert.equal(at('SetF'), (2 * (2 / 5) * (2 / 4)) / (2 / 5 + 2 / 4));
  assert.equal(at('SetAP'), (2 * 2) / (5 * 4));
  assert.equal(at('SetRelP'), 2 / 4, 'r / min(n, R)');
  assert.equal(at('Utility'), 2 - 3, 'relevant retrieved minus the others');
  assert.equal(at('NumNonRelJudgedRet'), 1);
  assert.equal(setMeasure('NumNonRelJudgedRet', ranking, judged, { rel: 2 }), 2, 'at level 2 the rel-1 document is judged non-relevant too');
  for (const m of ['SetP', 'SetR', 'SetF', 'SetAP'] as const) assert.equal(setMeasure(m, [0, null], [0]), 0, `${m} without relevant documents`);
});

test('GMAP: per query ln max(AP, 1e-5), summarised by exp of the mean; a missing query counts as AP 0', () => {
  const qrels = Qrels.fromObject({ q1: { a: 1, b: 1 }, q2: { c: 1 }, q3: { d: 1 } });
  const run = Run.fromObject({ q1: { a: 2, x: 1 }, q2: { y: 1 } }); // AP 0.5 and 0; q3 has no results
  const all = evaluate(qrels, run, 'GMAP,AP');
  assert.deepEqual([...all.perQuery.get('GMAP')!], [Math.log(0.5), Math.log(1e-5), Math.log(1e-5)]);
  assert.ok(Math.abs(all.mean.get('GMAP')! - Math.cbrt(0.5 * 1e-10)) < 1e-15);
  const inter = evaluate(qrels, run, 'GMAP', { queries: 'intersection' });
  assert.ok(Math.abs(inter.mean.get('GMAP')! - Math.sqrt(0.5e-5)) < 1e-15);
  // trec_eval prints gm_map for `all` only
  const lines = formatEvaluation(all, 'trec', true).split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('gm_map')), [`gm_map                \tall\t${Math.cbrt(0.5e-10).toFixed(4)}`]);
  assert.equal(lines.filter((l) => l.startsWith('map ')).length, 4);
});

test('compare reports GMAP as eval does, and tests the per-query ln AP', () => {
  const qrels = Qrels.fromObject({ q1: { a: 1 }, q2: { b: 1 }, q3: { c: 1 } });
  const runA = Run.fromObject({ q1: { a: 1 }, q2: { x: 2, b: 1 }, q3: { x: 1 } }); // AP 1, 1/2, 0
  const runB = Run.fromObject({ q1: { x: 2, a: 1 }, q2: { b: 1 }, q3: { c: 1 } }); // AP 1/2, 1, 1
  const [a, b] = [runA, runB].map((r) => evaluate(qrels, r, 'GMAP'));
  const c = compareSystems([{ name: 'a', perQuery: a!.perQuery }, { name: 'b', perQuery: b!.perQuery }], ['GMAP'], { resamples: 0 });
  assert.deepEqual(c.runs.map((r) => r.means['GMAP']), [a!.mean.get('GMAP'), b!.mean.get('GMAP')]);
  assert.ok(Math.abs(c.comparisons[0]!.difference - Math.log(b!.mean.get('GMAP')! / a!.mean.get('GMAP')!)) < 1e-12);
});

test("names: trec_eval's spellings, default cutoffs, and `official`", () => {
  const names = (spec: string) => parseMeasures(spec).map((m) => m.name);
  assert.deepEqual(names('iprec_at_recall.0,.5,1'), ['IPrec@0', 'IPrec@0.5', 'IPrec@1']);
  assert.deepEqual(names('iprec_at_recall_0.50,IPrec@.5,IPrec(rel=2)@0.25,gm_map,GMAP(rel=2)'), ['IPrec@0.5', 'IPrec(rel=2)@0.25', 'GMAP', 'GMAP(rel=2)']);
  assert.deepEqual(names('P'), ['P@5', 'P@10', 'P@15', 'P@20', 'P@30', 'P@100', 'P@200', 'P@500', 'P@1000']);
  assert.deepEqual(names('success'), ['Success@1', 'Success@5', 'Success@10']);
  assert.equal(names('iprec_at_recall').length, 11);
  assert.deepEqual(names('official'), [
    'NumQ', 'NumRet', 'NumRel', 'NumRelRet', 'AP', 'GMAP', 'Rprec', 'Bpref', 'RR',
    ...[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((r) => `IPrec@${r}`),
    ...[5, 10, 15, 20, 30, 100, 200, 500, 1000].map((k) => `P@${k}`),
  ]);
  assert.ok(asksRunId('official') && asksRunId('set') && asksRunId('map, runid') && !asksRunId('map') && !asksRunId('constructor'));
  assert.deepEqual(names('set'), ['NumQ', 'NumRet', 'NumRel', 'NumRelRet', 'Utility', 'SetP', 'SetR', 'SetRelP', 'SetAP', 'SetF']);
  assert.throws(() => parseMeasures('IPrec@1.5'), /recall level must be in \[0, 1\]/);
  assert.throws(() => parseMeasures('IPrec'), /IPrec needs a cutoff, e\.g\. IPrec@0\.5/);
  assert.throws(() => parseMeasures('P@0.5'), /the cutoff must be a positive integer/);
  assert.throws(() => parseMeasures('runid'), /at least one measure/);
});

test("`official` in trec_eval's layout: its names, its order, runid first among the `all` lines", () => {
  const qrels = Qrels.fromObject({ q1: { a: 1, b: 0 }, q2: { c: 1 } });
  const run = Run.fromObject({ q1: { b: 2, a: 1 }, q2: { c: 1 } });
  const text = formatEvaluation(evaluate(qrels, run, 'official'), 'trec', false, { runId: 'mytag' });
  const names = text.trim().split('\n').map((l) => l.split('\t')[0]!.trim());
  assert.deepEqual(names, [
    'runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank',
    ...['0.00', '0.10', '0.20', '0.30', '0.40', '0.50', '0.60', '0.70', '0.80', '0.90', '1.00'].map((r) => `iprec_at_recall_${r}`),
    ...[5, 10, 15, 20, 30, 100, 200, 500, 1000].map((k) => `P_${k}`),
  ]);
  assert.match(text, /^runid                 \tall\tmytag\nnum_q                 \tall\t2\n/);
  assert.match(text, /\niprec_at_recall_0\.00  \tall\t0\.7500\n/, 'q1: 1/2 (its relevant document at rank 2), q2: 1');
});

test("lastRunTag: the last run line's sixth field, past blank and comment lines, plain or gzip, however long the file", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-run-tag-'));
  try {
    const body = Array.from({ length: 20000 }, (_, i) => `q${i % 7} Q0 d${i} ${i} ${1 / (i + 1)} sysA`).join('\n');
    const cases: [string, string, string | undefined][] = [
      ['plain.txt', `${body}\nq1 Q0 dz 1 0.5 last-tag trailing text\n\n# a comment\n  \n`, 'last-tag'],
      ['no-newline.txt', `q1 Q0 d 1 1 \t first\nq2\tQ0\td\t1\t1\tsecond`, 'second'],
      ['crlf.txt', 'q1 Q0 d 1 1 tagged\r\n', 'tagged'],
      ['empty.txt', '', undefined],
      ['comments-only.txt', '# nothing\n\n', undefined],
    ];
    for (const [name, text, want] of cases) {
      writeFileSync(path.join(dir, name), text);
      writeFileSync(path.join(dir, `${name}.gz`), gzipSync(text));
    }
    for (const [name, , want] of cases) {
      assert.equal(await lastRunTag(path.join(dir, name)), want, name);
      assert.equal(await lastRunTag(path.join(dir, `${name}.gz`)), want, `${name}.gz`);
    }
    // A long run of comment lines at the end: the tag is found blocks back.
    writeFileSync(path.join(dir, 'long-tail.txt'), `q1 Q0 d 1 1 early\n${'# padding padding padding\n'.repeat(10000)}`);
    assert.equal(await lastRunTag(path.join(dir, 'long-tail.txt')), 'early');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
