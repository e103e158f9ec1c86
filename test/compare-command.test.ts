/**
 * The comparison table (src/eval/compare.ts) and the `xmrbench compare` command: lettered runs,
 * superscripts for significant wins after correction, baseline mode, the four formats, and the
 * command on the shared trec_eval reference runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { beaten, compareSystems, formatComparison, type SystemScores } from '../src/eval/compare.js';
import { adjustPValues, pairedTTest } from '../src/eval/significance/index.js';
import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';
import { cli } from './helpers/cli.js';

function scores(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return Math.floor((s / 2147483647) * 10) / 10;
  });
}

const base = scores(200, 1);
/** The shared per-query difficulty, plus the system's own noise and a shift. */
const system = (name: string, seed: number, shift: number): SystemScores => {
  const noise = scores(200, seed);
  return { name, perQuery: new Map([['RR', Float64Array.from(base, (v, i) => v + shift + (noise[i]! - 0.45) / 5)]]) };
};
const systems = [system('bm25', 2, 0), system('dense', 3, 0.005), system('cs_adv', 4, 0.15)];

describe('compareSystems', () => {
  it('letters the runs and marks significant wins only', () => {
    const c = compareSystems(systems, ['RR'], { resamples: 0 });
    assert.deepEqual(c.runs.map((r) => `${r.letter}:${r.name}`), ['a:bm25', 'b:dense', 'c:cs_adv']);
    assert.deepEqual(beaten(c, 'cs_adv', 'RR'), ['a', 'b']);
    assert.deepEqual(beaten(c, 'dense', 'RR'), []);
    assert.deepEqual(beaten(c, 'bm25', 'RR'), []);
  });

  it('adjusts over the comparisons of one measure', () => {
    const c = compareSystems(systems, ['RR'], { correction: 'bonferroni', resamples: 0 });
    assert.equal(c.comparisons.length, 3);
    const raw = c.comparisons.map((p) => pairedTTest(systems.find((s) => s.name === p.a)!.perQuery.get('RR')!, systems.find((s) => s.name === p.b)!.perQuery.get('RR')!).pValue);
    assert.deepEqual(c.comparisons.map((p) => p.pValue), raw);
    assert.deepEqual(c.comparisons.map((p) => p.adjustedPValue), adjustPValues(raw, 'bonferroni'));
  });

  it('with a baseline, compares every run against it only', () => {
    const c = compareSystems(systems, ['RR'], { baseline: 'dense', resamples: 0 });
    assert.deepEqual(c.comparisons.map((p) => `${p.a}→${p.b}`), ['dense→bm25', 'dense→cs_adv']);
    assert.deepEqual(beaten(c, 'cs_adv', 'RR'), ['b']);
  });

  it('carries effect size, win/tie/loss and a bootstrap interval per pair', () => {
    const c = compareSystems(systems.slice(0, 3), ['RR'], { baseline: 'bm25', test: 'randomization', resamples: 500 });
    const p = c.comparisons.find((x) => x.b === 'cs_adv')!;
    assert.equal(p.pValue, 1 / 10_001);
    assert.ok(p.cohensDz > 1);
    assert.ok(p.winTieLoss.wins > 150, `${p.winTieLoss.wins} wins`);
    assert.ok(p.interval !== null && p.interval.low < p.difference && p.difference < p.interval.high);
    assert.equal(compareSystems(systems, ['RR'], { resamples: 0 }).comparisons[0]!.interval, null);
  });

  it('rejects bad input', () => {
    assert.throws(() => compareSystems(systems.slice(0, 1), ['RR']), { name: 'RangeError', message: 'compare needs 2 to 26 runs, got 1' });
    assert.throws(() => compareSystems(systems, ['RR'], { baseline: 'x' }), { name: 'RangeError', message: 'baseline "x" is not among the runs (bm25, dense, cs_adv)' });
    assert.throws(() => compareSystems(systems, ['nDCG@10']), { name: 'RangeError', message: 'run "bm25" has no values for nDCG@10' });
    assert.throws(() => compareSystems([systems[0]!, systems[0]!], ['RR']), { name: 'RangeError', message: 'run names must be distinct, got bm25, bm25' });
  });
});

describe('formatComparison', () => {
  const c = compareSystems(systems, ['RR'], { resamples: 0 });

  it('table: superscripts after the mean, the test, correction and alpha underneath', () => {
    const lines = formatComparison(c, 'table').split('\n');
    assert.match(lines[0]!, /^#\s+Run\s+RR$/);
    assert.match(lines[4]!, /^c {2}cs_adv {2}0\.\d{4}ᵃᵇ$/);
    assert.match(lines[3]!, /^b {2}dense {3}0\.\d{4}$/);
    assert.equal(lines[6], 'Test: paired t-test (two-sided), all pairs of runs; Holm correction over the 3 comparisons per measure; α = 0.05.');
  });

  it('markdown bolds the best mean and escapes names', () => {
    const md = formatComparison(c, 'markdown');
    assert.match(md, /^\| c \| cs\\_adv \| \*\*0\.\d{4}\*\*ᵃᵇ \|$/m);
  });

  it('latex uses math superscripts and escapes names', () => {
    const tex = formatComparison(c, 'latex');
    assert.match(tex, /^c & cs\\_adv & \\textbf\{0\.\d{4}\}\$\^\{ab\}\$ \\\\$/m);
    assert.match(tex, /\$\\alpha\$ = 0\.05/);
  });

  it('json carries every p-value, adjusted p-value and effect size', () => {
    const j = JSON.parse(formatComparison(c, 'json'));
    assert.equal(j.comparisons.length, 3);
    for (const p of j.comparisons) for (const k of ['pValue', 'adjustedPValue', 'cohensDz', 'statistic', 'winTieLoss']) assert.ok(k in p, k);
    assert.deepEqual(j.runs[2].beats, { RR: ['a', 'b'] });
  });
});

describe('xmrbench compare', { skip: skipUnlessReference('trec') }, () => {
  const trec = path.join(referenceDir, 'trec');
  const args = ['compare', '--qrels', path.join(trec, 'qrels.txt'), '--runs', path.join(trec, 'run-a.txt'), path.join(trec, 'run-b.txt')];

  it('prints the table for the reference runs and exits 0', async () => {
    const { stdout } = await cli([...args]);
    const lines = stdout.split('\n');
    assert.match(lines[0]!, /^#\s+Run\s+nDCG@10\s+RR@10\s+AP$/);
    assert.match(lines[2]!, /^a {2}run-a /);
    assert.match(lines[3]!, /^b {2}run-b /);
    assert.match(stdout, /Test: paired t-test \(two-sided\), all pairs of runs; Holm correction/);
    assert.match(stdout, /60 queries\.$/m);
  });

  it('json with a baseline and the randomization test', async () => {
    const { stdout } = await cli([...args, '--format', 'json', '--baseline', 'run-b', '--test', 'randomization', '--metrics', 'RR@10', '--resamples', '200']);
    const j = JSON.parse(stdout);
    assert.equal(j.baseline, 'run-b');
    assert.equal(j.comparisons.length, 1);
    assert.deepEqual([j.comparisons[0].a, j.comparisons[0].b], ['run-b', 'run-a']);
    assert.equal(j.comparisons[0].interval.resamples, 200);
  });

  it("takes trec_eval's -l, -M and -J as eval does", async () => {
    const flags = ['--metrics', 'AP,P@10', '--level', '2', '--max-docs', '20', '--judged-only'];
    const c = JSON.parse((await cli([...args, ...flags, '--format', 'json', '--resamples', '0'])).stdout);
    const e = JSON.parse((await cli(['eval', '--qrels', path.join(trec, 'qrels.txt'), '--run', path.join(trec, 'run-a.txt'), ...flags, '--format', 'json'])).stdout);
    assert.deepEqual(Object.keys(e.mean), ['AP(rel=2)', 'P(rel=2)@10']);
    assert.deepEqual(c.runs[0].means, e.mean);
  });

  it('an unknown baseline exits 1 naming the runs', async () => {
    await assert.rejects(cli([...args, '--baseline', 'run-z']), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stderr, 'xmrbench: --baseline run-z is not one of the runs (run-a, run-b)\n');
      return true;
    });
  });
});
