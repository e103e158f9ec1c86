/**
 * `xmrbench regress --accuracy`: did build B's rankers get worse than build A's? Each system's
 * per-query values (from two studies' results.json, or from two sets of runs scored on the same
 * qrels) are compared per measure with a paired test of src/eval/significance, as a
 * non-inferiority gate:
 *
 * - H₀: mean(b − a) ≥ −margin (B is no worse than A by more than the margin) against
 *   H₁: mean(b − a) < −margin. The test runs on the shifted pairs (a − margin, b), whose
 *   differences are d + margin; B fails (`worse`) when the adjusted two-sided p < α and
 *   mean(d) + margin < 0 — a one-sided test at level α/2, the conventional non-inferiority level
 *   (Piaggio et al. 2012, CONSORT for non-inferiority trials: a two-sided 1 − α interval).
 * - `better`: the unshifted test's adjusted p < α and mean(d) > 0 (reported, never a failure).
 * - p-values are adjusted across every (system, measure) comparison of the gate (default Holm), so
 *   adding measures does not add false alarms.
 * - with margin 0 the gate fails on any significant loss; a margin of 0.01 on RR@10 tolerates a
 *   loss the queries cannot tell from 0.01.
 */
import { readFileSync } from 'node:fs';
import { XmrError } from '../../errors.js';
import { describeTest, runTest, COMPARE_TESTS, type CompareTest } from '../../eval/compare.js';
import { adjustPValues, bootstrapCI, type PAdjustMethod } from '../../eval/significance/index.js';
import type { Results } from '../../experiment/results.js';
import { renderTable, type RegressFormat } from './report.js';

/** One system's per-query values: measure → values aligned with `queryIds`. */
export interface SystemValues {
  name: string;
  queryIds: readonly string[];
  perQuery: ReadonlyMap<string, ArrayLike<number>>;
}

export interface AccuracyOptions {
  /** non-inferiority margin on the measure's scale, ≥ 0; default 0 */
  margin?: number;
  test?: CompareTest;
  correction?: PAdjustMethod;
  alpha?: number;
  permutations?: number;
  seed?: number;
  /** bootstrap resamples of the interval of mean(b − a); default 10,000 */
  resamples?: number;
}

export type AccuracyVerdict = 'worse' | 'no worse' | 'better';

export interface AccuracyRow {
  system: string;
  measure: string;
  queries: number;
  meanA: number;
  meanB: number;
  difference: number;
  interval: { low: number; high: number; confidence: 0.95 };
  /** the non-inferiority test on (a − margin, b) */
  pValue: number;
  adjustedPValue: number;
  /** the plain test on (a, b), for `better` */
  improvementPValue: number;
  adjustedImprovementPValue: number;
  verdict: AccuracyVerdict;
}

export interface AccuracyGate {
  schema: 'xmrbench/regress';
  schemaVersion: number;
  kind: 'accuracy';
  createdAt: string;
  a: string[];
  b: string[];
  margin: number;
  test: CompareTest;
  /** the test and its options in words */
  testDescription: string;
  correction: PAdjustMethod;
  alpha: number;
  rows: AccuracyRow[];
  counts: Record<AccuracyVerdict, number>;
  exitCode: 0 | 1;
}

const mean = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  return s / v.length;
};

/** Values of B reordered to A's query order; the query sets must be equal. */
function aligned(a: SystemValues, b: SystemValues, measure: string): [Float64Array, Float64Array] {
  const va = a.perQuery.get(measure);
  const vb = b.perQuery.get(measure);
  if (!va || !vb) throw new XmrError('E_USAGE', `system ${a.name}: measure ${measure} is missing from ${va ? 'B' : 'A'}`);
  const index = new Map(b.queryIds.map((q, i) => [q, i]));
  const missing = a.queryIds.filter((q) => !index.has(q));
  if (missing.length > 0 || a.queryIds.length !== b.queryIds.length) {
    throw new XmrError('E_USAGE', `system ${a.name}: A and B were scored on different queries (${a.queryIds.length} and ${b.queryIds.length}, e.g. ${missing[0] ?? b.queryIds.find((q) => !a.queryIds.includes(q))} in one only); use the same qrels`);
  }
  return [Float64Array.from(va), Float64Array.from(a.queryIds, (q) => vb[index.get(q)!] as number)];
}

/**
 * The gate over the systems present in both A and B (matched by name) and the given measures.
 * @throws XmrError (E_USAGE: the CLI exits 2) when no system is shared, a measure is missing or the
 *   query sets differ; RangeError for bad options.
 */
export function accuracyGate(a: readonly SystemValues[], b: readonly SystemValues[], measures: readonly string[], options: AccuracyOptions = {}, sources = { a: [] as string[], b: [] as string[] }): AccuracyGate {
  const { margin = 0, test = 't', correction = 'holm', alpha = 0.05, permutations = 10_000, seed = 0, resamples = 10_000 } = options;
  if (typeof margin !== 'number' || !(margin >= 0) || !Number.isFinite(margin)) throw new RangeError(`margin must be a finite number ≥ 0, got ${margin}`);
  if (!COMPARE_TESTS.includes(test)) throw new RangeError(`test must be one of ${COMPARE_TESTS.join(', ')}, got ${String(test)}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const byName = new Map(b.map((s) => [s.name, s]));
  const shared = a.filter((s) => byName.has(s.name));
  if (shared.length === 0) {
    throw new XmrError('E_USAGE', `A and B share no system (A: ${a.map((s) => s.name).join(', ') || 'none'}; B: ${b.map((s) => s.name).join(', ') || 'none'})`);
  }
  const rows: AccuracyRow[] = [];
  for (const sa of shared) {
    for (const m of measures) {
      const [va, vb] = aligned(sa, byName.get(sa.name)!, m);
      const shifted = va.map((v) => v - margin);
      const nonInferiority = runTest(test, shifted, vb, permutations, seed).pValue;
      const improvement = runTest(test, va, vb, permutations, seed).pValue;
      const ci = va.length >= 2 ? bootstrapCI(va, vb, { resamples, seed }) : { low: NaN, high: NaN };
      rows.push({
        system: sa.name,
        measure: m,
        queries: va.length,
        meanA: mean(va),
        meanB: mean(vb),
        difference: mean(vb) - mean(va),
        interval: { low: ci.low, high: ci.high, confidence: 0.95 },
        pValue: nonInferiority,
        adjustedPValue: NaN,
        improvementPValue: improvement,
        adjustedImprovementPValue: NaN,
        verdict: 'no worse',
      });
    }
  }
  const adjusted = adjustPValues(rows.map((r) => r.pValue), correction);
  const adjustedImprovement = adjustPValues(rows.map((r) => r.improvementPValue), correction);
  const counts: Record<AccuracyVerdict, number> = { worse: 0, 'no worse': 0, better: 0 };
  rows.forEach((r, i) => {
    r.adjustedPValue = adjusted[i]!;
    r.adjustedImprovementPValue = adjustedImprovement[i]!;
    // NaN p (a degenerate test, e.g. identical values) is never significant.
    if (r.adjustedPValue < alpha && r.difference + margin < 0) r.verdict = 'worse';
    else if (r.adjustedImprovementPValue < alpha && r.difference > 0) r.verdict = 'better';
    counts[r.verdict]++;
  });
  return {
    schema: 'xmrbench/regress',
    schemaVersion: 1,
    kind: 'accuracy',
    createdAt: new Date().toISOString(),
    a: sources.a,
    b: sources.b,
    margin,
    test,
    testDescription: describeTest(test, permutations, seed),
    correction,
    alpha,
    rows,
    counts,
    exitCode: counts.worse > 0 ? 1 : 0,
  };
}

/** The label of one run of a study: system, setting, seed and probe. */
export function studyRunName(r: Results['runs'][number]): string {
  const probe = r.probe === null ? '' : ` ${r.probe.kind}=${r.probe.value}`;
  return `${r.system} @ ${r.setting}${probe} seed ${r.seed}`;
}

/** Every run of a study's results.json as system values, with the study's measures. */
export function readStudy(file: string): { systems: SystemValues[]; measures: string[] } {
  let results: Results;
  try {
    results = JSON.parse(readFileSync(file, 'utf8')) as Results;
  } catch (e) {
    throw new XmrError('E_USAGE', (e as Error).message, { file });
  }
  if (results?.schema !== 'xmrbench/experiment-results' || !Array.isArray(results.runs)) {
    throw new XmrError('E_USAGE', `not a study's results.json (schema ${JSON.stringify(results?.schema)})`, { file });
  }
  const systems = results.runs.map((r) => ({
    name: studyRunName(r),
    queryIds: r.queryIds,
    perQuery: new Map(Object.entries(r.perQuery)),
  }));
  return { systems, measures: results.measures };
}

const num = (v: number): string => (Number.isNaN(v) ? '—' : v.toFixed(4));
const pv = (p: number): string => (Number.isNaN(p) ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

/** Renders a gate as a table, markdown or JSON; every format ends with a newline. */
export function formatAccuracy(g: AccuracyGate, format: RegressFormat): string {
  if (format === 'json') return JSON.stringify(g, null, 2) + '\n';
  const head = ['System · measure', 'A', 'B', 'B − A', '95% CI', 'p (adj.)', 'Verdict'];
  const body = g.rows.map((r) => [
    `${r.system} · ${r.measure}`,
    num(r.meanA),
    num(r.meanB),
    (r.difference >= 0 ? '+' : '') + num(r.difference),
    `[${num(r.interval.low)}, ${num(r.interval.high)}]`,
    pv(r.verdict === 'better' ? r.adjustedImprovementPValue : r.adjustedPValue),
    r.verdict === 'worse' ? 'WORSE' : r.verdict,
  ]);
  const notes = [
    `Non-inferiority gate, margin ${g.margin}: B fails where it is worse than A by more than the margin with adjusted p < ${g.alpha} (${g.correction} across ${g.rows.length} comparisons).`,
    `Test: ${g.testDescription}, on the pairs (a − margin, b) for "worse" and (a, b) for "better".`,
    `Intervals: paired bootstrap (BCa) of mean(b − a). ${g.counts.worse} worse, ${g.counts['no worse']} no worse, ${g.counts.better} better.`,
  ];
  return renderTable(head, [false, true, true, true, false, true, false], body, notes, format);
}
