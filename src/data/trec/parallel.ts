/**
 * readRun's parallel path for large plain files: the file is cut into byte ranges at line starts,
 * each parsed by a worker thread (run-worker.ts) with the same parser as the sequential path, and the
 * workers' columns are copied into shared arrays that become the Run — no copy on this thread.
 *
 * The result must not depend on the number of workers, errors included:
 * - Cuts are moved to where a new query's block begins, so that in a file written query by query
 *   (nearly all runs) no query spans two ranges. Each worker then checks duplicates and ranks its
 *   own queries, and global query ids are the workers' ids laid end to end — first appearance, as
 *   in the sequential path. When a query does span ranges (interleaved files, one huge query), the
 *   workers only copy their rows and this thread groups, checks and ranks them all, as sequentially.
 * - Line numbers: a worker counts from 1 within its range; its first line's number is known once
 *   the ranges before it are parsed. Parse errors are reported by the earliest range that has one
 *   (the first malformed line of the file); duplicates are checked after every range parsed cleanly,
 *   with file line numbers, and the first query in query order wins — as sequentially.
 */
import { once } from 'node:events';
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { XmrError, type XmrErrorCode } from '../../errors.js';
import { DocnoColumn } from './docnos.js';
import { Interner } from './interner.js';
import { ioError } from './lines.js';
import { Run, RunBuilder } from './run.js';

/** What a worker parses (workerData). */
export interface RangeJob {
  file: string;
  from: number;
  to: number;
}

/** An XmrError across the thread boundary (the message without its `file:line: ` prefix). */
export interface WorkerError {
  kind: 'error';
  code: XmrErrorCode;
  body: string;
  file: string | undefined;
  line: number | undefined;
}

/** Phase 1 reply: the range's size, and its query ids (bytes laid end to end) in first-seen order. */
export interface Parsed {
  kind: 'parsed';
  lines: number;
  rows: number;
  arenaBytes: number;
  qidBytes: Uint8Array;
  qidEnds: Int32Array;
}

/** The result columns, on SharedArrayBuffers; `offsets` when workers rank, `q`/`lines` when this thread does. */
export interface SharedColumns {
  scores: Float64Array;
  start: Uint32Array;
  len: Int32Array;
  hash: Int32Array;
  bytes: Uint8Array;
  offsets?: Int32Array;
  q?: Int32Array;
  lines?: Int32Array;
}

/** Phase 2 request: where this range's rows, docno bytes and queries go in the result. */
export interface Place {
  lineBase: number;
  rowBase: number;
  arenaBase: number;
  out: SharedColumns;
  /** Ranking in the worker: its local query j is global query qBase + j. */
  qBase: number;
  /** Ranking on this thread: local query j is global query qmap[j]. */
  qmap: Int32Array | null;
}

export type Reply = WorkerError | Parsed | { kind: 'done' };

const WORKER = new URL('./run-worker.js', import.meta.url);

/** The run, or null when the file does not split into `parts` ≥ 2 ranges (a few long lines). */
export async function readRunParallel(file: string, size: number, parts: number): Promise<Run | null> {
  const bounds = rangeBounds(file, size, parts);
  if (bounds.length < 3) return null;
  const workers: Worker[] = [];
  try {
    for (let k = 0; k + 1 < bounds.length; k++) workers.push(new Worker(WORKER, { workerData: { file, from: bounds[k]!, to: bounds[k + 1]! } satisfies RangeJob }));
    const parsed = await Promise.all(workers.map(reply));
    const queries = new Interner();
    const qmaps: Int32Array[] = [];
    const lineBase: number[] = [];
    let lines = 0;
    let rows = 0;
    let arena = 0;
    let local = 0;
    for (const m of parsed) {
      if (m.kind === 'error') throw rebuild(m, lines);
      if (m.kind !== 'parsed') throw new Error(`run worker: unexpected reply ${m.kind}`);
      lineBase.push(lines);
      lines += m.lines;
      rows += m.rows;
      arena += m.arenaBytes;
      const qmap = new Int32Array(m.qidEnds.length);
      for (let j = 0, s = 0; j < qmap.length; j++) {
        const e = m.qidEnds[j]!;
        qmap[j] = queries.intern(m.qidBytes, s, e);
        s = e;
      }
      qmaps.push(qmap);
      local += qmap.length;
    }
    if (rows === 0) throw new XmrError('E_EMPTY', 'empty run: no result lines', { file });
    const disjoint = queries.size === local;
    const out: SharedColumns = {
      scores: new Float64Array(new SharedArrayBuffer(8 * rows)),
      start: new Uint32Array(new SharedArrayBuffer(4 * rows)),
      len: new Int32Array(new SharedArrayBuffer(4 * rows)),
      hash: new Int32Array(new SharedArrayBuffer(4 * rows)),
      bytes: new Uint8Array(new SharedArrayBuffer(arena)),
      ...(disjoint ? { offsets: new Int32Array(new SharedArrayBuffer(4 * (queries.size + 1))) } : { q: new Int32Array(new SharedArrayBuffer(4 * rows)), lines: new Int32Array(new SharedArrayBuffer(4 * rows)) }),
    };
    let rowBase = 0;
    let arenaBase = 0;
    let qBase = 0;
    for (let k = 0; k < workers.length; k++) {
      const m = parsed[k] as Parsed;
      const place: Place = { lineBase: lineBase[k]!, rowBase, arenaBase, out, qBase, qmap: disjoint ? null : qmaps[k]! };
      workers[k]!.postMessage(place);
      rowBase += m.rows;
      arenaBase += m.arenaBytes;
      qBase += qmaps[k]!.length;
    }
    for (const m of await Promise.all(workers.map(reply))) if (m.kind === 'error') throw rebuild(m, 0);

    const adopt = (d: DocnoColumn): DocnoColumn => Object.assign(d, { bytes: out.bytes, used: arena, start: out.start, len: out.len, hash: out.hash });
    if (out.offsets !== undefined) {
      out.offsets[queries.size] = rows;
      return new Run(queries, out.offsets, out.scores, adopt(new DocnoColumn()));
    }
    const b = new RunBuilder(file, queries);
    adopt(b.docnos);
    Object.assign(b, { q: out.q, scores: out.scores, lines: out.lines, length: rows });
    return b.build();
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function reply(w: Worker): Promise<Reply> {
  const [m] = (await once(w, 'message')) as [Reply];
  return m;
}

function rebuild(e: WorkerError, lineBase: number): XmrError {
  return new XmrError(e.code, e.body, { file: e.file, line: e.line === undefined ? undefined : e.line + lineBase });
}

/**
 * Range boundaries 0 < … < size, each near k·size/parts: at the first line within the next window
 * whose qid differs from the line before it, failing that at the first line start.
 */
function rangeBounds(file: string, size: number, parts: number): number[] {
  const window = Math.min(1 << 22, Math.ceil(size / (4 * parts)));
  const buf = Buffer.allocUnsafe(window);
  const bounds = [0];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw ioError(err, file);
  }
  try {
    for (let k = 1; k < parts; k++) {
      const at = Math.floor((k * size) / parts);
      const got = readSync(fd, buf, 0, window, at);
      const cut = blockStart(buf.subarray(0, got));
      if (cut >= 0 && at + cut > bounds[bounds.length - 1]! && at + cut < size) bounds.push(at + cut);
    }
  } catch (err) {
    throw ioError(err, file);
  } finally {
    closeSync(fd);
  }
  bounds.push(size);
  return bounds;
}

/** Offset in b of the first line whose qid differs from the previous line's, else of the first line start; −1 when b holds no line start. */
function blockStart(b: Uint8Array): number {
  const first = b.indexOf(10) + 1;
  if (first === 0) return -1;
  let prevS = -1;
  let prevE = -1;
  for (let ls = first; ; ) {
    const nl = b.indexOf(10, ls);
    if (nl < 0) return first;
    let s = ls;
    while (s < nl && (b[s] === 32 || b[s] === 9 || b[s] === 13)) s++;
    let e = s;
    while (e < nl && b[e]! > 32) e++;
    if (e > s) {
      if (prevS >= 0 && !sameBytes(b, prevS, prevE, s, e)) return ls;
      prevS = s;
      prevE = e;
    }
    ls = nl + 1;
  }
}

function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
  return true;
}
