/**
 * A worker of readRun's parallel path (protocol in parallel.ts): parses its byte range, reports its
 * size and query ids, then, told where its rows go, either checks and ranks its own queries (no
 * query spans two ranges) or only copies its rows, and writes them into the shared result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { XmrError } from '../../errors.js';
import { readPlain } from './lines.js';
import type { Parsed, Place, RangeJob, Reply } from './parallel.js';
import { RunParser } from './read.js';

const port = parentPort!;
const { file, from, to } = workerData as RangeJob;
const parser = new RunParser(file, to - from);

function send(m: Reply): void {
  port.postMessage(m);
}

/** Runs `step`, sending an XmrError as a reply (its line within the range in phase 1) and rethrowing anything else. */
function guarded(step: () => void): boolean {
  try {
    step();
    return true;
  } catch (err) {
    if (!(err instanceof XmrError)) throw err;
    const prefix = err.file === undefined ? '' : err.line === undefined ? `${err.file}: ` : `${err.file}:${err.line}: `;
    send({ kind: 'error', code: err.code, body: err.message.slice(prefix.length), file: err.file, line: err.line });
    return false;
  }
}

if (guarded(() => readPlain(file, parser.sink, from, to))) {
  const b = parser.builder;
  const q = b.queries;
  let total = 0;
  for (let j = 0; j < q.size; j++) total += q.bytesOf(j).length;
  const qidBytes = new Uint8Array(total);
  const qidEnds = new Int32Array(q.size);
  for (let j = 0, at = 0; j < q.size; j++) {
    qidBytes.set(q.bytesOf(j), at);
    at += q.bytesOf(j).length;
    qidEnds[j] = at;
  }
  send({ kind: 'parsed', lines: parser.lineNo, rows: b.length, arenaBytes: b.docnos.used, qidBytes, qidEnds } satisfies Parsed);
  port.once('message', (place: Place) => {
    if (guarded(() => copyOut(place))) send({ kind: 'done' });
  });
}

function copyOut({ lineBase, rowBase, arenaBase, out, qBase, qmap }: Place): void {
  const b = parser.builder;
  const n = b.length;
  for (let i = 0; i < n; i++) b.lines[i]! += lineBase;
  if (qmap !== null) {
    // The main thread groups and ranks: copy the rows as parsed, with global query ids and lines.
    const d = b.docnos;
    for (let i = 0; i < n; i++) {
      out.q![rowBase + i] = qmap[b.q[i]!]!;
      out.start[rowBase + i] = d.start[i]! + arenaBase;
    }
    out.lines!.set(b.lines.subarray(0, n), rowBase);
    out.scores.set(b.scores.subarray(0, n), rowBase);
    out.len.set(d.len.subarray(0, n), rowBase);
    out.hash.set(d.hash.subarray(0, n), rowBase);
    out.bytes.set(d.bytes.subarray(0, d.used), arenaBase);
    return;
  }
  const run = b.build(); // duplicates throw here, with the file's line numbers
  const d = run.docnos;
  for (let i = 0; i < n; i++) out.start[rowBase + i] = d.start[i]! + arenaBase;
  out.scores.set(run.scores, rowBase);
  out.len.set(d.len.subarray(0, n), rowBase);
  out.hash.set(d.hash.subarray(0, n), rowBase);
  out.bytes.set(d.bytes.subarray(0, d.used), arenaBase);
  for (let j = 0; j < run.size; j++) out.offsets![qBase + j] = run.offsets[j]! + rowBase;
}
