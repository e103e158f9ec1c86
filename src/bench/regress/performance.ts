/**
 * `xmrbench regress` for performance: rounds of trials, A and B interleaved (AB, then BA, …, so
 * drift and neighbours' load hit both builds alike and neither always runs first), the first
 * `warmupRounds` discarded, until every workload's decision is settled — decided, or its interval
 * narrower than the noise threshold — after at least `minRounds`, or the time budget or
 * `maxRounds` runs out. A saved baseline stands in for A: then only B runs.
 */
import { XmrError } from '../../errors.js';
import { decide, type Decision, type DecisionOptions } from './decision.js';
import { checkSameMachine } from './baseline.js';
import { REGRESS_SCHEMA, REGRESS_SCHEMA_VERSION, type BuildInfo, type PerformanceReport, type Series, type Trial } from './report.js';
import { entryPoint, runTrial, workloadArgs, type TrialResult } from './trial.js';

export interface PerformanceOptions extends DecisionOptions {
  /** build A's folder; null with a baseline or when only recording B */
  a: string | null;
  b: string;
  /** a saved report whose B measurements stand in for A, and the file it came from */
  baseline?: { file: string; report: PerformanceReport; force: boolean };
  /** bench command lines, e.g. `topk --docs 20000 --queries 50` */
  workloads: readonly string[];
  /** keep only these drivers (all when empty) */
  drivers?: readonly string[];
  budgetSeconds?: number;
  minRounds?: number;
  maxRounds?: number;
  warmupRounds?: number;
  /** a progress line per round */
  progress?: (line: string) => void;
  /** the trial runner; tests replace it */
  trial?: (bin: string, workload: string) => Promise<TrialResult>;
}

/** Every workload decided, or its interval narrower than the threshold: more rounds would not help. */
export function settled(d: Decision): boolean {
  return d.workloads.every((w) => w.verdict !== 'uncertain' || w.interval.high / w.interval.low - 1 <= d.threshold);
}

export async function comparePerformance(o: PerformanceOptions): Promise<PerformanceReport> {
  const { budgetSeconds = 300, minRounds = 5, maxRounds = 30, warmupRounds = 1, drivers = [], trial = runTrial } = o;
  if (o.workloads.length === 0) throw new XmrError('E_USAGE', 'name at least one --workload');
  for (const w of o.workloads) workloadArgs(w); // a misspelt workload is a usage error before any round runs
  if (!Number.isInteger(minRounds) || minRounds < 2) throw new XmrError('E_USAGE', `--min-rounds must be an integer ≥ 2, got ${minRounds}`);
  if (!Number.isInteger(maxRounds) || maxRounds < minRounds) throw new XmrError('E_USAGE', `--max-rounds must be an integer ≥ --min-rounds (${minRounds}), got ${maxRounds}`);
  if (!Number.isInteger(warmupRounds) || warmupRounds < 0) throw new XmrError('E_USAGE', `--warmup must be an integer ≥ 0, got ${warmupRounds}`);
  if (!(budgetSeconds > 0)) throw new XmrError('E_USAGE', `--budget must be a positive number of seconds, got ${budgetSeconds}`);
  const binA = o.a === null ? null : entryPoint(o.a, '--a');
  const binB = entryPoint(o.b, '--b');
  const saved = o.baseline?.report;
  const savedSeries = new Map((saved?.series ?? []).map((s) => [s.name, s.b]));

  const started = Date.now();
  const elapsed = (): number => (Date.now() - started) / 1000;
  const trials: Trial[] = [];
  const series = new Map<string, Series>();
  const a: BuildInfo | null = saved ? { source: 'baseline', path: o.baseline!.file, machine: saved.b.machine } : binA ? { source: 'dir', path: o.a!, machine: null } : null;
  const b: BuildInfo = { source: 'dir', path: o.b, machine: null };
  const options = { budgetSeconds, minRounds, maxRounds, warmupRounds };
  const decisionOptions: DecisionOptions = { threshold: o.threshold, alpha: o.alpha, confidence: o.confidence, resamples: o.resamples, seed: o.seed, correction: o.correction };
  const keep = (driver: string): boolean => drivers.length === 0 || drivers.includes(driver);

  const record = (round: number, build: 'a' | 'b', workload: string, t: TrialResult, warmup: boolean): void => {
    trials.push({ round, build, workload, warmup, seconds: t.seconds, measurements: t.measurements, result: t.result });
    const info = build === 'a' ? a! : b;
    if (t.machine && info.source === 'dir') {
      if (info.machine === null) info.machine = t.machine;
      if (build === 'b' && saved) checkSameMachine(o.baseline!.file, saved.b.machine!, t.machine, o.baseline!.force);
    }
    if (warmup) return;
    for (const [driver, value] of Object.entries(t.measurements)) {
      if (!keep(driver)) continue;
      const name = `${workload} · ${driver}`;
      let s = series.get(name);
      if (!s) {
        s = { name, workload, driver, a: saved ? [...(savedSeries.get(name) ?? [])] : [], b: [] };
        series.set(name, s);
      }
      s[build].push(value);
    }
  };

  let decision: Decision | null = null;
  let stopped: PerformanceReport['stopped'] = 'max-rounds';
  let roundSeconds = 0;
  for (let round = 0; round < warmupRounds + maxRounds; round++) {
    const roundStart = elapsed();
    const warmup = round < warmupRounds;
    const order: ('a' | 'b')[] = binA === null ? ['b'] : round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const workload of o.workloads) {
      for (const build of order) record(round, build, workload, await trial(build === 'a' ? binA! : binB, workload), warmup);
    }
    roundSeconds = Math.max(roundSeconds, elapsed() - roundStart);
    const measured = round + 1 - warmupRounds;
    if (measured <= 0) continue;
    if (measured === 1 && saved) {
      const missing = [...series.values()].filter((s) => s.a.length === 0).map((s) => s.name);
      if (missing.length > 0) throw new XmrError('E_USAGE', `--baseline ${o.baseline!.file} has no measurements for ${missing.join(', ')}`);
    }
    if (series.size === 0) throw new XmrError('E_USAGE', `no driver left to compare (--driver ${drivers.join(', ')})`);
    if (a !== null && measured >= minRounds) {
      decision = decide([...series.values()], decisionOptions);
      // The workload's name without its options keeps the line short.
      const line = decision.workloads.map((w) => `${w.name.replace(/^(\S+)[^·]*·/, '$1 ·')} ${w.ratio.toFixed(3)} [${w.interval.low.toFixed(3)}, ${w.interval.high.toFixed(3)}] ${w.verdict}`).join('; ');
      o.progress?.(`round ${measured}: ${line}`);
      if (settled(decision)) {
        stopped = 'settled';
        break;
      }
    } else {
      o.progress?.(`round ${measured} of ≥ ${minRounds}${warmup ? ' (warm-up)' : ''}: ${elapsed().toFixed(0)} s`);
      if (a === null && measured >= minRounds) {
        stopped = 'settled';
        break;
      }
    }
    // Stop before a round that would overrun the budget (the slowest round so far predicts it).
    if (elapsed() + roundSeconds > budgetSeconds) {
      stopped = 'budget';
      break;
    }
  }
  if (a !== null && decision === null) decision = decide([...series.values()], decisionOptions);
  return {
    schema: REGRESS_SCHEMA,
    schemaVersion: REGRESS_SCHEMA_VERSION,
    kind: 'performance',
    createdAt: new Date().toISOString(),
    a,
    b,
    workloads: [...o.workloads],
    options,
    rounds: series.size > 0 ? Math.max(...[...series.values()].map((s) => s.b.length)) : 0,
    stopped,
    seconds: elapsed(),
    trials,
    series: [...series.values()],
    decision,
  };
}
