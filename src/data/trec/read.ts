/**
 * Readers for TREC runs (`qid Q0 docno rank score tag`) and qrels (`qid iter docno rel`), parsed from
 * bytes: fields split on spaces/tabs (a trailing \r is tolerated), ids interned straight from the
 * buffer, numbers parsed without creating strings. Blank lines are skipped; every other malformed
 * line is an E_PARSE error naming the file, the 1-based line and what was expected.
 * As in trec_eval, a run's rank column and the Q0/iter columns are not used (ranks come from the
 * scores), but the rank must still be an integer.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { XmrError } from '../../errors.js';
import { streamLineRegions, type LineRegionSink } from './lines.js';
import { readRunParallel } from './parallel.js';
import { FNV_OFFSET, FNV_PRIME, finishHash } from './interner.js';
import { parseDecimal, parseInteger, POW10 } from './numbers.js';
import { QrelsBuilder, type Qrels } from './qrels.js';
import { RunBuilder, type Run } from './run.js';
import { positiveInteger } from '../../args.js';

const utf8 = new TextDecoder();

/** Size in bytes of a plain file (to pre-size columns); 0 for gzip or when unknown. */
function fileSize(path: string): number {
  if (path.endsWith('.gz')) return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0; // the reader reports the missing file
  }
}

export interface ReadRunOptions {
  /** Most worker threads to parse with (default: the machine's available parallelism). */
  threads?: number;
  /**
   * Smallest share of the file worth a worker (default 32 MiB): a worker costs tens of ms to start,
   * so smaller files, and gzip files (not splittable), are read on the calling thread.
   */
  minBytesPerThread?: number;
}

/**
 * Reads a TREC run file (`.gz` allowed). Large plain files are parsed in byte ranges by worker
 * threads (parallel.ts); the result, and any error with its file and line, is the same whatever the
 * number of threads.
 */
export async function readRun(path: string, options: ReadRunOptions = {}): Promise<Run> {
  const threads = options.threads ?? availableParallelism();
  const minBytes = options.minBytesPerThread ?? 1 << 25;
  positiveInteger(threads, 'threads');
  if (!(minBytes > 0)) throw new RangeError(`minBytesPerThread must be positive, got ${minBytes}`);
  const size = fileSize(path);
  const parts = Math.min(threads, Math.floor(size / minBytes));
  if (parts >= 2) {
    const run = await readRunParallel(path, size, parts);
    if (run !== null) return run;
  }
  const p = new RunParser(path, size);
  await streamLineRegions(path, p.sink);
  return p.finish();
}

/** Parses TREC run text; `file` names it in error messages. */
export function parseRun(text: string | Uint8Array, file = '<run>'): Run {
  const p = new RunParser(file);
  const b = typeof text === 'string' ? Buffer.from(text) : text;
  p.sink(b, 0, b.length);
  return p.finish();
}

/** Reads a TREC qrels file (`.gz` allowed). */
export async function readQrels(path: string): Promise<Qrels> {
  const p = new QrelsParser(path);
  await streamLineRegions(path, p.sink);
  return p.finish();
}

export function parseQrels(text: string | Uint8Array, file = '<qrels>'): Qrels {
  const p = new QrelsParser(file);
  const b = typeof text === 'string' ? Buffer.from(text) : text;
  p.sink(b, 0, b.length);
  return p.finish();
}

/**
 * Splits the line starting at `p` into whitespace-separated tokens, recording the first `max`
 * (start, end) pairs in `tok`. Returns the token count; the position after the line is left in tok[max*2].
 */
function splitLine(b: Uint8Array, p: number, end: number, tok: Int32Array, max: number): number {
  let nt = 0;
  for (;;) {
    let c = 0;
    while (p < end && ((c = b[p]!) === 32 || c === 9 || c === 13)) p++;
    if (p >= end || c === 10) break;
    const s = p;
    while (p < end && (c = b[p]!) !== 32 && c !== 9 && c !== 13 && c !== 10) p++;
    if (nt < max) {
      tok[2 * nt] = s;
      tok[2 * nt + 1] = p;
    }
    nt++;
  }
  tok[2 * max] = p + 1;
  return nt;
}

function show(b: Uint8Array, s: number, e: number): string {
  const t = utf8.decode(b.subarray(s, Math.min(e, s + 40)));
  return JSON.stringify(e - s > 40 ? t + '…' : t);
}

/** @internal also the parser of each worker's byte range (run-worker.ts). */
export class RunParser {
  readonly builder: RunBuilder;
  private readonly tok = new Int32Array(13);
  /** Lines seen so far (blank ones included). */
  lineNo = 0;
  private prevQ = -1;
  private sized = false;

  /** `size`: the file's byte count when known, to size the columns once after the first region. */
  constructor(
    private readonly file: string,
    private readonly size = 0,
  ) {
    this.builder = new RunBuilder(file);
  }

  /**
   * The hot loop (10M lines in about a second on one core): one pass over each line's bytes,
   * hashing and copying the docno and parsing the score as they are scanned; columns are held in
   * locals (reloaded only when they grow). Any irregularity drops to `fail`, which re-splits the
   * line to say exactly what is wrong.
   */
  readonly sink: LineRegionSink = (b, start, end) => {
    const bld = this.builder;
    const queries = bld.queries;
    const col = bld.docnos;
    let arena = col.bytes;
    let { q: qCol, scores: sCol, lines: lCol } = bld;
    let { start: stCol, len: lenCol, hash: hCol } = col;
    let used = col.used;
    let n = bld.length;
    let line = this.lineNo;
    let prevQ = this.prevQ;
    let pqs = -1; // the previous line's qid in b, once this region has one
    let pqe = -1;
    let p = start;
    let c = 0;
    while (p < end) {
      line++;
      const lineStart = p;
      while ((c = b[p]!) === 32 || c === 9 || c === 13) p++;
      if (c === 10 || p >= end) {
        p++;
        continue; // blank line
      }
      // qid: usually the previous line's, compared where it lies in this region (cheaper than the interner's arena)
      const qs = p;
      while (b[p]! > 32) p++;
      const qe = p;
      let same = pqs >= 0 && qe - qs === pqe - pqs;
      for (let k = 0; same && k < qe - qs; k++) same = b[pqs + k] === b[qs + k];
      if (!same) prevQ = prevQ >= 0 && queries.equals(prevQ, b, qs, qe) ? prevQ : queries.intern(b, qs, qe);
      pqs = qs;
      pqe = qe;
      const q = prevQ;
      // Q0 (ignored)
      while ((c = b[p]!) === 32 || c === 9) p++;
      if (!(c > 32)) this.fail(b, lineStart, end, line);
      while (b[p]! > 32) p++;
      // docno: scanned, hashed and copied in one pass
      while ((c = b[p]!) === 32 || c === 9) p++;
      if (!(c > 32)) this.fail(b, lineStart, end, line);
      if (arena.length - used < end - p) {
        // The arena might not hold the rest of the region: make room for this docno (reserving a
        // whole region up front would double the arena, and copy it, long before it is full).
        let e = p;
        while (b[e]! > 32) e++;
        col.used = used;
        col.reserveBytes(e - p);
        arena = col.bytes;
      }
      const ds = used;
      let h = FNV_OFFSET;
      while ((c = b[p]!) > 32) {
        h = Math.imul(h ^ c, FNV_PRIME);
        arena[used++] = c;
        p++;
      }
      // rank: an integer, otherwise unused
      while ((c = b[p]!) === 32 || c === 9) p++;
      const rs = p;
      if (c === 45 || c === 43) p++;
      while ((c = b[p]!) >= 48 && c <= 57) p++;
      if (p === rs || c > 32 || (p === rs + 1 && (b[rs] === 45 || b[rs] === 43))) this.fail(b, lineStart, end, line);
      // score: `[+-]digits[.digits]` with at most 15 digits is parsed here (parseDecimal's exact
      // fast path); anything else (exponents, long literals, junk) goes to parseDecimal itself.
      while ((c = b[p]!) === 32 || c === 9) p++;
      const ss = p;
      if (c === 45 || c === 43) p++;
      const ds0 = p;
      let mant = 0;
      while ((c = b[p]!) >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        p++;
      }
      let digits = p - ds0;
      let frac = 0;
      if (c === 46) {
        const fs = ++p;
        while ((c = b[p]!) >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          p++;
        }
        frac = p - fs;
        digits += frac;
      }
      let score: number;
      if (c > 32 || digits === 0 || digits > 15) {
        while (b[p]! > 32) p++;
        score = parseDecimal(b, ss, p);
        if (score !== score) this.fail(b, lineStart, end, line);
      } else {
        score = frac === 0 ? mant : mant / POW10[frac]!;
        if (b[ss] === 45) score = -score;
      }
      // tag, then nothing but the line end
      while ((c = b[p]!) === 32 || c === 9) p++;
      if (!(c > 32)) this.fail(b, lineStart, end, line);
      while (b[p]! > 32) p++;
      while ((c = b[p]!) === 32 || c === 9 || c === 13) p++;
      if (c !== 10 && p < end) this.fail(b, lineStart, end, line);
      p++;
      if (n === qCol.length || n === stCol.length) {
        bld.reserveRows(n + 1);
        ({ q: qCol, scores: sCol, lines: lCol } = bld);
        ({ start: stCol, len: lenCol, hash: hCol } = col);
      }
      qCol[n] = q;
      sCol[n] = score;
      lCol[n] = line;
      stCol[n] = ds;
      lenCol[n] = used - ds;
      hCol[n] = finishHash(h);
      n++;
    }
    col.used = used;
    bld.length = n;
    this.lineNo = line;
    this.prevQ = prevQ;
    if (!this.sized && this.size > end - start && n > 0) {
      // Extrapolate rows and docno bytes from the first region: growing by doubling would copy ~2×.
      this.sized = true;
      const scale = (this.size / (end - start)) * 1.02;
      bld.reserveRows(Math.ceil(n * scale) + 1024);
      col.reserveBytes(Math.ceil(used * scale) + (1 << 20) - used);
    }
  };

  /** Explains why the line at `p` is malformed (re-splitting it) and throws. */
  private fail(b: Uint8Array, p: number, end: number, line: number): never {
    const { tok, file } = this;
    const nt = splitLine(b, p, end, tok, 6);
    if (nt !== 6) throw new XmrError('E_PARSE', `expected 6 fields (qid Q0 docno rank score tag), got ${nt}`, { file, line });
    if (parseInteger(b, tok[6]!, tok[7]!) === null) throw new XmrError('E_PARSE', `expected an integer rank in field 4, got ${show(b, tok[6]!, tok[7]!)}`, { file, line });
    throw new XmrError('E_PARSE', `expected a number for the score in field 5, got ${show(b, tok[8]!, tok[9]!)}`, { file, line });
  }

  finish(): Run {
    if (this.builder.length === 0) throw new XmrError('E_EMPTY', 'empty run: no result lines', { file: this.file });
    return this.builder.build();
  }
}

class QrelsParser {
  private readonly builder: QrelsBuilder;
  private readonly tok = new Int32Array(9);
  private lineNo = 0;
  private prevQ = -1;

  constructor(private readonly file: string) {
    this.builder = new QrelsBuilder(file);
  }

  readonly sink: LineRegionSink = (b, start, end) => {
    const { tok, file } = this;
    const { queries, docnos } = this.builder;
    let line = this.lineNo;
    let prevQ = this.prevQ;
    let p = start;
    while (p < end) {
      line++;
      const nt = splitLine(b, p, end, tok, 4);
      p = tok[8]!;
      if (nt === 0) continue;
      if (nt !== 4) throw new XmrError('E_PARSE', `expected 4 fields (qid iter docno relevance), got ${nt}`, { file, line });
      const q = prevQ >= 0 && queries.equals(prevQ, b, tok[0]!, tok[1]!) ? prevQ : queries.intern(b, tok[0]!, tok[1]!);
      prevQ = q;
      const d = docnos.intern(b, tok[4]!, tok[5]!);
      const rel = parseInteger(b, tok[6]!, tok[7]!);
      if (rel === null) throw new XmrError('E_PARSE', `expected an integer relevance in field 4, got ${show(b, tok[6]!, tok[7]!)}`, { file, line });
      this.builder.push(q, d, rel, line);
    }
    this.lineNo = line;
    this.prevQ = prevQ;
  };

  finish(): Qrels {
    if (this.builder.length === 0) throw new XmrError('E_EMPTY', 'empty qrels: no judgment lines', { file: this.file });
    return this.builder.build();
  }
}
