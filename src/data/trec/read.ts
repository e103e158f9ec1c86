/**
 * Readers for TREC runs (`qid Q0 docno rank score tag`) and qrels (`qid iter docno rel`), parsed from
 * bytes: fields split on spaces/tabs (a trailing \r is tolerated), ids interned straight from the
 * buffer, numbers parsed without creating strings. Blank lines are skipped; every other malformed
 * line is an E_PARSE error naming the file, the 1-based line and what was expected. Runs are parsed
 * by the native reader (native/include/xmr/trec_run.h: plain files on several threads, gzip and text
 * handed over in regions of whole lines), which also groups, checks and ranks them; its errors are
 * worded here.
 * As in trec_eval, a run's rank column and the Q0/iter columns are not used (ranks come from the
 * scores), but the rank must still be an integer.
 *
 * Comments and trailing text, as trec_eval 10 reads them (its test suite has `results.trunc` and
 * `qrels.test.with-comments`):
 * - run (get_trec_results.c): a line whose first non-blank character is `#` is a comment; anything
 *   after the tag, up to the line end, is ignored ("Skip over rest of line").
 * - qrels (get_qrels.c): a line whose *first* character is `#` is a comment; a `#` after leading
 *   blanks or inside a field is data (docnos such as `msmarco_v2.1_doc_00_880019750#4_…` are common).
 *   Text after the relevance is still an error there and here. (trec_eval's reading loop skips one
 *   comment line before each data line, so of two consecutive comment lines it parses the second as
 *   data; here every comment line is skipped.)
 */
import { closeSync, fstatSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { asOutOfMemory, XmrError } from '../../errors.js';
import { native, type NativeRunError, type NativeRunResult } from '../../native.js';
import { DocnoColumn } from './docnos.js';
import { Interner } from './interner.js';
import { ioError, openForReading, streamLineRegions, type LineRegionSink } from './lines.js';
import { parseInteger } from './numbers.js';
import { QrelsBuilder, type Qrels } from './qrels.js';
import { duplicateDocument, Run } from './run.js';
import { positiveInteger } from '../../args.js';

const utf8 = new TextDecoder();

export interface ReadRunOptions {
  /** Most threads to parse with (default: the machine's available parallelism). */
  threads?: number;
  /**
   * Smallest share of the file worth a thread (default 32 MiB): smaller files, and gzip files (not
   * splittable), are parsed on one thread.
   */
  minBytesPerThread?: number;
}

/**
 * Reads a TREC run file (`.gz` allowed). Plain files are read and parsed natively in byte ranges on
 * several threads; the result, and any error with its file and line, is the same whatever the number
 * of threads.
 */
export async function readRun(path: string, options: ReadRunOptions = {}): Promise<Run> {
  try {
    return await readRunUnguarded(path, options);
  } catch (err) {
    throw asOutOfMemory(err, 'reading the run', path);
  }
}

async function readRunUnguarded(path: string, options: ReadRunOptions): Promise<Run> {
  const threads = options.threads ?? availableParallelism();
  const minBytes = options.minBytesPerThread ?? 1 << 25;
  positiveInteger(threads, 'threads');
  if (!(minBytes > 0)) throw new RangeError(`minBytesPerThread must be positive, got ${minBytes}`);
  if (path.endsWith('.gz')) {
    const parser = new (native().TrecRunParser)();
    await streamLineRegions(path, (b, start, end) => void parser.parse(b.subarray(start, end)));
    return toRun(parser.finish(), path);
  }
  const fd = openForReading(path);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw ioError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path);
    const parts = Math.max(1, Math.min(threads, Math.floor(stat.size / minBytes)));
    return toRun(await native().readRunFile(fd, 0, stat.size, parts), path);
  } finally {
    closeSync(fd);
  }
}

/** Parses TREC run text; `file` names it in error messages. */
export function parseRun(text: string | Uint8Array, file = '<run>'): Run {
  const parser = new (native().TrecRunParser)();
  parser.parse(typeof text === 'string' ? Buffer.from(text) : text);
  return toRun(parser.finish(), file);
}

/** The native reader's columns as a Run (no copy), or its error as an XmrError naming file and line. */
export function toRun(r: NativeRunResult, file: string): Run {
  if ('error' in r) throw runError(r.error, file);
  const queries = new Interner();
  for (let q = 0, s = 0; q < r.qidEnds.length; s = r.qidEnds[q++]!) queries.intern(r.qidBytes, s, r.qidEnds[q]!);
  const docnos = Object.assign(new DocnoColumn(), { bytes: r.bytes, used: r.bytes.length, start: r.start, len: r.len, hash: r.hash });
  return new Run(queries, r.offsets, r.scores, docnos);
}

function runError(e: NativeRunError, file: string): XmrError {
  const line = e.line;
  switch (e.kind) {
    case 'fields':
      return new XmrError('E_PARSE', `expected 6 fields (qid Q0 docno rank score tag), got ${e.fields}`, { file, line });
    case 'rank':
      return new XmrError('E_PARSE', `expected an integer rank in field 4, got ${show(e.token, 0, e.token.length)}`, { file, line });
    case 'score':
      return new XmrError('E_PARSE', `expected a number for the score in field 5, got ${show(e.token, 0, e.token.length)}`, { file, line });
    case 'duplicate':
      return duplicateDocument(utf8.decode(e.docno), utf8.decode(e.qid), e.firstLine, file, line);
    case 'empty':
      return new XmrError('E_EMPTY', 'empty run: no result lines', { file });
    case 'io':
      return new XmrError('E_IO', e.message, { file });
  }
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
      if (b[p] === 35) {
        while (p < end && b[p] !== 10) p++;
        p++;
        continue; // `#` in the first column: a comment
      }
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
