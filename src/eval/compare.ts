/**
 * Comparison of several systems' per-query scores with paired significance tests, rendered as a
 * table in the manner of ranx's `compare` (Bassani 2022): runs are lettered a, b, c …, and each mean
 * is followed by the letters of the runs it beats significantly.
 *
 * - Pairs: every pair of runs, or with a baseline, every run against the baseline only.
 * - "X beats Y" on a measure: mean(X) > mean(Y) and the adjusted p-value < α.
 * - Family for the correction: the comparisons of one measure (k(k−1)/2 pairs, or k − 1 against a
 *   baseline); each measure is its own question, as each table column is read on its own.
 * - Every pair also gets Cohen's d_z, win/tie/loss counts and, when asked, a paired bootstrap
 *   confidence interval of the mean difference (see significance/).
 * - A degenerate test (e.g. a t-test on identical scores) has p = NaN: never significant, written
 *   `null` in JSON.
 */
import { geometricMeasure } from './measures.js';
import { printfFixed } from './printf.js';
import {
  adjustPValues,
  bootstrapCI,
  cohensDz,
  mcnemarTest,
  pairedTTest,
  randomizationTest,
  wilcoxonSignedRank,
  winTieLoss,
  type BootstrapMethod,
  type PAdjustMethod,
  type WinTieLoss,
} from './significance/index.js';

export type CompareTest = 't' | 'wilcoxon' | 'randomization' | 'mcnemar' | 'mcnemar-midp';
export const COMPARE_TESTS: readonly CompareTest[] = ['t', 'wilcoxon', 'randomization', 'mcnemar', 'mcnemar-midp'];
export type CompareFormat = 'table' | 'markdown' | 'latex' | 'json';
export const COMPARE_FORMATS: readonly CompareFormat[] = ['table', 'markdown', 'latex', 'json'];

/** Letters a … z name the runs, so at most 26 can be compared at once. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Unicode superscripts of a … z (ranx's choice; q has no superscript letter, ᵠ stands in). */
const SUPERSCRIPTS = 'ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖᵠʳˢᵗᵘᵛʷˣʸᶻ';

export interface SystemScores {
  name: string;
  /** measure → per-query values, aligned with the comparison's query list */
  perQuery: ReadonlyMap<string, Float64Array>;
}

export interface CompareOptions {
  /** default `t` (paired t-test) */
  test?: CompareTest;
  /** default `holm` */
  correction?: PAdjustMethod;
  /** significance level; default 0.05 */
  alpha?: number;
  /** name of the run every other run is compared with; default: all pairs */
  baseline?: string;
  /** randomization test: random sign flips (exact when 2ⁿ ≤ this); default 10,000 */
  permutations?: number;
  /** seed of the randomization test and the bootstrap; default 0 */
  seed?: number;
  /** bootstrap resamples for the intervals, 0 for none; default 10,000 */
  resamples?: number;
  /** confidence level of the intervals; default 0.95 */
  confidence?: number;
}

export interface ComparedRun {
  letter: string;
  name: string;
  /** measure → mean over the queries (for GMAP and GMBpref the geometric mean, as `eval` summarises them) */
  means: Record<string, number>;
}

export interface Interval {
  low: number;
  high: number;
  confidence: number;
  method: BootstrapMethod;
  resamples: number;
  seed: number;
}

/** One paired comparison of run `b` against run `a` on one measure (differences are b − a). */
export interface PairComparison {
  measure: string;
  a: string;
  b: string;
  meanA: number;
  meanB: number;
  /** The mean of the per-query differences, which the test and interval are about; for GMAP, whose per-query values are ln AP, that is ln(GMAP_b / GMAP_a). */
  difference: number;
  statistic: number;
  pValue: number;
  adjustedPValue: number;
  /** adjustedPValue < α */
  significant: boolean;
  cohensDz: number;
  winTieLoss: WinTieLoss;
  interval: Interval | null;
}

export interface Comparison {
  measures: string[];
  queries: number;
  runs: ComparedRun[];
  baseline: string | null;
  test: CompareTest;
  /** the test and its options in words */
  testDescription: string;
  correction: PAdjustMethod;
  alpha: number;
  comparisons: PairComparison[];
}

/** How a test is named under tables and in reports. */
export function describeTest(test: CompareTest, permutations: number, seed: number): string {
  switch (test) {
    case 't':
      return 'paired t-test (two-sided)';
    case 'wilcoxon':
      return "Wilcoxon signed-rank test (two-sided; zero differences dropped; exact, permutation or normal p by scipy's auto rule)";
    case 'randomization':
      return `paired randomization test (two-sided; ${permutations} random sign flips, seed ${seed}; all 2^n when 2^n ≤ ${permutations})`;
    case 'mcnemar':
      return "McNemar's test on per-query hits (two-sided; exact binomial on the discordant pairs)";
    case 'mcnemar-midp':
      return "McNemar's test on per-query hits (two-sided; mid-p: exact binomial on the discordant pairs, half the observed outcome's probability)";
  }
}

/** One paired test of b against a (two-sided). */
export function runTest(test: CompareTest, a: Float64Array, b: Float64Array, permutations: number, seed: number): { statistic: number; pValue: number } {
  switch (test) {
    case 't':
      return pairedTTest(a, b);
    case 'wilcoxon':
      return wilcoxonSignedRank(a, b);
    case 'randomization':
      return randomizationTest(a, b, { permutations, seed });
    case 'mcnemar':
      return mcnemarTest(a, b);
    case 'mcnemar-midp':
      return mcnemarTest(a, b, { method: 'mid-p' });
  }
}

/**
 * Compares systems whose per-query values are aligned (index i is the same query in every system).
 * @throws RangeError for bad options, an unknown baseline, fewer than 2 or more than 26 systems, or
 *   a measure missing from a system.
 */
export function compareSystems(systems: readonly SystemScores[], measures: readonly string[], options: CompareOptions = {}): Comparison {
  const { test = 't', correction = 'holm', alpha = 0.05, baseline, permutations = 10_000, seed = 0, resamples = 10_000, confidence = 0.95 } = options;
  if (!COMPARE_TESTS.includes(test)) throw new RangeError(`test must be one of ${COMPARE_TESTS.join(', ')}, got ${String(test)}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (systems.length < 2 || systems.length > LETTERS.length) throw new RangeError(`compare needs 2 to ${LETTERS.length} runs, got ${systems.length}`);
  const names = systems.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new RangeError(`run names must be distinct, got ${names.join(', ')}`);
  if (baseline !== undefined && !names.includes(baseline)) throw new RangeError(`baseline ${JSON.stringify(baseline)} is not among the runs (${names.join(', ')})`);
  const values = (s: SystemScores, m: string): Float64Array => {
    const v = s.perQuery.get(m);
    if (v === undefined) throw new RangeError(`run ${JSON.stringify(s.name)} has no values for ${m}`);
    const notHit = test.startsWith('mcnemar') ? v.findIndex((x) => x !== 0 && x !== 1) : -1;
    if (notHit >= 0) throw new RangeError(`--test ${test} needs hit/miss (0/1) values per query, but ${m} of run ${JSON.stringify(s.name)} is ${v[notHit]} at query ${notHit + 1}; use R@k or Success@k`);
    return v;
  };
  const mean = (v: Float64Array): number => v.reduce((t, x) => t + x, 0) / v.length;
  // A measure's mean as `eval` reports it: the geometric means' per-query values are logarithms (metrics/geometric.ts).
  const summary = (v: Float64Array, m: string): number => (geometricMeasure(m) ? Math.exp(mean(v)) : mean(v));

  const pairs: [number, number][] = [];
  const base = baseline === undefined ? -1 : names.indexOf(baseline);
  for (let i = 0; i < systems.length; i++) {
    for (let j = i + 1; j < systems.length; j++) {
      if (base < 0) pairs.push([i, j]);
    }
    if (base >= 0 && i !== base) pairs.push([base, i]);
  }

  const comparisons: PairComparison[] = [];
  for (const m of measures) {
    const rows = pairs.map(([i, j]) => {
      const a = values(systems[i]!, m);
      const b = values(systems[j]!, m);
      const { statistic, pValue } = runTest(test, a, b, permutations, seed);
      const ci = resamples > 0 ? bootstrapCI(a, b, { resamples, confidence, seed }) : null;
      return {
        measure: m,
        a: names[i]!,
        b: names[j]!,
        meanA: summary(a, m),
        meanB: summary(b, m),
        difference: mean(b) - mean(a),
        statistic,
        pValue,
        adjustedPValue: NaN,
        significant: false,
        cohensDz: cohensDz(a, b),
        winTieLoss: winTieLoss(a, b),
        interval: ci && { low: ci.low, high: ci.high, confidence, method: ci.method, resamples, seed },
      };
    });
    const adjusted = adjustPValues(rows.map((r) => r.pValue), correction);
    rows.forEach((r, k) => {
      r.adjustedPValue = adjusted[k]!;
      r.significant = r.adjustedPValue < alpha;
    });
    comparisons.push(...rows);
  }

  const runs = systems.map((s, i) => ({ letter: LETTERS[i]!, name: s.name, means: Object.fromEntries(measures.map((m) => [m, summary(values(s, m), m)])) }));
  const queries = systems[0]!.perQuery.get(measures[0]!)?.length ?? 0;
  return { measures: [...measures], queries, runs, baseline: baseline ?? null, test, testDescription: describeTest(test, permutations, seed), correction, alpha, comparisons };
}

/** Letters of the runs that `run` beats significantly on `measure`, in letter order. */
export function beaten(c: Comparison, run: string, measure: string): string[] {
  const out = new Set<string>();
  for (const p of c.comparisons) {
    if (p.measure !== measure || !p.significant) continue;
    if (p.a === run && p.meanA > p.meanB) out.add(p.b);
    if (p.b === run && p.meanB > p.meanA) out.add(p.a);
  }
  return c.runs.filter((r) => out.has(r.name)).map((r) => r.letter);
}

const CORRECTION_NAMES: Record<PAdjustMethod, string> = { holm: 'Holm', bonferroni: 'Bonferroni', bh: 'Benjamini–Hochberg', none: '' };

/** The lines under the table: test, correction and α. */
export function comparisonNotes(c: Comparison): string[] {
  const perMeasure = c.comparisons.length / c.measures.length;
  const family = `${perMeasure} comparison${perMeasure === 1 ? '' : 's'} per measure`;
  const corr = c.correction === 'none' ? `no correction for multiple comparisons (${family})` : `${CORRECTION_NAMES[c.correction]} correction over the ${family}`;
  const pairs = c.baseline === null ? 'all pairs of runs' : `every run against the baseline ${c.baseline}`;
  return [
    `Test: ${c.testDescription}, ${pairs}; ${corr}; α = ${c.alpha}.`,
    `A superscript lists the runs a mean is significantly greater than (adjusted p < ${c.alpha}); ${c.queries} queries.`,
  ];
}

interface CellStyle {
  sup: (letters: string[]) => string;
  best: (text: string) => string;
  name: (text: string) => string;
}

function cells(c: Comparison, digits: number, style: CellStyle): string[][] {
  return c.runs.map((r) => [
    r.letter,
    style.name(r.name),
    ...c.measures.map((m) => {
      const top = Math.max(...c.runs.map((x) => x.means[m]!));
      const v = r.means[m]!;
      const text = printfFixed(v, digits);
      return (v === top ? style.best(text) : text) + style.sup(beaten(c, r.name, m));
    }),
  ]);
}

const superscript = (letters: string[]): string => letters.map((l) => SUPERSCRIPTS[LETTERS.indexOf(l)]).join('');
const width = (s: string): number => [...s].length;

function plainTable(c: Comparison, digits: number): string {
  const rows = [['#', 'Run', ...c.measures], ...cells(c, digits, { sup: superscript, best: (t) => t, name: (t) => t })];
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => width(r[k]!))));
  const line = (r: string[]): string => r.map((cell, k) => cell + ' '.repeat(widths[k]! - width(cell))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), '', ...comparisonNotes(c)].join('\n') + '\n';
}

function markdownTable(c: Comparison, digits: number): string {
  const esc = (t: string): string => t.replace(/[|\\*_`]/g, (ch) => `\\${ch}`);
  const rows = cells(c, digits, { sup: superscript, best: (t) => `**${t}**`, name: esc });
  const head = ['#', 'Run', ...c.measures.map(esc)];
  const rule = ['---', '---', ...c.measures.map(() => '---:')];
  return [head, rule, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n\n' + comparisonNotes(c).join('\n') + '\n';
}

function latexTable(c: Comparison, digits: number): string {
  const esc = (t: string): string =>
    t.replace(/[\\{}$&#^_%~]/g, (ch) => ({ '\\': '\\textbackslash{}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}' })[ch] ?? `\\${ch}`);
  const rows = cells(c, digits, { sup: (l) => (l.length > 0 ? `$^{${l.join('')}}$` : ''), best: (t) => `\\textbf{${t}}`, name: esc });
  const notes = comparisonNotes(c)
    .map((n) => esc(n).replaceAll('α', '$\\alpha$').replaceAll('≤', '$\\leq$'))
    .join(' ');
  return [
    '% requires \\usepackage{booktabs}',
    '\\begin{table}[t]',
    '\\centering',
    `\\begin{tabular}{cl${'r'.repeat(c.measures.length)}}`,
    '\\toprule',
    `\\# & Run & ${c.measures.map(esc).join(' & ')} \\\\`,
    '\\midrule',
    ...rows.map((r) => `${r.join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
    `\\caption{${notes}}`,
    '\\end{table}',
  ].join('\n') + '\n';
}

/** Renders a comparison; every format ends with a newline. JSON keeps full precision. */
export function formatComparison(c: Comparison, format: CompareFormat, digits = 4): string {
  switch (format) {
    case 'table':
      return plainTable(c, digits);
    case 'markdown':
      return markdownTable(c, digits);
    case 'latex':
      return latexTable(c, digits);
    case 'json':
      return JSON.stringify({ ...c, runs: c.runs.map((r) => ({ ...r, beats: Object.fromEntries(c.measures.map((m) => [m, beaten(c, r.name, m)])) })) }, null, 2) + '\n';
  }
}
