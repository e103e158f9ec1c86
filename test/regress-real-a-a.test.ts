/**
 * Calibration once for real (issue 15): `xmrbench regress` comparing this checkout against itself,
 * on a cheap workload, through real child processes on whatever load the machine has. Nothing may
 * be flagged — no workload a regression or an improvement, exit status 0 — and every measured round
 * must be kept in the JSON. The synthetic A/A rates are in regress-rounds.test.ts; this is the same
 * rule on real timings, where drift, the page cache and neighbours' load all act.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../src/native.js';

const BIN = path.join(packageRoot, 'bin', 'xmrbench.js');
const WORKLOAD = 'perturb --floats 1048576 --group-size 65536 --threads 1 --time 50';

describe('regress A against A, for real', () => {
  it('the same build against itself on a cheap workload flags nothing and exits 0', () => {
    const args = ['regress', '--a', packageRoot, '--b', packageRoot, '--workload', WORKLOAD, '--min-rounds', '5', '--max-rounds', '5', '--budget', '120', '--resamples', '2000', '--format', 'json', '--quiet'];
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { rounds: number; trials: { warmup: boolean }[]; decision: { counts: Record<string, number>; workloads: { name: string; verdict: string }[] } };
    assert.ok(report.decision.workloads.length > 0, 'no workload was decided');
    for (const w of report.decision.workloads) assert.ok(w.verdict === 'unchanged' || w.verdict === 'uncertain', `${w.name}: ${w.verdict}`);
    assert.equal(report.decision.counts.regression, 0);
    assert.equal(report.decision.counts.improvement, 0);
    assert.ok(report.rounds >= 5, `${report.rounds} rounds`);
    assert.equal(report.trials.filter((t) => !t.warmup).length, 2 * report.rounds);
  });
});
