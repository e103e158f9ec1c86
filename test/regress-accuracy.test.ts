/**
 * The accuracy gate of `xmrbench regress --accuracy` (src/bench/regress/accuracy.ts): a copy
 * passes, a run made worse on purpose fails, the non-inferiority margin tolerates a loss smaller
 * than itself, and a study's results.json is read run by run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accuracyGate, formatAccuracy, readStudy, type SystemValues } from '../src/bench/regress/accuracy.js';
import { rng } from '../src/random.js';

const N = 300;
const queryIds = Array.from({ length: N }, (_, i) => `q${String(i).padStart(3, '0')}`);

/** RR@10-like values: 1/rank for a hit in the top 10, else 0. */
function rrValues(seed: number): number[] {
  const u = rng(seed);
  return queryIds.map(() => (u() < 0.3 ? 0 : 1 / (1 + Math.floor(u() * 10))));
}

const system = (name: string, values: number[], ids = queryIds): SystemValues => ({ name, queryIds: ids, perQuery: new Map([['RR@10', values]]) });
const base = rrValues(1);

describe('accuracy gate', () => {
  it('a copy of A passes (nothing worse), exit code 0', () => {
    const g = accuracyGate([system('bm25', base)], [system('bm25', [...base])], ['RR@10']);
    assert.equal(g.rows[0]!.verdict, 'no worse');
    assert.equal(g.exitCode, 0);
  });

  it('a run made worse on purpose (a third of its hits lost) fails, exit code 1', () => {
    const u = rng(2);
    const worse = base.map((v) => (v > 0 && u() < 0.33 ? 0 : v));
    const g = accuracyGate([system('bm25', base)], [system('bm25', worse)], ['RR@10']);
    assert.equal(g.rows[0]!.verdict, 'worse');
    assert.ok(g.rows[0]!.difference < 0 && g.rows[0]!.interval.high < 0);
    assert.equal(g.exitCode, 1);
    assert.match(formatAccuracy(g, 'table'), /bm25 · RR@10 .* WORSE/);
  });

  it('the margin: a small real loss fails at margin 0 and passes at a margin above it', () => {
    // Every query with a hit at rank r ≥ 2 moves one rank down: a small, consistent loss.
    const slightly = base.map((v) => (v > 0 && v <= 0.5 ? 1 / (1 / v + 1) : v));
    const loss = base.reduce((s, v, i) => s + v - slightly[i]!, 0) / N;
    assert.ok(loss > 0.01 && loss < 0.05, `loss ${loss}`);
    const gate = (margin: number) => accuracyGate([system('dense', base)], [system('dense', slightly)], ['RR@10'], { margin });
    assert.equal(gate(0).rows[0]!.verdict, 'worse');
    assert.equal(gate(loss + 0.02).rows[0]!.verdict, 'no worse');
    assert.equal(gate(loss + 0.02).exitCode, 0);
    // Just under the loss, the shifted test has too little evidence to call it worse by more than the margin.
    assert.equal(gate(loss - 0.001).rows[0]!.verdict, 'no worse');
  });

  it('a clear gain is reported as better and never fails', () => {
    const better = base.map((v) => (v === 0 ? 1 : v));
    const g = accuracyGate([system('cs', base)], [system('cs', better)], ['RR@10']);
    assert.equal(g.rows[0]!.verdict, 'better');
    assert.equal(g.exitCode, 0);
  });

  it('corrects across systems × measures (Holm): the family size enters every p-value', () => {
    const u = rng(3);
    const worse = base.map((v) => (v > 0 && u() < 0.1 ? 0 : v));
    const alone = accuracyGate([system('x', base)], [system('x', worse)], ['RR@10']);
    const family = accuracyGate(
      [system('x', base), system('y', base), system('z', base)],
      [system('x', worse), system('y', rrValues(4)), system('z', rrValues(5))],
      ['RR@10'],
    );
    const x = family.rows.find((r) => r.system === 'x')!;
    assert.equal(x.pValue, alone.rows[0]!.pValue);
    assert.ok(x.adjustedPValue > alone.rows[0]!.adjustedPValue);
  });

  it('refuses systems scored on different queries, and a gate with no shared system', () => {
    assert.throws(() => accuracyGate([system('s', base)], [system('s', base.slice(1), queryIds.slice(1))], ['RR@10']), {
      name: 'XmrError',
      message: 'system s: A and B were scored on different queries (300 and 299, e.g. q000 in one only); use the same qrels',
    });
    assert.throws(() => accuracyGate([system('s', base)], [system('t', base)], ['RR@10']), { message: 'A and B share no system (A: s; B: t)' });
    assert.throws(() => accuracyGate([system('s', base)], [system('s', base)], ['RR@10'], { margin: -1 }), { name: 'RangeError', message: 'margin must be a finite number ≥ 0, got -1' });
  });

  it('reads every run of a study (results.json), named by system, setting, probe and seed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xmr-acc-'));
    try {
      const file = path.join(dir, 'results.json');
      const run = (system: string, probe: null | { kind: 'cs'; value: number }) => ({ system, seed: 1, setting: 'de-en', probe, file: 'x', notes: {}, queryIds: queryIds.slice(0, 3), perQuery: { 'RR@10': [1, 0, 0.5] } });
      writeFileSync(file, JSON.stringify({ schema: 'xmrbench/experiment-results', schemaVersion: 1, measures: ['RR@10'], runs: [run('bm25', null), run('cs', { kind: 'cs', value: 0.5 })] }));
      const s = readStudy(file);
      assert.deepEqual(s.measures, ['RR@10']);
      assert.deepEqual(s.systems.map((x) => x.name), ['bm25 @ de-en seed 1', 'cs @ de-en cs=0.5 seed 1']);
      assert.deepEqual(Array.from(s.systems[1]!.perQuery.get('RR@10')!), [1, 0, 0.5]);
      writeFileSync(file, '{"schema":"other"}');
      assert.throws(() => readStudy(file), { name: 'XmrError', message: `${file}: not a study's results.json (schema "other")` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
