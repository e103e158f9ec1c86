/** Runs are ranked score descending, ties by docno descending in byte order; written ranks agree. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatRun, parseRun, readRun, Run, writeRun } from '../src/data/trec/index.js';

test('ties break by docno descending in byte order; the rank column is ignored', () => {
  const run = parseRun('q Q0 d10 1 1.0 t\nq Q0 d9 2 1.0 t\nq Q0 D9 3 1.0 t\nq Q0 é 4 1.0 t\nq Q0 top 9 2.0 t\n');
  // bytes: "é" (0xC3…) > "d9" > "d10" > "D9"
  assert.deepEqual(Object.keys(run.toObject()['q']!), ['top', 'é', 'd9', 'd10', 'D9']);
});

test('a shuffled run is fully sorted; queries interleaved in the file are grouped', () => {
  const run = Run.fromObject({ b: { x: 0.1, y: 0.3, z: 0.2 }, a: { u: 1 } });
  assert.deepEqual(run.toObject(), { b: { y: 0.3, z: 0.2, x: 0.1 }, a: { u: 1 } });
  const inter = parseRun('q1 Q0 a 1 1 t\nq2 Q0 b 1 1 t\nq1 Q0 c 2 2 t\n');
  assert.deepEqual(inter.toObject(), { q1: { c: 2, a: 1 }, q2: { b: 1 } });
});

test('writeRun writes ranks 1…n in that order, and round-trips scores exactly', async () => {
  const run = Run.fromObject({ q: { a: 0.1, b: 0.1 + 0.2, c: 0.3 } });
  assert.equal([...formatRun(run, 'sys')].join(''), 'q Q0 b 1 0.30000000000000004 sys\nq Q0 c 2 0.3 sys\nq Q0 a 3 0.1 sys\n');
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-trec-'));
  for (const name of ['run.txt', 'run.txt.gz']) {
    const file = path.join(dir, name);
    await writeRun(file, run, 'sys');
    assert.deepEqual((await readRun(file)).toObject(), run.toObject());
  }
  assert.match(readFileSync(path.join(dir, 'run.txt'), 'utf8'), /^q Q0 b 1 /);
  assert.throws(() => [...formatRun(run, 'two words')], { name: 'TypeError', message: 'tag must be one word without spaces, got "two words"' });
});
