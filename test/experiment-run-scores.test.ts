// A run step scores its run from memory as it makes it; a run taken from the cache is scored from its
// gzip file (run-scores.ts, issue 16). Both give the same numbers: the written file reads back as the
// Run that was written, scores included (shortest round-trip form), and a study re-run from a full
// cache gives the per-query values and tables of the study that made its runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Qrels } from '../src/data/trec/qrels.js';
import { readRun } from '../src/data/trec/read.js';
import { writeRun } from '../src/data/trec/write.js';
import { loadConfig } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/execute.js';
import { scoreRun, scoreRunFiles, type RunScore } from '../src/experiment/run-scores.js';
import { RankedRun } from '../src/rankers/ranker.js';
import { rng } from '../src/random.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

test('a run scored from memory equals the same run read back from its gzip file', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-run-scores-'));
  try {
    const u = rng(7);
    const queryIds = Array.from({ length: 30 }, (_, q) => `q${q}`);
    const docIds: string[] = [];
    const scores: number[] = [];
    const offsets = [0];
    // Scores whose decimal forms are long or awkward (1/3, 0.1 + 0.2, subnormals, −0, 1e21) and exact
    // ties (the docno decides), which a lossy score format would reorder.
    const awkward = [1 / 3, 0.1 + 0.2, 5e-324, -0, 1e21, -1 / 7, 0.30000000000000004, 2 ** -40];
    for (let q = 0; q < queryIds.length; q++) {
      for (let i = 0; i < 40; i++) {
        docIds.push(`d${Math.floor(u() * 200)}-${q}-${i}`);
        scores.push(i % 5 === 0 ? awkward[(q + i) % awkward.length]! : Math.fround(u()) - 0.5);
      }
      offsets.push(docIds.length);
    }
    const run = new RankedRun('x', queryIds, Int32Array.from(offsets), docIds, Float64Array.from(scores), new Float64Array(queryIds.length), 0);
    const judged: Record<string, Record<string, number>> = {};
    for (let q = 0; q < queryIds.length; q++) {
      judged[queryIds[q]!] = {};
      for (let i = 0; i < 3; i++) judged[queryIds[q]!]![docIds[offsets[q]! + Math.floor(u() * 40)]!] = 1 + Math.floor(u() * 2);
    }
    judged['q-unretrieved'] = { nowhere: 1 };
    const qrels = Qrels.fromObject(judged);
    const file = path.join(root, 'run.trec.gz');
    const inMemory = run.toRun();
    await writeRun(file, inMemory, 'x');
    const fromFile = await readRun(file);
    // The same rows in the same order with the same scores (−0 prints as 0: the same double to compare).
    const rows = (r: typeof inMemory) => Object.entries(r.toObject()).map(([q, docs]) => [q, Object.entries(docs).map(([d, s]) => [d, s + 0])]);
    assert.deepEqual(rows(fromFile), rows(inMemory));
    const expected = scoreRun(qrels, fromFile);
    assert.deepEqual(scoreRun(qrels, inMemory), expected);
    // …and the test has teeth: the scores are not all 0.
    assert.ok(expected.mean.get('RR@10')! > 0);

    // scoreRunFiles reads what the map lacks, and leaves what it has.
    const held: RunScore = { queryIds: [], perQuery: new Map(), mean: new Map() };
    const have = new Map([['held', held]]);
    await scoreRunFiles(
      [
        { key: 'held', file: path.join(root, 'absent.trec.gz'), rows: 1200, qrels },
        { key: 'a', file, rows: 1200, qrels },
        { key: 'empty', file: path.join(root, 'absent.trec.gz'), rows: 0, qrels },
        { key: 'b', file, rows: 1200, qrels },
      ],
      have,
    );
    assert.equal(have.get('held'), held);
    assert.deepEqual(have.get('a'), expected);
    assert.deepEqual(have.get('b'), expected);
    assert.deepEqual([...have.get('empty')!.mean.values()], [0, 0, 0]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a study re-run from its full cache gives the per-query values and tables of the study that made its runs', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-run-scores-study-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const config = loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), seeds: [3] } });
    const cache = path.join(root, 'cache');
    const made = await runExperiment({ config, out: path.join(root, 'a'), cache, progress: false });
    assert.equal(made.steps.cached, 0);
    const again = await runExperiment({ config, out: path.join(root, 'b'), cache, progress: false });
    assert.equal(again.steps.cached, again.steps.total);
    assert.deepEqual(again.runs, made.runs);
    assert.deepEqual(again.tables, made.tables);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
