/**
 * readRun gives the same run, and the same errors with the same file and line, whatever the number of
 * threads (the native reader cuts the file into that many ranges; native/test/trec_run_test.cc checks
 * the ranges and read chunks themselves).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRun, type Run } from '../src/data/trec/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-trec-threads-'));
const THREADS = [2, 3, 5];
/** Forces several ranges on these few-KB files (the default threshold keeps small files on one thread). */
const FORCE = { minBytesPerThread: 1 };

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Queries in blocks, scores with ties written in the wrong docno order, blank lines, CRLF, tabs, an exponent. */
function blocks(queries: number, docs: number): string {
  let s = '';
  let x = 7;
  for (let q = 0; q < queries; q++) {
    for (let d = 0; d < docs; d++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const score = d % 3 === 0 ? '1.5' : (x % 1000) / 100;
      s += `${q % 2 ? 'q' : 'Q'}${q}\tQ0 doc${x % 97} ${d + 1} ${d === 5 ? '2.5e-1' : score} run${d === 3 ? '\r' : ''}\n`;
      if (d === 7) s += '\n';
    }
  }
  return s;
}

/** Everything a run holds, as plain values. */
function dump(run: Run): unknown {
  const rows = Array.from({ length: run.length }, (_, i) => `${run.docno(i)} ${run.scores[i]}`);
  const qids = Array.from({ length: run.size }, (_, q) => run.queries.get(q));
  return { qids, offsets: [...run.offsets], rows };
}

test('the same run whatever the thread count: queries in blocks, and queries interleaved across ranges', async () => {
  // Docnos repeat within a query in blocks(); keep the first of each so the file is valid.
  const dedupe = (text: string): string => {
    const seen = new Set<string>();
    return text
      .split('\n')
      .filter((l) => {
        const f = l.trim().split(/\s+/);
        const key = `${f[0]} ${f[2]}`;
        if (l.trim() !== '' && seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .join('\n');
  };
  const inBlocks = file('blocks.txt', dedupe(blocks(40, 60)));
  const lines = dedupe(blocks(6, 60)).split('\n').filter((l) => l !== '');
  const interleaved = file('interleaved.txt', lines.filter((_, i) => i % 2 === 0).concat(lines.filter((_, i) => i % 2 === 1)).join('\n')); // no final newline
  for (const f of [inBlocks, interleaved]) {
    const one = await readRun(f, { threads: 1 });
    for (const threads of THREADS) {
      const many = await readRun(f, { threads, ...FORCE });
      assert.deepEqual(dump(many), dump(one), `${path.basename(f)}, ${threads} threads`);
    }
  }
});

test('errors keep their file and line whatever the thread count', async () => {
  const good = Array.from({ length: 400 }, (_, i) => `q${i >> 4} Q0 d${i} ${i} ${i / 7} tag\n`).join('');
  const at = (text: string, line: number, insert: string): string => {
    const ls = text.split('\n');
    ls.splice(line - 1, 0, insert);
    return ls.join('\n');
  };
  const cases: [string, string, RegExp][] = [
    ['malformed-late.txt', at(good, 371, 'q23 Q0 dx 1 0.5x tag'), /:371: expected a number for the score in field 5, got "0.5x"$/],
    ['two-malformed.txt', at(at(good, 390, 'q24 Q0 dy 1'), 120, 'q7 Q0 dz one 1 t'), /:120: expected an integer rank in field 4, got "one"$/],
    ['duplicate-late.txt', at(good, 395, 'q24 Q0 d385 9 0.1 tag'), /:395: duplicate document "d385" for query "q24" \(first at line 386\)$/],
    ['duplicate-across.txt', good + good.split('\n')[10] + '\n', /:401: duplicate document "d10" for query "q0" \(first at line 11\)$/],
  ];
  for (const [name, text, message] of cases) {
    const f = file(name, text);
    await assert.rejects(readRun(f, { threads: 1 }), (e: Error) => message.test(e.message) && e.message.startsWith(f));
    for (const threads of THREADS) await assert.rejects(readRun(f, { threads, ...FORCE }), (e: Error) => message.test(e.message) && e.message.startsWith(f), `${name}, ${threads} threads`);
  }
  await assert.rejects(readRun(file('blank.txt', '\n'.repeat(100)), { threads: 3, ...FORCE }), { code: 'E_EMPTY', message: `${path.join(dir, 'blank.txt')}: empty run: no result lines` });
  await assert.rejects(readRun(file('good.txt', good), { threads: 0 }), /threads must be an integer ≥ 1, got 0/);
});
