/**
 * Reading a large plain run file in windows of whole queries, for a consumer that needs one query at
 * a time (`xmrbench eval`: data/trec → eval/evaluate-file.ts). Why: readRun holds the whole run's
 * columns (~35 bytes a line, twice while ranges are joined: ~700 MB for a 330 MB file), and on a VM
 * memory a process touches for the first time costs kernel time (measured on the 2-core Firecracker
 * machine: 660 MB touched once 2.7 s of system time, the same 660 MB as 32 MB windows mapped and
 * unmapped in turn 0.05 s). Windows of `windowBytes` are read in file order, up to `threads` at once
 * on native threads while the consumer works on the current one, so the columns of an old window
 * are freed and their memory re-used.
 *
 * Windows are cut at a line whose first field differs from the previous result line's (blank and
 * comment lines do not count), so a run written one block per query (as retrievers write them) has each query whole in one window. Anything else
 * (a query id met again in a later window, a malformed line, a duplicate, an empty or gzip file) makes
 * readRunInWindows return false: the caller then reads the file whole with readRun, which ranks the
 * query across the file and reports the error with its line, so results and errors are the same.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { native, type NativeRunResult } from '../../native.js';
import { openForReading } from './lines.js';
import { toRun } from './read.js';
import type { Run } from './run.js';
import { positiveInteger } from '../../args.js';

export interface RunWindowOptions {
  /** Windows parsed at once, one thread each (default: the machine's available parallelism). */
  threads?: number;
  /** Bytes per window (default 16 MiB). */
  windowBytes?: number;
}

/**
 * Calls `onWindow` with each window's run, in file order; true when the file was read so. False
 * (after zero or more calls) when it cannot be read in windows: see the file comment. A window's run
 * is valid during its call only: its columns are freed when the call returns (a consumer that keeps
 * something copies it), so that memory is re-used at once rather than when V8 collects it.
 */
export async function readRunInWindows(path: string, onWindow: (run: Run) => void, options: RunWindowOptions = {}): Promise<boolean> {
  const threads = options.threads ?? availableParallelism();
  const windowBytes = options.windowBytes ?? 1 << 24;
  positiveInteger(threads, 'threads');
  positiveInteger(windowBytes, 'windowBytes');
  if (path.endsWith('.gz')) return false;
  const fd = openForReading(path);
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false; // readRun's empty-run error
    const seen = new Set<string>();
    // Up to `threads` windows are parsed at once, each on one thread: a window cut into ranges for
    // several threads would be copied once more when its ranges are joined (native assemble()).
    const queue: { to: number; read: Promise<NativeRunResult> }[] = [];
    let from = 0;
    const fill = (): void => {
      while (queue.length < threads && from < size) {
        const to = from + windowBytes >= size ? size : queryBoundary(fd, from + windowBytes, size);
        queue.push({ to, read: native().readRunFile(fd, from, to, 1) });
        from = to;
      }
    };
    // The file stays open until every read under way is done.
    const drain = async (): Promise<void> => void (await Promise.allSettled(queue.map((w) => w.read)));
    fill();
    while (queue.length > 0) {
      const r = await queue.shift()!.read;
      if ('error' in r) {
        await drain();
        return false;
      }
      const run = toRun(r, path);
      for (let q = 0; q < run.size; q++) {
        const qid = run.queries.get(q);
        if (seen.has(qid)) {
          await drain();
          return false;
        }
        seen.add(qid);
      }
      fill();
      try {
        onWindow(run);
      } catch (err) {
        await drain();
        throw err;
      } finally {
        native().releaseRunColumns(r);
      }
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * The start of the first result line after the line holding byte `at` whose first field (text up to
 * the first blank, after leading blanks) differs from the previous result line's; `size` when none.
 * Blank and comment (`#`) lines are not result lines.
 */
function queryBoundary(fd: number, at: number, size: number): number {
  const buf = Buffer.allocUnsafe(1 << 16);
  let pos = at;
  let prev: string | undefined; // first field of the previous whole result line
  let carry = 0; // bytes of a partial line kept at the front of buf
  let skipFirst = true; // the line containing `at` is partial
  while (pos < size) {
    const got = readSync(fd, buf, carry, Math.min(buf.length - carry, size - pos), pos);
    if (got === 0) break;
    const filled = carry + got;
    let s = 0;
    for (let nl = buf.indexOf(10, s); nl >= 0 && nl < filled; nl = buf.indexOf(10, s)) {
      if (skipFirst) skipFirst = false;
      else {
        const field = firstField(buf, s, nl);
        if (field !== '' && !field.startsWith('#')) {
          if (prev !== undefined && field !== prev) return pos - carry + s;
          prev = field;
        }
      }
      s = nl + 1;
    }
    // The last, unterminated line is kept for the next read; a line longer than buf: no cut (the
    // rest of the file is one window).
    carry = filled - s;
    buf.copy(buf, 0, s, filled);
    pos += got;
    if (carry === buf.length) return size;
  }
  // The file's last line (no final newline) is part of the last window.
  return size;
}

function firstField(b: Buffer, s: number, e: number): string {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  let f = s;
  while (f < e && b[f] !== 32 && b[f] !== 9 && b[f] !== 13) f++;
  return b.toString('latin1', s, f);
}
