/**
 * A run: for each query, retrieved documents with scores, held in trec_eval's order.
 *
 * Ordering (trec_eval 10, form_res_rels.c `comp_sim_docno`): score descending, scores compared as
 * doubles; ties broken by docno descending in byte order (strcmp). The rank column of a TREC file is
 * ignored, exactly as trec_eval ignores it. Other tools differ (ranx: arbitrary; ir_measures' RR@k:
 * docno ascending; BEIR: insertion order), so xmrbench sorts once here and every writer and metric
 * uses this order.
 *
 * Storage is columnar: query ids are interned to dense integers; query q's ranked rows are
 * `offsets[q] … offsets[q+1]−1`, with `scores[i]` and the docno of row i in `docnos` (see docnos.ts
 * for why docnos are kept per row rather than interned).
 */
import { XmrError } from '../../errors.js';
import { DocnoColumn } from './docnos.js';
import { applyOrder, groupOrder } from './group-by-query.js';
import { Interner } from './interner.js';

export class Run {
  /** @internal use RunBuilder, Run.fromObject or readRun. */
  constructor(
    /** qid ↔ dense id (ids follow first appearance). */
    readonly queries: Interner,
    /** Query q's ranked rows are offsets[q] … offsets[q+1]−1. */
    readonly offsets: Int32Array,
    readonly scores: Float64Array,
    /** Docno of each row. */
    readonly docnos: DocnoColumn,
  ) {}

  /** Number of queries. */
  get size(): number {
    return this.offsets.length - 1;
  }

  /** Number of (query, document) rows. */
  get length(): number {
    return this.scores.length;
  }

  /** The docno of row i. */
  docno(i: number): string {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`row must be in [0, ${this.length}), got ${i}`);
    return this.docnos.get(i);
  }

  /** Builds a run from `{qid: {docno: score}}` (the JSON form; also ranx's and BEIR's results dict). */
  static fromObject(obj: Readonly<Record<string, Readonly<Record<string, number>>>>): Run {
    if (obj === null || typeof obj !== 'object') throw new TypeError('run must be an object {qid: {docno: score}}');
    const b = new RunBuilder();
    for (const [qid, docs] of Object.entries(obj)) {
      if (docs === null || typeof docs !== 'object') throw new TypeError(`run["${qid}"] must be an object {docno: score}`);
      for (const [docno, score] of Object.entries(docs)) b.add(qid, docno, score);
    }
    return b.build();
  }

  /** `{qid: {docno: score}}`, queries in first-seen order, documents in ranked order. */
  toObject(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (let q = 0; q < this.size; q++) {
      const docs: Record<string, number> = {};
      for (let i = this.offsets[q]!; i < this.offsets[q + 1]!; i++) docs[this.docnos.get(i)] = this.scores[i]!;
      out[this.queries.get(q)] = docs;
    }
    return out;
  }
}

/** Collects (qid, docno, score) rows in any order; `build()` groups, checks and ranks them. */
export class RunBuilder {
  readonly queries: Interner;
  /** @internal */
  q: Int32Array = new Int32Array(1024);
  /** @internal */
  scores: Float64Array = new Float64Array(1024);
  /** @internal 1-based source line per row (0 when added from JS). */
  lines: Int32Array = new Int32Array(1024);
  /** @internal */
  readonly docnos = new DocnoColumn();
  /** @internal */
  length = 0;
  /** File named in error messages. */
  file: string | undefined;

  constructor(file?: string) {
    this.file = file;
    this.queries = new Interner();
  }

  add(qid: string, docno: string, score: number): this {
    if (typeof qid !== 'string' || qid === '') throw new TypeError('qid must be a non-empty string');
    if (typeof docno !== 'string' || docno === '') throw new TypeError('docno must be a non-empty string');
    // ±Infinity ranks (a run file may hold -inf, as trec_eval reads it); NaN has no rank.
    if (typeof score !== 'number' || Number.isNaN(score)) throw new RangeError(`score must be a number (±Infinity included, NaN not), got ${score} for query "${qid}", document "${docno}"`);
    const i = this.length;
    this.reserveRows(i + 1);
    this.q[i] = this.queries.internString(qid);
    this.scores[i] = score;
    this.lines[i] = 0;
    this.docnos.setString(i, docno);
    this.length = i + 1;
    return this;
  }

  /** @internal grows the row columns to at least `rows`. */
  reserveRows(rows: number): void {
    if (rows > this.q.length) {
      let cap = this.q.length * 2;
      while (cap < rows) cap *= 2;
      const q = new Int32Array(cap);
      q.set(this.q);
      this.q = q;
      const s = new Float64Array(cap);
      s.set(this.scores);
      this.scores = s;
      const l = new Int32Array(cap);
      l.set(this.lines);
      this.lines = l;
    }
    this.docnos.reserveRows(rows);
  }

  /** Groups by query, rejects a document listed twice for a query (as trec_eval does) and ranks. */
  build(): Run {
    const n = this.length;
    const { offsets, order } = groupOrder(this.q, n, this.queries.size);
    const scores = applyOrder(this.scores, n, order);
    const lines = applyOrder(this.lines, n, order);
    const d = this.docnos;
    d.start = applyOrder(d.start, n, order);
    d.len = applyOrder(d.len, n, order);
    d.hash = applyOrder(d.hash, n, order);
    rejectDuplicates(offsets, d, lines, this.queries, this.file);
    rankSegments(offsets, scores, d);
    return new Run(this.queries, offsets, scores, d);
  }
}

/**
 * Throws E_DUPLICATE at the second occurrence of a docno within one query: trec_eval refuses such a
 * run ("duplicate docs"). Uses a small open-addressing table per query on the row hashes.
 */
function rejectDuplicates(offsets: Int32Array, d: DocnoColumn, lines: Int32Array, queries: Interner, file: string | undefined): void {
  let table = new Int32Array(16);
  for (let q = 0; q + 1 < offsets.length; q++) {
    const lo = offsets[q]!;
    const hi = offsets[q + 1]!;
    let size = 16;
    while (size < 2 * (hi - lo)) size *= 2;
    if (table.length < size) table = new Int32Array(size);
    table.fill(-1, 0, size);
    const mask = size - 1;
    for (let i = lo; i < hi; i++) {
      let slot = d.hash[i]! & mask;
      for (;;) {
        const j = table[slot]!;
        if (j < 0) {
          table[slot] = i;
          break;
        }
        if (d.same(i, j)) throw duplicateDocument(d.get(i), queries.get(q), lines[j]!, file, lines[i]!);
        slot = (slot + 1) & mask;
      }
    }
  }
}

/** The error for a docno listed twice for one query; lines are 1-based, 0 when unknown (rows added from JS). */
export function duplicateDocument(docno: string, qid: string, firstLine: number, file: string | undefined, line: number): XmrError {
  const firstAt = firstLine > 0 ? ` (first at line ${firstLine})` : '';
  return new XmrError('E_DUPLICATE', `duplicate document "${docno}" for query "${qid}"${firstAt}`, { file, line: line || undefined });
}

/**
 * Sorts every query's rows into trec_eval order in place. Runs are usually written already ranked,
 * so each segment is checked in one pass; when its scores are non-increasing and only tied groups
 * are out of docno order (retrievers rarely break ties by docno descending), just those groups are
 * insertion-sorted; anything else gets a full sort.
 */
function rankSegments(offsets: Int32Array, scores: Float64Array, d: DocnoColumn): void {
  for (let q = 0; q + 1 < offsets.length; q++) {
    const lo = offsets[q]!;
    const hi = offsets[q + 1]!;
    let scoresOrdered = true;
    let tiesOrdered = true;
    for (let i = lo + 1; i < hi; i++) {
      const a = scores[i - 1]!;
      const b = scores[i]!;
      if (a < b) {
        scoresOrdered = false;
        break;
      }
      if (a === b && tiesOrdered && d.compare(i - 1, i) < 0) tiesOrdered = false;
    }
    if (!scoresOrdered) fullSort(lo, hi, scores, d);
    else if (!tiesOrdered) sortTieGroups(lo, hi, scores, d);
  }
}

/** Insertion sort by docno descending within each run of equal scores. */
function sortTieGroups(lo: number, hi: number, scores: Float64Array, d: DocnoColumn): void {
  const { start, len, hash } = d;
  for (let g = lo; g < hi; ) {
    let e = g + 1;
    while (e < hi && scores[e] === scores[g]) e++;
    for (let i = g + 1; i < e; i++) {
      for (let j = i; j > g && d.compare(j - 1, j) < 0; j--) {
        swap(start, j);
        swap(len, j);
        swap(hash, j);
      }
    }
    g = e;
  }
}

function swap(a: Int32Array | Uint32Array, j: number): void {
  const t = a[j]!;
  a[j] = a[j - 1]!;
  a[j - 1] = t;
}

function fullSort(lo: number, hi: number, scores: Float64Array, d: DocnoColumn): void {
  const idx = Array.from({ length: hi - lo }, (_, k) => lo + k);
  idx.sort((i, j) => scores[j]! - scores[i]! || d.compare(j, i));
  const s = idx.map((i) => scores[i]!);
  const st = idx.map((i) => d.start[i]!);
  const ln = idx.map((i) => d.len[i]!);
  const h = idx.map((i) => d.hash[i]!);
  scores.set(s, lo);
  d.start.set(st, lo);
  d.len.set(ln, lo);
  d.hash.set(h, lo);
}
