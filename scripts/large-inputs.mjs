#!/usr/bin/env node
// Peak memory of reading a large BEIR corpus and a large TREC run through the public API (the
// full-size companion of test/large-inputs-memory.test.ts; build first: npm run build:ts).
//   node scripts/large-inputs.mjs [DOCS=5000000] [RUN_LINES=50000000] [DIR=a new temporary folder]
// Prints one JSON line per input: items, file bytes, peak RSS (VmHWM), the RSS before reading, time,
// the growth per file byte (corpus) or per line (run) — the test's bounds are 3 and 100 — and the load average (the machine may be shared). The generated files are removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { measureRead, writeLargeBeir, writeLargeRun } from '../dist/test/helpers/large-inputs.js';

const docs = Number(process.argv[2] ?? 5_000_000);
const lines = Number(process.argv[3] ?? 50_000_000);
const dir = process.argv[4] ?? mkdtempSync(path.join(tmpdir(), 'xmr-large-'));
try {
  const corpusBytes = writeLargeBeir(path.join(dir, 'beir'), docs);
  const beir = await measureRead('beir', path.join(dir, 'beir'));
  console.log(JSON.stringify({ input: 'BEIR corpus', fileBytes: corpusBytes, ...beir, grownPerFileByte: +((beir.peakBytes - beir.baseBytes) / corpusBytes).toFixed(2), load: loadavg().map((x) => +x.toFixed(1)) }));
  rmSync(path.join(dir, 'beir'), { recursive: true, force: true });
  const runBytes = writeLargeRun(path.join(dir, 'run.trec'), lines);
  const run = await measureRead('run', path.join(dir, 'run.trec'));
  console.log(JSON.stringify({ input: 'TREC run', fileBytes: runBytes, ...run, grownPerLine: +((run.peakBytes - run.baseBytes) / lines).toFixed(1), load: loadavg().map((x) => +x.toFixed(1)) }));
} finally {
  if (process.argv[4] === undefined) rmSync(dir, { recursive: true, force: true });
}
