/**
 * Memory running out ends a command with a clear message (what was being done, how many bytes were
 * refused, what to do), exit status 1 and no partial output — never an abort of the process.
 *
 * Simulation: an address-space limit (`ulimit -v`, no privilege needed) of 3 GiB, far above what
 * Node and the CLI need to start (~1 GiB of address space), and a sparse run file of 64 GiB (no
 * disk space, written in milliseconds) with a line end every 16 MiB, so the native reader's range
 * cuts find one at once: its columns are reserved from the file's size (xmr/trec_run.h), several
 * GiB, which the limit refuses. The native std::bad_alloc (xmr::OutOfMemory, naming the bytes) must
 * reach JavaScript as a RangeError, which readRun words as an XmrError naming the file.
 *
 * Not simulated: the V8 heap itself running out, which V8 ends with its own fatal error (see the
 * README, Reliability: out of memory). About 1 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asOutOfMemory, outOfMemoryHint, XmrError } from '../src/errors.js';

const BIN = fileURLToPath(new URL('../../bin/xmrbench.js', import.meta.url));
const LIMIT_KIB = 3 * 1024 * 1024;
const ulimitWorks = spawnSync('sh', ['-c', `ulimit -v ${LIMIT_KIB}`]).status === 0;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a run too large for the memory limit ends `xmrbench merge-runs` with an out-of-memory message naming the file, and no output', { skip: ulimitWorks ? false : 'this shell cannot set an address-space limit (ulimit -v)' }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-oom-'));
  try {
    const run = path.join(root, 'big.trec');
    const fd = openSync(run, 'w');
    const size = 64 * 2 ** 30;
    ftruncateSync(fd, size);
    for (let at = 2 ** 24 - 1; at < size; at += 2 ** 24) writeSync(fd, '\n', at);
    closeSync(fd);
    const out = path.join(root, 'out', 'merged.trec');
    mkdirSync(path.dirname(out));
    const r = spawnSync('sh', ['-c', `ulimit -v ${LIMIT_KIB} && exec "$0" "$@"`, process.execPath, BIN, 'merge-runs', run, '--out', out], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^xmrbench: ${escape(run)}: out of memory reading the run: could not allocate \\d+ bytes; ${escape(outOfMemoryHint)}\\n$`));
    assert.deepEqual(readdirSync(path.dirname(out)), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('asOutOfMemory words the addon\'s and V8\'s allocation failures, and leaves other errors alone', () => {
  const native = asOutOfMemory(new RangeError('out of memory: could not allocate 4096 bytes'), 'reading the run', 'run.trec');
  assert.ok(native instanceof XmrError);
  assert.equal(native.code, 'E_NOMEM');
  assert.equal(native.message, `run.trec: out of memory reading the run: could not allocate 4096 bytes; ${outOfMemoryHint}`);
  const v8 = asOutOfMemory(new RangeError('Array buffer allocation failed'), 'running xmrbench eval');
  assert.ok(v8 instanceof XmrError);
  assert.equal(v8.message, `out of memory running xmrbench eval: Array buffer allocation failed; ${outOfMemoryHint}`);
  const other = new RangeError('k must be a positive integer');
  assert.equal(asOutOfMemory(other, 'x'), other);
  const plain = new Error('out of memory: could not allocate 1 bytes');
  assert.equal(asOutOfMemory(plain, 'x'), plain);
});
