/**
 * Reading a large BEIR corpus and a large TREC run stays within a stated memory bound, checked on
 * the kernel's peak-RSS mark (VmHWM) of a child process that reads them through the public API
 * (`loadBeir`, `readRun`). Scaled down here (400,000 documents, 3,000,000 run lines) to keep the
 * test short; scripts/large-inputs.mjs runs the full sizes (5 million documents, 50 million lines)
 * with the same bounds — see the README's Reliability section for its figures.
 *
 * The bounds, over the reading process's RSS before it reads (Node, the addon, the modules):
 * - corpus: CORPUS_BYTES_PER_FILE_BYTE × the corpus file's bytes. What is kept is three strings per
 *   document (id, title, text: one byte per Latin-1 character plus V8's ~16-byte header each), the
 *   arrays holding them, and the id → line map that detects duplicate ids (~80 bytes an entry);
 *   the file itself is streamed, never held whole.
 * - run: RUN_FIXED_BYTES + RUN_BYTES_PER_LINE × the run's lines. A row is kept as a float64 score (8 bytes), the
 *   docno's bytes (~10) and its start, length and hash (12); building sorts each query's rows
 *   through index arrays, columns grow by doubling (so up to twice what the rows need), and large
 *   plain files are parsed by worker threads in byte ranges whose partial columns exist alongside
 *   the merged ones for a moment. Measured: 90.5 bytes a line at 4 million lines, 102.6 at 3 million
 *   (the same column capacities, 2²² rows), 3.4–3.5× the corpus file at 400,000 documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureRead, writeLargeBeir, writeLargeRun } from './helpers/large-inputs.js';

const CORPUS_BYTES_PER_FILE_BYTE = 4;
const RUN_BYTES_PER_LINE = 100;
/** Fixed part of the run's bound: two parsing worker threads (each a V8 isolate) and the file's 4 MiB read buffers. */
const RUN_FIXED_BYTES = 64 * 1048576;
const DOCS = 400_000;
const LINES = 3_000_000;
const noProc = existsSync('/proc/self/status') ? false : 'needs /proc/self/status (VmHWM) to read the peak RSS';

test(`a BEIR corpus of ${DOCS} documents is read within ${CORPUS_BYTES_PER_FILE_BYTE}× its file size of RSS`, { skip: noProc }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-large-beir-'));
  try {
    const bytes = writeLargeBeir(dir, DOCS);
    const m = await measureRead('beir', dir);
    assert.equal(m.items, DOCS);
    const grown = m.peakBytes - m.baseBytes;
    t.diagnostic(`corpus ${(bytes / 1048576).toFixed(0)} MiB: peak RSS ${(m.peakBytes / 1048576).toFixed(0)} MiB, ${(grown / bytes).toFixed(2)}× the file over the ${(m.baseBytes / 1048576).toFixed(0)} MiB before reading; ${m.ms} ms`);
    assert.ok(grown <= CORPUS_BYTES_PER_FILE_BYTE * bytes, `RSS grew by ${grown} bytes reading ${bytes}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`a TREC run of ${LINES} lines is read within ${RUN_FIXED_BYTES / 1048576} MiB + ${RUN_BYTES_PER_LINE} bytes a line of RSS`, { skip: noProc }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-large-run-'));
  try {
    const file = path.join(dir, 'run.trec');
    const bytes = writeLargeRun(file, LINES);
    const m = await measureRead('run', file);
    assert.equal(m.items, LINES);
    const grown = m.peakBytes - m.baseBytes;
    t.diagnostic(`run ${(bytes / 1048576).toFixed(0)} MiB: peak RSS ${(m.peakBytes / 1048576).toFixed(0)} MiB, ${(grown / LINES).toFixed(1)} bytes a line over the ${(m.baseBytes / 1048576).toFixed(0)} MiB before reading; ${m.ms} ms`);
    assert.ok(grown <= RUN_FIXED_BYTES + RUN_BYTES_PER_LINE * LINES, `RSS grew by ${grown} bytes reading ${LINES} lines`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
