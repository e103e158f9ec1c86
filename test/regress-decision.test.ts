/**
 * The regression decision (src/bench/regress/decision.ts) on synthetic timings with this machine's
 * kind of noise (test/helpers/bench-noise.ts): A against A raises no more alarms than the nominal
 * α over many trials, a 20% slowdown is found, Holm's correction runs across the workloads of one
 * comparison, and the exit code is 1 exactly when something regressed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide, verdictOf } from '../src/bench/regress/decision.js';
import { mannWhitneyU } from '../src/eval/significance/index.js';
import { HEAVY_LOAD, interleaved, SHARED_MACHINE } from './helpers/bench-noise.js';

const TRIALS = 300;
const ROUNDS = 12;
const fast = { resamples: 1000 };

describe('regression decision: calibration', () => {
  it(`A against A: false alarms ≤ α = 0.05 over ${TRIALS} trials`, () => {
    let alarms = 0;
    for (let t = 0; t < TRIALS; t++) {
      const { a, b } = interleaved(ROUNDS, 100 + t);
      const d = decide([{ name: 'aa', a, b }], { ...fast, seed: t });
      if (d.workloads[0]!.verdict === 'regression' || d.workloads[0]!.verdict === 'improvement') alarms++;
    }
    assert.ok(alarms / TRIALS <= 0.05, `${alarms} alarms in ${TRIALS}`);
  });

  it(`A against A under heavy load (sd(log) 0.65, as measured here at load 21): false alarms ≤ α over ${TRIALS} trials`, () => {
    let alarms = 0;
    for (let t = 0; t < TRIALS; t++) {
      const { a, b } = interleaved(20, 30_000 + t, 1, 10, HEAVY_LOAD);
      const v = decide([{ name: 'aa', a, b }], { ...fast, seed: t }).workloads[0]!.verdict;
      if (v === 'regression' || v === 'improvement') alarms++;
    }
    assert.ok(alarms / TRIALS <= 0.05, `${alarms} alarms in ${TRIALS}`);
  });

  it('the U test alone rejects A against A at about α on independent draws (no shared drift)', () => {
    let rejects = 0;
    for (let t = 0; t < TRIALS; t++) {
      const { a, b } = interleaved(ROUNDS, 50_000 + t, 1, 10, { ...SHARED_MACHINE, drift: 0 });
      if (mannWhitneyU(a, b).pValue < 0.05) rejects++;
    }
    // Binomial(300, 0.05): 15 ± 3.8, and the continuity correction makes the test a little
    // conservative; 4…30 holds with probability > 99.9% for any rate in [0.03, 0.05].
    assert.ok(rejects >= 4 && rejects <= 30, `U test rejected ${rejects} of ${TRIALS}`);
  });

  it('A against A over five workloads: the family-wise false-alarm rate stays ≤ α', () => {
    let familiesWithAlarm = 0;
    for (let t = 0; t < 100; t++) {
      const series = Array.from({ length: 5 }, (_, w) => ({ name: `w${w}`, ...interleaved(ROUNDS, 10_000 + 10 * t + w) }));
      const d = decide(series, { ...fast, seed: t });
      if (d.counts.regression + d.counts.improvement > 0) familiesWithAlarm++;
    }
    assert.ok(familiesWithAlarm <= 5, `${familiesWithAlarm} of 100 families raised an alarm`);
  });

  // With this noise 12 rounds find a 20% slowdown about 60% of the time and 30 rounds (the default
  // --max-rounds) about 98%: the adaptive loop (regress-rounds.test.ts) keeps going until it can tell.
  it('an injected 20% slowdown is detected in ≥ 95% of trials of 30 rounds, and never called an improvement', () => {
    let detected = 0;
    for (let t = 0; t < 100; t++) {
      const { a, b } = interleaved(30, 20_000 + t, 1.2);
      const d = decide([{ name: 'slow', a, b }], { ...fast, seed: t });
      assert.notEqual(d.workloads[0]!.verdict, 'improvement');
      if (d.workloads[0]!.verdict === 'regression') detected++;
    }
    assert.ok(detected >= 95, `detected ${detected} of 100`);
  });

  it('a 20% speed-up is an improvement, exit code 0', () => {
    const { a, b } = interleaved(30, 7, 1 / 1.2);
    const d = decide([{ name: 'fast', a, b }], fast);
    assert.equal(d.workloads[0]!.verdict, 'improvement');
    assert.equal(d.exitCode, 0);
  });
});

describe('regression decision: the rule', () => {
  // 4 against 4, completely separated: exact two-sided p = 2/70 = 0.0286, ratio of medians 1.5.
  const slower = { name: 'slower', a: [10, 10.2, 10.4, 10.6], b: [15, 15.3, 15.6, 15.9] };
  const same = (name: string) => ({ name, a: [10, 11, 12, 13], b: [10.5, 11.5, 12.5, 13.5] });

  it('alone, a significant change beyond the band is a regression: exit code 1', () => {
    const d = decide([slower], fast);
    assert.equal(d.workloads[0]!.test.pValue, 2 / 70);
    assert.equal(d.workloads[0]!.ratio, 15.45 / 10.3);
    assert.equal(d.workloads[0]!.verdict, 'regression');
    assert.deepEqual(d.counts, { regression: 1, improvement: 0, unchanged: 0, uncertain: 0 });
    assert.equal(d.exitCode, 1);
  });

  it('Holm across workloads: with two more workloads the same p becomes 3 × 2/70 > 0.05', () => {
    const d = decide([slower, same('x'), same('y')], fast);
    const w = d.workloads.find((x) => x.name === 'slower')!;
    assert.ok(Math.abs(w.test.adjustedPValue - 6 / 70) < 1e-15);
    assert.equal(w.verdict, 'uncertain');
    assert.equal(d.exitCode, 0);
    // Without a correction the same family flags it.
    assert.equal(decide([slower, same('x'), same('y')], { ...fast, correction: 'none' }).exitCode, 1);
  });

  it('verdicts: both halves are needed', () => {
    assert.equal(verdictOf({ low: 1.06, high: 1.3 }, 0.01, 0.05, 0.05), 'regression');
    assert.equal(verdictOf({ low: 1.06, high: 1.3 }, 0.2, 0.05, 0.05), 'uncertain'); // not significant
    assert.equal(verdictOf({ low: 1.01, high: 1.3 }, 0.001, 0.05, 0.05), 'uncertain'); // inside the band
    assert.equal(verdictOf({ low: 0.7, high: 0.95 }, 0.001, 0.05, 0.05), 'improvement'); // below 1/1.05
    assert.equal(verdictOf({ low: 0.7, high: 0.96 }, 0.001, 0.05, 0.05), 'uncertain');
    assert.equal(verdictOf({ low: 0.97, high: 1.04 }, 0.001, 0.05, 0.05), 'unchanged'); // significant but small
  });

  it('a wider threshold turns the same slowdown into "within the noise"', () => {
    const d = decide([slower], { ...fast, threshold: 0.9 });
    assert.equal(d.workloads[0]!.verdict, 'unchanged');
  });

  it('rejects bad options with messages naming them', () => {
    assert.throws(() => decide([slower], { threshold: 0 }), { name: 'RangeError', message: 'threshold must be in (0, 1), got 0' });
    assert.throws(() => decide([slower], { alpha: '0.05' as unknown as number }), { name: 'TypeError', message: 'alpha must be a number, got string' });
    assert.throws(() => decide([]), { name: 'RangeError', message: 'decide needs at least one workload' });
  });
});
