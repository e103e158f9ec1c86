// Infinite scores in a run file: trec_eval reads the score with atof, so `-inf` (how some systems
// write the documents they filtered out), `Infinity` (how JavaScript writes it back) and literals
// beyond the double range rank; NaN has no rank and stays an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseRun, RunBuilder } from '../src/data/trec/index.js';
import { trecEvalBinary } from '../src/bench/trec-eval.js';
import { cli } from './helpers/cli.js';

test('inf, infinity in any case and out-of-range literals read as ±Infinity; ties among them by docno', () => {
  const run = parseRun(['q1 Q0 a 1 -inf t', 'q1 Q0 b 1 +INF t', 'q1 Q0 c 1 0.5 t', 'q1 Q0 d 1 -Infinity t', 'q1 Q0 e 1 1e999 t', 'q1 Q0 f 1 -1E400 t', 'q1 Q0 g 1 infinity t'].join('\n'), 'run.txt');
  const ranked = Array.from({ length: run.length }, (_, i) => [run.docno(i), run.scores[i]]);
  assert.deepEqual(ranked, [
    ['g', Infinity], ['e', Infinity], ['b', Infinity], // equal scores: docno descending, as trec_eval
    ['c', 0.5],
    ['f', -Infinity], ['d', -Infinity], ['a', -Infinity],
  ]);
  for (const bad of ['nan', 'NaN', 'infinit', 'infx', '-', 'in f']) {
    assert.throws(() => parseRun(`q1 Q0 a 1 ${bad} t\n`, 'run.txt'), { code: 'E_PARSE' }, bad);
  }
  assert.throws(() => parseRun('q1 Q0 a 1 nan t\n', 'run.txt'), { message: 'run.txt:1: expected a number for the score in field 5, got "nan"' });
  // Built in code too: ±Infinity ranks, NaN does not.
  const b = new RunBuilder().add('q', 'x', -Infinity).add('q', 'y', 1);
  assert.deepEqual(Array.from(b.build().scores), [1, -Infinity]);
  assert.throws(() => new RunBuilder().add('q', 'x', NaN), /score must be a number \(±Infinity included, NaN not\), got NaN/);
});

const trecEval = trecEvalBinary();

test('a run with infinite scores evaluates as trec_eval evaluates it', { skip: 'skip' in trecEval ? trecEval.skip : false }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-inf-'));
  try {
    const qrels = path.join(dir, 'qrels.txt');
    const run = path.join(dir, 'run.txt');
    writeFileSync(qrels, ['q1 0 a 1', 'q1 0 b 0', 'q1 0 c 2', 'q2 0 x 1', 'q2 0 y 1'].join('\n') + '\n');
    writeFileSync(run, ['q1 Q0 a 1 -inf t', 'q1 Q0 b 2 INF t', 'q1 Q0 c 3 0.25 t', 'q1 Q0 z 4 -inf t', 'q2 Q0 x 1 -1e999 t', 'q2 Q0 y 2 infinity t', 'q2 Q0 w 3 3 t'].join('\n') + '\n');
    const theirs = execFileSync((trecEval as { path: string }).path, ['-q', '-c', qrels, run], { encoding: 'utf8' });
    const ours = await cli(['eval', '--qrels', qrels, '--run', run, '--metrics', 'official', '--format', 'trec', '--per-query']);
    assert.equal(ours.stdout, theirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
