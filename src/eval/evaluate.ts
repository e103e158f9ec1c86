/**
 * Per-query evaluation of a run against qrels, with trec_eval 10's semantics, and the query-set
 * modes used to average.
 *
 * - Ranking: the run is held in trec_eval order (score descending as doubles, ties by docno
 *   descending in byte order; see data/trec/run.ts); the file's rank column plays no part.
 * - Query set `'all'` (default, trec_eval `-c`): every qrels query counts; one missing from the run
 *   scores 0 on every measure. `'intersection'` (BEIR's `EvaluateRetrieval.evaluate`, trec_eval
 *   without `-c`): only queries in both. Either way run-only queries are ignored and counted in a
 *   warning, as are qrels queries missing from the run.
 * - Per-query values are first-class: `perQuery.get(name)[i]` belongs to `queryIds[i]`, and
 *   `queryIds` is sorted in byte order (trec_eval's order), so two systems evaluated on the same qrels
 *   and mode line up index by index for paired tests.
 *
 * Work per query is linear in the run's length: the query's judgments go into a small hash table
 * probed with each row's precomputed docno hash, the labels are filled into one scratch Int32Array,
 * and the kernels (metrics/*.ts) read only typed arrays.
 */
import { describe, nonNegativeInteger, positiveInteger } from '../args.js';
import { XmrError } from '../errors.js';
import type { Qrels } from '../data/trec/qrels.js';
import type { Run } from '../data/trec/run.js';
import { parseMeasures, summaryKind, trecEvalPrintedName, type Measure, type MeasureFamily } from './measures.js';
import { apKernel } from './metrics/ap.js';
import { bprefKernel, countNonrelevant } from './metrics/bpref.js';
import { geoLog } from './metrics/geometric.js';
import { infapKernel } from './metrics/infap.js';
import { iprecAvgKernel, iprecKernel } from './metrics/iprec.js';
import { binGKernel, gKernel, ndcgRelKernel, rndcgKernel } from './metrics/gain.js';
import { judgedKernel, unjudgedKernel } from './metrics/judged.js';
import { countRelevant, UNJUDGED } from './metrics/labels.js';
import { dcgKernel, idcgKernel, idealGains, ndcgKernel } from './metrics/ndcg.js';
import { precisionKernel } from './metrics/precision.js';
import { rbpKernel, rbpResidKernel } from './metrics/rbp.js';
import { recallKernel } from './metrics/recall.js';
import { relativePKernel, rprecMultKernel } from './metrics/relative.js';
import { rprecKernel } from './metrics/rprec.js';
import { rrKernel } from './metrics/rr.js';
import { setKernel } from './metrics/set.js';
import { successKernel } from './metrics/success.js';

export type QuerySet = 'all' | 'intersection';

export interface EvaluateOptions {
  /** Which queries are averaged: `'all'` qrels queries (default, trec_eval -c) or the `'intersection'` with the run. */
  queries?: QuerySet;
  /**
   * Also keep each query's trec_eval `relstring` (Evaluation.relStrings) of `length` levels, under
   * the `name` trec_eval prints it with (measures.ts relStringAsked): for a query without results it
   * empties the string only under the name `relstring` (trec_eval.c's clear_relstr).
   */
  relString?: { length: number; name: string };
  /** Only each query's first maxDocs documents count (trec_eval -M; default: all). */
  maxDocs?: number;
  /**
   * Drop the documents the qrels do not judge (absent, or judged negative) before measuring, after
   * maxDocs (trec_eval -J: "condensed lists").
   */
  judgedOnly?: boolean;
}

export interface EvalWarning {
  code: 'RUN_ONLY_QUERIES' | 'MISSING_FROM_RUN';
  /** How many queries. */
  count: number;
  /** Up to five of their ids, in byte order. */
  examples: string[];
  message: string;
}

export interface Evaluation {
  /** Canonical measure names, in the order asked (repeats dropped). */
  measures: string[];
  /** Evaluated query ids, sorted in byte order. */
  queryIds: string[];
  /** Measure name → one value per query, aligned with queryIds. */
  perQuery: Map<string, Float64Array>;
  /**
   * Measure name → its summary over queryIds, trec_eval's `all` value: the arithmetic mean, or for
   * the counts (NumQ, NumRet, NumRel, NumRelRet) the sum — with trec_eval's one quirk, see finish() —
   * and for GMAP and GMBpref the geometric mean (exp of the mean of their per-query logarithms).
   */
  mean: Map<string, number>;
  querySet: QuerySet;
  /**
   * With options.relString = n: trec_eval's relstring of each query, aligned with queryIds — the
   * levels of its first n documents, one character each: the level 0 … 9, `>` above 9, `-` for a
   * document absent from the qrels, `.` for one judged negative (in the pool, not judged)
   * (m_relstring.c); for a query without results, that of trec_eval's one-document ranking (see
   * finish()) or, under the name `relstring`, empty.
   */
  relStrings?: string[];
  /** Qrels queries absent from the run (scored 0 under 'all', left out under 'intersection'). */
  missingFromRun: number;
  /** Run queries absent from the qrels (always ignored). */
  runOnly: number;
  warnings: EvalWarning[];
}

/**
 * Evaluates `run` against `qrels` on `measures` (ir_measures names: a comma-separated string or an
 * array, see measures.ts).
 */
export function evaluate(qrels: Qrels, run: Run, measures: string | readonly (string | Measure)[], options: EvaluateOptions = {}): Evaluation {
  return new Evaluator(qrels, measures, options).add(run).finish();
}

/**
 * evaluate() over a run given in parts, each holding every row of its queries (a query in two parts
 * is an error): `xmrbench eval` reads a large run file in windows of whole queries
 * (data/trec/run-windows.ts) so that its memory is re-used window after window. Each query's values
 * are the same as evaluate() gives for the whole run, and finish() averages in the same order.
 */
export class Evaluator {
  private readonly ms: Measure[];
  private readonly querySet: QuerySet;
  /** Per measure, the value of each qrels query (0 until its run query is added). */
  private readonly values: Float64Array[];
  /** 1 when the qrels query's run results were added. */
  private readonly seen: Uint8Array;
  private readonly runOnlyIds: string[] = [];
  private readonly needIdeal: boolean;
  /** Each qrels query's relstring, when asked (options.relString). */
  private readonly relStrings: string[] | undefined;
  private readonly relStringLength: number;
  /** A query without results gets an empty relstring (asked under the name `relstring`). */
  private readonly clearRelString: boolean;
  private readonly maxDocs: number;
  private readonly judgedOnly: boolean;
  private labels = new Int32Array(0);
  private readonly ideal: Int32Array;
  private readonly table: Int32Array;

  constructor(
    private readonly qrels: Qrels,
    measures: string | readonly (string | Measure)[],
    options: EvaluateOptions = {},
  ) {
    const querySet = options.queries ?? 'all';
    if (querySet !== 'all' && querySet !== 'intersection') throw new RangeError(`options.queries must be 'all' or 'intersection', got ${JSON.stringify(querySet)}`);
    this.querySet = querySet;
    this.ms = parseMeasures(measures);
    const rs = options.relString;
    this.relStringLength = rs === undefined ? 0 : nonNegativeInteger(rs.length, 'options.relString.length');
    this.clearRelString = rs?.name === 'relstring';
    this.relStrings = rs === undefined ? undefined : new Array<string>(qrels.size).fill('');
    this.maxDocs = options.maxDocs === undefined ? Infinity : positiveInteger(options.maxDocs, 'options.maxDocs');
    if (options.judgedOnly !== undefined && typeof options.judgedOnly !== 'boolean') throw new TypeError(`options.judgedOnly must be a boolean, got ${describe(options.judgedOnly)}`);
    this.judgedOnly = options.judgedOnly === true;
    this.values = this.ms.map(() => new Float64Array(qrels.size));
    this.seen = new Uint8Array(qrels.size);
    let maxJudged = 0;
    for (let q = 0; q < qrels.size; q++) maxJudged = Math.max(maxJudged, qrels.offsets[q + 1]! - qrels.offsets[q]!);
    this.ideal = new Int32Array(maxJudged);
    this.needIdeal = this.ms.some((m) => IDEAL_FAMILIES.has(m.family));
    // Tables at most 1/8 full: nearly every probe by an unjudged row (most rows) meets an empty slot.
    let tableSize = 64;
    while (tableSize < 8 * maxJudged) tableSize *= 2;
    this.table = new Int32Array(tableSize);
  }

  /** Scores every query of `run` that the qrels judge; the others are counted for a warning. */
  add(run: Run): this {
    const { qrels, table } = this;
    let maxRun = 0;
    for (let r = 0; r < run.size; r++) maxRun = Math.max(maxRun, run.offsets[r + 1]! - run.offsets[r]!);
    if (this.labels.length < maxRun) this.labels = new Int32Array(maxRun);
    const labels = this.labels;
    for (let r = 0; r < run.size; r++) {
      const q = qrels.queries.lookupFrom(run.queries, r);
      if (q < 0) {
        this.runOnlyIds.push(run.queries.get(r));
        continue;
      }
      if (this.seen[q] === 1) throw new Error(`Evaluator.add: query "${run.queries.get(r)}" was in an earlier part of the run`);
      this.seen[q] = 1;
      const jLo = qrels.offsets[q]!;
      const jHi = qrels.offsets[q + 1]!;
      // This query's judgments in a small hash table (fits in cache), probed with each row's hash.
      let size = 64;
      while (size < 8 * (jHi - jLo)) size *= 2;
      const mask = size - 1;
      table.fill(-1, 0, size);
      for (let i = jLo; i < jHi; i++) {
        let slot = qrels.docnos.hashOf(qrels.docs[i]!) & mask;
        while (table[slot] !== -1) slot = (slot + 1) & mask;
        table[slot] = i;
      }
      const lo = run.offsets[r]!;
      const rows = Math.min(run.offsets[r + 1]! - lo, this.maxDocs);
      labelRows(run, lo, rows, qrels, table, mask, labels);
      this.scoreQuery(q, labels, this.judgedOnly ? keepJudged(labels, rows) : rows);
    }
    return this;
  }

  /** Scores qrels query q on the ranking labels[0, n). */
  private scoreQuery(q: number, labels: Int32Array, n: number): void {
    const { qrels, ms, values, ideal } = this;
    const judged = qrels.rels.subarray(qrels.offsets[q]!, qrels.offsets[q + 1]!);
    const nIdeal = this.needIdeal ? idealGains(judged, ideal) : 0;
    for (let mi = 0; mi < ms.length; mi++) values[mi]![q] = score(ms[mi]!, labels, n, judged, ideal, nIdeal);
    if (this.relStrings !== undefined) this.relStrings[q] = relString(labels, Math.min(n, this.relStringLength));
  }

  /** The evaluation of every part added (trec_eval -c: a qrels query without results scores as trec_eval scores it, 0 but for NumQ, NumRel and the geometric means). */
  finish(): Evaluation {
    const { qrels, ms, querySet, seen } = this;
    const missing: number[] = [];
    for (let q = 0; q < qrels.size; q++) if (seen[q] === 0) missing.push(q);
    const chosen: number[] = [];
    for (let q = 0; q < qrels.size; q++) if (querySet === 'all' || seen[q] === 1) chosen.push(q);
    chosen.sort((a, b) => qrels.queries.compare(a, b));
    if (chosen.length === 0) throw new XmrError('E_EMPTY', 'no query is in both the qrels and the run, so there is nothing to average (query set: intersection)');

    const queryIds = chosen.map((q) => qrels.queries.get(q));
    const perQuery = new Map<string, Float64Array>();
    const mean = new Map<string, number>();
    // trec_eval -c scores a qrels query without results as a ranking of one document absent from
    // the qrels (trec_eval.c's bogus ranking; -J drops it too), then sets the measures that would
    // count that document — num_ret, utility, unj, rbp_resid — to 0, and empties `relstring`.
    const bogus = new Int32Array([UNJUDGED]);
    const zeroed = ms.flatMap((m, mi) => (COUNTS_BOGUS.has(m.family) && (m.p === undefined || trecEvalPrintedName(m) === 'rbp_resid') ? [mi] : []));
    for (const q of querySet === 'all' ? missing : []) {
      this.scoreQuery(q, bogus, this.judgedOnly ? 0 : 1);
      if (this.relStrings !== undefined && this.clearRelString) this.relStrings[q] = '';
      for (const mi of zeroed) this.values[mi]![q] = 0;
    }
    ms.forEach((m, mi) => {
      const all = this.values[mi]!;
      const v = new Float64Array(chosen.length);
      // trec_eval sums the queries it evaluated, then the missing ones' share (meas_avg.c).
      let s = 0;
      let absent = 0;
      for (let i = 0; i < v.length; i++) {
        const q = chosen[i]!;
        v[i] = all[q]!;
        if (seen[q] === 1) s += v[i]!;
        else absent += v[i]!;
      }
      s += absent;
      perQuery.set(m.name, v);
      const kind = summaryKind(m.family);
      mean.set(m.name, kind === 'sum' ? s : kind === 'geometric' ? Math.exp(s / v.length) : s / v.length);
      // trec_eval -c's num_rel: every judgment with rel > 0 in the qrels, whatever the level asked
      // (m_num_rel.c, te_calc_avg_num_rel), so NumRel(rel=2)'s sum is then NumRel's.
      if (m.family === 'NumRel' && querySet === 'all') mean.set(m.name, countRelevant(qrels.rels, 1));
    });

    const warnings: EvalWarning[] = [];
    const runOnlyIds = this.runOnlyIds;
    if (runOnlyIds.length > 0) {
      const ex = byteSorted(runOnlyIds).slice(0, 5);
      warnings.push({ code: 'RUN_ONLY_QUERIES', count: runOnlyIds.length, examples: ex, message: `${runOnlyIds.length} run ${plural(runOnlyIds.length)} not in the qrels ignored (e.g. ${ex.join(', ')})` });
    }
    if (missing.length > 0) {
      const ex = byteSorted(missing.map((q) => qrels.queries.get(q))).slice(0, 5);
      const fate = querySet === 'all' ? 'scored 0 (trec_eval -c)' : 'left out (intersection)';
      warnings.push({ code: 'MISSING_FROM_RUN', count: missing.length, examples: ex, message: `${missing.length} qrels ${plural(missing.length)} without results in the run ${fate} (e.g. ${ex.join(', ')})` });
    }
    const relStrings = this.relStrings === undefined ? {} : { relStrings: chosen.map((q) => this.relStrings![q]!) };
    return { measures: ms.map((m) => m.name), queryIds, perQuery, mean, querySet, ...relStrings, missingFromRun: missing.length, runOnly: runOnlyIds.length, warnings };
  }
}

/**
 * labels[k] = the judged relevance of run row lo + k, or UNJUDGED, probing the query's table of
 * judgments (`table`: qrels rows by docno hash). This is the one loop over every row of the run.
 */
function labelRows(run: Run, lo: number, n: number, qrels: Qrels, table: Int32Array, mask: number, labels: Int32Array): void {
  const { hash, start, len, bytes } = run.docnos;
  for (let k = 0; k < n; k++) {
    const row = lo + k;
    const h = hash[row]!;
    let slot = h & mask;
    let label = UNJUDGED;
    for (let j = table[slot]!; j !== -1; j = table[slot]!) {
      const st = start[row]!;
      if (qrels.docnos.equalsHashed(qrels.docs[j]!, h, bytes, st, st + len[row]!)) {
        label = qrels.rels[j]!;
        break;
      }
      slot = (slot + 1) & mask;
    }
    labels[k] = label;
  }
}

/** The relstring of the first m labels (see Evaluation.relStrings). */
function relString(labels: Int32Array, m: number): string {
  let s = '';
  for (let i = 0; i < m; i++) {
    const l = labels[i]!;
    s += l > 9 ? '>' : l >= 0 ? String(l) : l === UNJUDGED ? '-' : '.';
  }
  return s;
}

/**
 * The families trec_eval.c sets to 0 for a query without results after scoring its bogus ranking
 * (by printed name: num_ret, utility, unj*, and rbp_resid at its default p only).
 */
const COUNTS_BOGUS: ReadonlySet<MeasureFamily> = new Set(['NumRet', 'Utility', 'Unj', 'RBPResid']);

/** Moves the judged labels (≥ 0) of labels[0, n) to its front, in order; returns how many (trec_eval -J). */
function keepJudged(labels: Int32Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) if (labels[i]! >= 0) labels[m++] = labels[i]!;
  return m;
}

function score(m: Measure, labels: Int32Array, n: number, judged: Int32Array, ideal: Int32Array, nIdeal: number): number {
  const k = m.cutoff ?? Infinity;
  switch (m.family) {
    case 'nDCG':
      return ndcgKernel(labels, n, k, ideal, nIdeal);
    case 'RR':
      return rrKernel(labels, n, k, m.rel);
    case 'P':
      return precisionKernel(labels, n, k, m.rel);
    case 'R':
      return recallKernel(labels, n, k, m.rel, countRelevant(judged, m.rel));
    case 'AP':
      return apKernel(labels, n, k, m.rel, countRelevant(judged, m.rel));
    case 'GMAP':
      return geoLog(apKernel(labels, n, Infinity, m.rel, countRelevant(judged, m.rel)));
    case 'IPrec':
      return iprecKernel(labels, n, m.cutoff!, m.rel, countRelevant(judged, m.rel));
    case 'Rprec':
      return rprecKernel(labels, n, m.rel, countRelevant(judged, m.rel));
    case 'Bpref':
      return bprefKernel(labels, n, m.rel, countRelevant(judged, m.rel), countNonrelevant(judged, m.rel));
    case 'infAP':
      return infapKernel(labels, n, m.rel, countRelevant(judged, m.rel));
    case 'GMBpref':
      return geoLog(bprefKernel(labels, n, m.rel, countRelevant(judged, m.rel), countNonrelevant(judged, m.rel)));
    case 'SetP':
    case 'SetRelP':
    case 'SetR':
    case 'SetF':
    case 'SetAP':
    case 'Utility':
    case 'NumNonRelJudgedRet':
      return setKernel(m.family, labels, n, m.rel, countRelevant(judged, m.rel));
    case 'Success':
      return successKernel(labels, n, k, m.rel);
    case 'Judged':
      return judgedKernel(labels, n, k);
    case 'NumQ':
      return 1;
    case 'NumRet':
      return n;
    case 'NumRel':
      return countRelevant(judged, m.rel);
    case 'NumRelRet':
      return countRelevant(labels.subarray(0, n), m.rel);
    case 'RelP':
      return relativePKernel(labels, n, k, m.rel, countRelevant(judged, m.rel));
    case 'RprecMult':
      return rprecMultKernel(labels, n, m.cutoff!, m.rel, countRelevant(judged, m.rel));
    case 'IPrecAvg':
      return iprecAvgKernel(labels, n, m.rel, countRelevant(judged, m.rel));
    case 'BinG':
      return binGKernel(labels, n, m.rel, countRelevant(judged, m.rel));
    case 'G':
      return gKernel(labels, n, ideal, nIdeal);
    case 'nDCGRel':
      return ndcgRelKernel(labels, n, ideal, nIdeal);
    case 'RnDCG':
      return rndcgKernel(labels, n, countRelevant(judged, m.rel), ideal, nIdeal);
    case 'RBP':
      return rbpKernel(labels, n, m.p!, nIdeal > 0 ? ideal[0]! : 0);
    case 'RBPResid':
      return rbpResidKernel(labels, n, m.p!);
    case 'Unj':
      return unjudgedKernel(labels, n, k);
    case 'DCG':
      return dcgKernel(labels, n);
    case 'IDCG':
      return idcgKernel(ideal, nIdeal);
  }
}

/** The families whose kernels read the ideal gains (the query's positive levels, sorted descending). */
const IDEAL_FAMILIES: ReadonlySet<MeasureFamily> = new Set(['nDCG', 'IDCG', 'G', 'nDCGRel', 'RnDCG', 'RBP']);

function plural(n: number): string {
  return n === 1 ? 'query' : 'queries';
}

/** Sorts strings by their UTF-8 bytes (trec_eval's strcmp order), not UTF-16 code units. */
export function byteSorted(ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
