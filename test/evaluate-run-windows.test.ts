/**
 * `xmrbench eval` reads a plain run in windows of whole queries and scores each window as it arrives
 * (data/trec/run-windows.ts, eval/evaluate-file.ts): the evaluation must be evaluate()'s on the whole
 * run, bit for bit, however small the windows; a run it cannot read so (a query in two blocks, gzip,
 * a malformed line, a duplicate, an empty file) is read whole, with readRun's errors naming file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseQrels, readRun } from '../src/data/trec/index.js';
import { readRunInWindows } from '../src/data/trec/run-windows.js';
import { evaluate, Evaluator } from '../src/eval/evaluate.js';
import { evaluateRunFile } from '../src/eval/evaluate-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-run-windows-'));
const MEASURES = 'nDCG@10,RR,R@5,AP,P@3,Rprec,Judged@10';

function file(name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** 40 queries in blocks; ties (one decimal) written in the wrong docno order; a comment, a blank line, CRLF. */
function blocks(): string {
  let s = '# a run\n';
  let x = 11;
  for (let q = 0; q < 40; q++) {
    const docs = 1 + (q % 9) * 3;
    for (let d = 0; d < docs; d++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s += `q${q} Q0 doc${(x >> 8) % 50 === d ? 99 : d} ${d + 1} ${((x >> 8) % 10) / 10} run${d === 2 ? '\r' : ''}\n`;
      if (d === 4) s += '\n';
    }
  }
  return s;
}

const qrelsText = Array.from({ length: 45 }, (_, q) => `q${q} 0 doc${q % 7} ${q % 4}\nq${q} 0 doc${10 + ((q * 3) % 11)} ${(q % 3) - 1}\nq${q} 0 doc99 2\n`).join('');
const qrels = parseQrels(qrelsText);

for (const windowBytes of [1, 64, 700, 1 << 25]) {
  test(`windows of ${windowBytes} bytes: evaluate() on the whole run, bit for bit, both query sets`, async () => {
    const p = file('blocks.txt', blocks());
    let windows = 0;
    assert.equal(await readRunInWindows(p, () => void windows++, { windowBytes, threads: 2 }), true);
    if (windowBytes < 1000) assert.ok(windows > 5, `${windows} windows`);
    for (const queries of ['all', 'intersection'] as const) {
      const whole = evaluate(qrels, await readRun(p), MEASURES, { queries });
      assert.deepEqual(await evaluateRunFile(qrels, p, MEASURES, { queries, windowBytes }), whole);
    }
  });
}

test("a window's columns are freed when its call returns, not when V8 collects them", async () => {
  const p = file('blocks.txt', blocks());
  const runs: { rows: number; run: Awaited<ReturnType<typeof readRun>> }[] = [];
  assert.equal(await readRunInWindows(p, (run) => void runs.push({ rows: run.scores.length, run }), { windowBytes: 700, threads: 2 }), true);
  assert.ok(runs.length > 5 && runs.every(({ rows }) => rows > 0));
  // the columns a consumer kept are empty afterwards: it must copy what it keeps
  for (const { run } of runs) assert.deepEqual([run.scores.length, run.offsets.length, run.docnos.hash.length], [0, 0, 0]);
});

test('a query met again in a later window: read whole, the same evaluation', async () => {
  const p = file('split.txt', 'q1 Q0 doc1 1 0.5 r\nq2 Q0 doc3 1 0.9 r\nq1 Q0 doc2 2 0.7 r\nq1 Q0 doc0 3 0.7 r\n');
  assert.equal(await readRunInWindows(p, () => {}, { windowBytes: 1 }), false);
  const whole = evaluate(qrels, await readRun(p), MEASURES);
  assert.deepEqual(await evaluateRunFile(qrels, p, MEASURES, { windowBytes: 1 }), whole);
  assert.equal(whole.perQuery.get('RR')![whole.queryIds.indexOf('q1')], 1 / 3); // doc2 and doc0 rank above doc1
});

test('gzip: read whole', async () => {
  const p = file('run.txt.gz', gzipSync(blocks()));
  assert.equal(await readRunInWindows(p, () => {}), false);
  assert.deepEqual(await evaluateRunFile(qrels, p, MEASURES), evaluate(qrels, await readRun(p), MEASURES));
});

test("a malformed line or a duplicate in a later window: readRun's error, with the file's line", async () => {
  const good = blocks();
  const bad = file('bad.txt', `${good}q77 Q0 docX one 0.5 run\n`);
  const line = good.split('\n').length;
  await assert.rejects(evaluateRunFile(qrels, bad, MEASURES, { windowBytes: 64 }), { code: 'E_PARSE', message: `${bad}:${line}: expected an integer rank in field 4, got "one"` });
  const dup = file('dup.txt', `${good}q77 Q0 docX 1 0.5 run\nq77 Q0 docX 2 0.4 run\n`);
  await assert.rejects(evaluateRunFile(qrels, dup, MEASURES, { windowBytes: 64 }), { code: 'E_DUPLICATE', message: `${dup}:${line + 1}: duplicate document "docX" for query "q77" (first at line ${line})` });
  const empty = file('empty.txt', '');
  await assert.rejects(evaluateRunFile(qrels, empty, MEASURES), { code: 'E_EMPTY', message: `${empty}: empty run: no result lines` });
});

test('Evaluator.add refuses a query given in two parts', async () => {
  const a = await readRun(file('a.txt', 'q1 Q0 doc1 1 0.5 r\n'));
  const e = new Evaluator(qrels, MEASURES).add(a);
  assert.throws(() => e.add(a), { message: 'Evaluator.add: query "q1" was in an earlier part of the run' });
});
