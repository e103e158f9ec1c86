/**
 * The rounds of `xmrbench regress` (src/bench/regress/performance.ts) with a stand-in for the child
 * processes: A and B alternate AB, BA, …; the warm-up round is left out; rounds stop once settled;
 * A against A raises no more alarms than α over repeated runs of the whole adaptive loop, and a 20%
 * slowdown is found; a saved baseline from another machine is refused, with the reason, unless
 * forced.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { comparePerformance } from '../src/bench/regress/performance.js';
import type { PerformanceReport } from '../src/bench/regress/report.js';
import { fakeTrials } from './helpers/bench-noise.js';

let root = '';
let A = '';
let B = '';
before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'xmr-regress-'));
  A = path.join(root, 'a');
  B = path.join(root, 'b');
  for (const dir of [A, B]) {
    mkdirSync(path.join(dir, 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'bin', 'xmrbench.js'), '');
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

const quick = { resamples: 500, budgetSeconds: 3600, workloads: ['topk --docs 1000'] };

describe('regress rounds', () => {
  it('interleaves AB, BA, …, discards the warm-up round and keeps every trial', async () => {
    const { trial, calls } = fakeTrials(1, 1);
    const r = await comparePerformance({ ...quick, a: A, b: B, trial, minRounds: 4, maxRounds: 4, warmupRounds: 1 });
    assert.deepEqual(calls, ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b']);
    assert.equal(r.trials.length, 10);
    assert.deepEqual(r.trials.filter((t) => t.warmup).map((t) => t.build), ['a', 'b']);
    assert.equal(r.series.length, 1);
    assert.equal(r.series[0]!.name, 'topk --docs 1000 · d');
    assert.equal(r.series[0]!.a.length, 4);
    assert.deepEqual(r.series[0]!.b, r.trials.filter((t) => !t.warmup && t.build === 'b').map((t) => t.measurements.d));
    assert.equal(r.rounds, 4);
    assert.equal(r.stopped, 'max-rounds');
    assert.equal(r.b.machine?.cpu, 'test cpu');
  });

  it('A against A: the adaptive loop raises an alarm in ≤ 5% of 60 runs', async () => {
    let alarms = 0;
    for (let t = 0; t < 60; t++) {
      const r = await comparePerformance({ ...quick, a: A, b: B, trial: fakeTrials(300 + t, 1).trial, seed: t });
      const c = r.decision!.counts;
      if (c.regression + c.improvement > 0) alarms++;
    }
    assert.ok(alarms <= 3, `${alarms} alarms in 60 runs`);
  });

  it('on a quiet machine (2% noise) A against A settles as unchanged long before --max-rounds', async () => {
    const quiet = { sigma: 0.02, spikeRate: 0.02, spikeMean: 0.1, drift: 0 };
    const r = await comparePerformance({ ...quick, a: A, b: B, trial: fakeTrials(17, 1, {}, quiet).trial });
    assert.equal(r.stopped, 'settled');
    assert.ok(r.rounds <= 12, `took ${r.rounds} rounds`);
    assert.equal(r.decision!.workloads[0]!.verdict, 'unchanged');
  });

  it('an injected 20% slowdown is reported as a regression in ≥ 95% of 40 runs (exit code 1)', async () => {
    let found = 0;
    for (let t = 0; t < 40; t++) {
      const r = await comparePerformance({ ...quick, a: A, b: B, trial: fakeTrials(700 + t, 1.2).trial, seed: t });
      if (r.decision!.exitCode === 1) found++;
    }
    assert.ok(found >= 38, `found ${found} of 40`);
  });

  it('a workload the registry does not know is a usage error before anything runs', async () => {
    const { trial, calls } = fakeTrials(3, 1);
    await assert.rejects(comparePerformance({ ...quick, workloads: ['topk', 'tpok --docs 5'], a: A, b: B, trial }), {
      code: 'E_USAGE',
      message: '--workload "tpok --docs 5" must start with a bench workload: topk, tokenize, perturb, eval, significance, codeswitch, train, image-text, onnx-text, onnx-image, image-tower-train, skipgram, store, ann',
    });
    assert.equal(calls.length, 0);
  });

  it('stops before a round that would overrun the budget', async () => {
    const slow = fakeTrials(5, 1);
    const trial = async (bin: string, w: string) => {
      await new Promise((res) => setTimeout(res, 30));
      return slow.trial(bin, w);
    };
    const r = await comparePerformance({ ...quick, budgetSeconds: 0.3, a: A, b: B, trial });
    assert.equal(r.stopped, 'budget');
    // Each round takes ≥ 60 ms, so 0.3 s allow a handful, far from --max-rounds (wall time itself is
    // not asserted: the machine may be loaded).
    assert.ok(r.rounds >= 1 && r.rounds < 10, `ran ${r.rounds} rounds`);
  });
});

describe('regress against a saved baseline', () => {
  async function recorded(machine: Record<string, unknown> = {}): Promise<PerformanceReport> {
    return comparePerformance({ ...quick, a: null, b: B, trial: fakeTrials(9, 1, machine).trial, minRounds: 6 });
  }

  it('--record measures B alone and decides nothing', async () => {
    const r = await recorded();
    assert.equal(r.a, null);
    assert.equal(r.decision, null);
    assert.equal(r.series[0]!.b.length, 6);
    assert.equal(r.series[0]!.a.length, 0);
  });

  it('a baseline from this machine stands in for A', async () => {
    const saved = await recorded();
    const { trial, calls } = fakeTrials(10, 1.3);
    const r = await comparePerformance({ ...quick, a: null, b: B, baseline: { file: 'base.json', report: saved, force: false }, trial });
    assert.ok(calls.every((c) => c === 'b'));
    assert.equal(r.a?.source, 'baseline');
    assert.deepEqual(r.series[0]!.a, saved.series[0]!.b);
    assert.equal(r.decision!.workloads[0]!.verdict, 'regression');
  });

  it('a baseline from another machine is refused, naming what differs, unless forced', async () => {
    const saved = await recorded({ cpu: 'other cpu', cores: 64 });
    await assert.rejects(comparePerformance({ ...quick, a: null, b: B, baseline: { file: 'base.json', report: saved, force: false }, trial: fakeTrials(11, 1).trial }), {
      name: 'XmrError',
      code: 'E_USAGE',
      message:
        '--baseline base.json was measured on another machine (cpu: "other cpu" ≠ "test cpu"; cores: 64 ≠ 2); timings are comparable only on the same one — pass --force to compare anyway',
    });
    const forced = await comparePerformance({ ...quick, a: null, b: B, baseline: { file: 'base.json', report: saved, force: true }, trial: fakeTrials(11, 1).trial });
    assert.notEqual(forced.decision, null);
  });

  it('a workload the baseline never measured is a usage error', async () => {
    const saved = await recorded();
    await assert.rejects(comparePerformance({ ...quick, workloads: ['perturb'], a: null, b: B, baseline: { file: 'base.json', report: saved, force: false }, trial: fakeTrials(12, 1).trial }), {
      code: 'E_USAGE',
      message: '--baseline base.json has no measurements for perturb · d',
    });
  });
});
