/**
 * Relevance judgments: for each query, judged documents with an integer relevance level.
 *
 * Semantics follow trec_eval 10: a document is relevant at level ℓ when rel ≥ ℓ (`-l ℓ`, default 1);
 * rel 0 is judged non-relevant; a negative rel is "in the pool but unjudged" (form_res_rels.c,
 * RELVALUE_UNJUDGED) and counts as non-relevant for every measure. Queries whose judgments are all
 * non-relevant still count (value 0), as in trec_eval.
 */
import { XmrError } from '../../errors.js';
import { applyOrder, groupOrder } from './group-by-query.js';
import { Interner } from './interner.js';

export class Qrels {
  /** @internal use QrelsBuilder, Qrels.fromObject, readQrels or loadBeir. */
  constructor(
    readonly queries: Interner,
    readonly docnos: Interner,
    /** Query q's judgments are rows offsets[q] … offsets[q+1]−1 (in input order). */
    readonly offsets: Int32Array,
    readonly docs: Int32Array,
    readonly rels: Int32Array,
  ) {}

  get size(): number {
    return this.offsets.length - 1;
  }

  get length(): number {
    return this.docs.length;
  }

  /** Builds qrels from `{qid: {docno: rel}}` (the JSON form; BEIR's and ranx's qrels dict). */
  static fromObject(obj: Readonly<Record<string, Readonly<Record<string, number>>>>): Qrels {
    if (obj === null || typeof obj !== 'object') throw new TypeError('qrels must be an object {qid: {docno: relevance}}');
    const b = new QrelsBuilder();
    for (const [qid, docs] of Object.entries(obj)) {
      if (docs === null || typeof docs !== 'object') throw new TypeError(`qrels["${qid}"] must be an object {docno: relevance}`);
      for (const [docno, rel] of Object.entries(docs)) b.add(qid, docno, rel);
    }
    return b.build();
  }

  toObject(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (let q = 0; q < this.size; q++) {
      const docs: Record<string, number> = {};
      for (let i = this.offsets[q]!; i < this.offsets[q + 1]!; i++) docs[this.docnos.get(this.docs[i]!)] = this.rels[i]!;
      out[this.queries.get(q)] = docs;
    }
    return out;
  }
}

export class QrelsBuilder {
  readonly queries = new Interner();
  readonly docnos = new Interner();
  /** @internal columns the readers fill directly via push(). */
  private q = new Int32Array(1024);
  private d = new Int32Array(1024);
  private rel = new Int32Array(1024);
  private lines = new Int32Array(1024);
  private n = 0;
  file: string | undefined;

  constructor(file?: string) {
    this.file = file;
  }

  /** Number of judgments so far. */
  get length(): number {
    return this.n;
  }

  add(qid: string, docno: string, rel: number): this {
    if (typeof qid !== 'string' || qid === '') throw new TypeError('qid must be a non-empty string');
    if (typeof docno !== 'string' || docno === '') throw new TypeError('docno must be a non-empty string');
    if (!Number.isInteger(rel) || rel < -2147483647 || rel > 2147483647) throw new RangeError(`relevance must be a 32-bit integer, got ${rel} for query "${qid}", document "${docno}"`);
    this.push(this.queries.internString(qid), this.docnos.internString(docno), rel, 0);
    return this;
  }

  /** @internal a row with interned ids and its 1-based source line (0: none). */
  push(q: number, d: number, rel: number, line: number): void {
    const i = this.n;
    if (i === this.q.length) {
      this.q = grow(this.q);
      this.d = grow(this.d);
      this.rel = grow(this.rel);
      this.lines = grow(this.lines);
    }
    this.q[i] = q;
    this.d[i] = d;
    this.rel[i] = rel;
    this.lines[i] = line;
    this.n = i + 1;
  }

  /** Groups by query and rejects a document judged twice for one query (its level would be ambiguous). */
  build(): Qrels {
    const { offsets, order } = groupOrder(this.q, this.n, this.queries.size);
    const docs = applyOrder(this.d, this.n, order);
    const rels = applyOrder(this.rel, this.n, order);
    const lines = applyOrder(this.lines, this.n, order);
    const mark = new Int32Array(this.docnos.size).fill(-1);
    for (let q = 0; q < this.queries.size; q++) {
      for (let i = offsets[q]!; i < offsets[q + 1]!; i++) {
        const d = docs[i]!;
        if (mark[d] !== q) {
          mark[d] = q;
          continue;
        }
        let first = offsets[q]!;
        while (docs[first] !== d) first++;
        const firstAt = lines[first]! > 0 ? ` (first at line ${lines[first]})` : '';
        throw new XmrError('E_DUPLICATE', `duplicate judgment for document "${this.docnos.get(d)}" in query "${this.queries.get(q)}"${firstAt}`, { file: this.file, line: lines[i]! || undefined });
      }
    }
    return new Qrels(this.queries, this.docnos, offsets, docs, rels);
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
