/**
 * The result of `xmrbench regress` for performance: a versioned JSON document keeping every
 * measurement and every child's full result, and its renderings as a terminal table or markdown
 * (for a CI comment). Bump REGRESS_SCHEMA_VERSION on any change a reader would notice.
 */
import { median } from '../../eval/significance/index.js';
import type { Decision, Verdict } from './decision.js';
import type { MachineStamp } from '../machine.js';
import type { BenchResult } from '../workload.js';

export const REGRESS_SCHEMA = 'xmrbench/regress';
export const REGRESS_SCHEMA_VERSION = 1;

export type RegressFormat = 'table' | 'markdown' | 'json';
export const REGRESS_FORMATS: readonly RegressFormat[] = ['table', 'markdown', 'json'];

export interface BuildInfo {
  /** `dir`: a checkout or installed package run here; `baseline`: measurements from a saved file */
  source: 'dir' | 'baseline';
  path: string;
  machine: MachineStamp | null;
}

export interface Trial {
  round: number;
  build: 'a' | 'b';
  workload: string;
  /** warm-up rounds are run and kept here, but left out of the series */
  warmup: boolean;
  seconds: number;
  /** driver → the process's median time in ms */
  measurements: Record<string, number>;
  /** the child's full JSON result */
  result: BenchResult;
}

export interface Series {
  /** `workload · driver` */
  name: string;
  workload: string;
  driver: string;
  /** per measured round, A's and B's process medians in ms (A empty when only B was recorded) */
  a: number[];
  b: number[];
}

export interface PerformanceReport {
  schema: typeof REGRESS_SCHEMA;
  schemaVersion: number;
  kind: 'performance';
  createdAt: string;
  a: BuildInfo | null;
  b: BuildInfo;
  workloads: string[];
  options: { budgetSeconds: number; minRounds: number; maxRounds: number; warmupRounds: number };
  /** measured rounds (warm-up excluded) */
  rounds: number;
  /** why the rounds stopped */
  stopped: 'settled' | 'budget' | 'max-rounds';
  seconds: number;
  trials: Trial[];
  series: Series[];
  /** null when only B was recorded (a baseline to compare with later) */
  decision: Decision | null;
}

const VERDICT_WORDS: Record<Verdict, string> = {
  regression: 'REGRESSION',
  improvement: 'improvement',
  unchanged: 'unchanged',
  uncertain: 'uncertain',
};

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
const pct = (r: number): string => `${r >= 1 ? '+' : '−'}${(Math.abs(r - 1) * 100).toFixed(1)}%`;
const pv = (p: number): string => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

function rows(r: PerformanceReport): string[][] {
  const d = r.decision;
  if (!d) return r.series.map((s) => [s.name, '', ms(median(s.b)), '', '', '', 'recorded']);
  return d.workloads.map((w) => [
    w.name,
    ms(w.medianA),
    ms(w.medianB),
    `${w.ratio.toFixed(3)} (${pct(w.ratio)})`,
    `[${w.interval.low.toFixed(3)}, ${w.interval.high.toFixed(3)}]`,
    pv(w.test.adjustedPValue),
    VERDICT_WORDS[w.verdict],
  ]);
}

/** The lines under the table: what was run, the rule, and the outcome. */
export function reportNotes(r: PerformanceReport): string[] {
  const d = r.decision;
  const a = r.a ? `${r.a.source === 'baseline' ? 'baseline ' : ''}${r.a.path}` : '(none)';
  const lines = [`A = ${a}, B = ${r.b.path}; ${r.rounds} measured rounds (+${r.options.warmupRounds} warm-up), one process per trial, A and B interleaved; stopped: ${r.stopped} after ${r.seconds.toFixed(0)} s.`];
  if (d) {
    const c = d.correction === 'holm' ? 'Holm-adjusted across the workloads' : `${d.correction} correction`;
    lines.push(
      `Times are medians of the per-process medians (ms). Regression: Mann–Whitney U p (${c}) < ${d.alpha} and the whole ${Math.round(d.confidence * 100)}% bootstrap interval of B/A above ${(1 + d.threshold).toFixed(3)}; improvement: below ${(1 / (1 + d.threshold)).toFixed(3)}.`,
      `${d.counts.regression} regressed, ${d.counts.improvement} improved, ${d.counts.unchanged} unchanged, ${d.counts.uncertain} uncertain.`,
    );
  }
  return lines;
}

const HEAD = ['Workload · driver', 'A ms', 'B ms', 'B/A', '95% CI', 'p (adj.)', 'Verdict'];

/**
 * A table as aligned plain text (for a terminal) or markdown (for a CI comment), with notes below;
 * `right` marks the columns aligned right in markdown.
 */
export function renderTable(head: readonly string[], right: readonly boolean[], body: readonly string[][], notes: readonly string[], format: 'table' | 'markdown'): string {
  if (format === 'markdown') {
    const esc = (t: string): string => t.replace(/[|\\*_`]/g, (ch) => `\\${ch}`);
    const md = [head.map(esc), right.map((r) => (r ? '---:' : '---')), ...body.map((row) => row.map(esc))];
    return md.map((row) => `| ${row.join(' | ')} |`).join('\n') + '\n\n' + notes.join('\n') + '\n';
  }
  const all = [head, ...body];
  const widths = head.map((_, k) => Math.max(...all.map((row) => [...row[k]!].length)));
  const line = (row: readonly string[]): string => row.map((cell, k) => cell + ' '.repeat(widths[k]! - [...cell].length)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '', ...notes].join('\n') + '\n';
}

/** Renders a report; every format ends with a newline. JSON keeps every measurement. */
export function formatReport(r: PerformanceReport, format: RegressFormat): string {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  return renderTable(HEAD, [false, true, true, true, false, true, false], rows(r), reportNotes(r), format);
}
