// The whole study on a tiny dataset in seconds: report and results written, the same seeds give the
// same numbers, and the results follow the documented schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/execute.js';
import { RESULTS_SCHEMA_VERSION, type Results } from '../src/experiment/results.js';
import { validators } from '../src/experiment/config-schema.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

const root = mkdtempSync(path.join(tmpdir(), 'xmr-exp-'));
const { dataset, lexicons } = writeTinyDdtp(root);
const config = loadConfig({ overrides: tinyConfig(dataset, lexicons) });

test.after(() => rmSync(root, { recursive: true, force: true }));

let first: Results;

test('runs every system, setting and probe and writes the report, figures, runs and models', async () => {
  const out = path.join(root, 'out1');
  first = await runExperiment({ config, out, cache: path.join(root, 'cache1'), progress: false });
  for (const f of ['report.md', 'results.json', 'figures/rr10-vs-cs-rate.svg', 'figures/rr10-vs-eps.svg', 'figures/rr10-by-language.svg'])
    assert.ok(existsSync(path.join(out, f)), f);
  // 1 BM25 run per setting; 6 dense systems × 2 seeds × 4 settings; 5 probing systems × 2 seeds × (3 + 2) probes.
  assert.equal(first.runs.length, 4 + 6 * 2 * 4 + 5 * 2 * 5);
  assert.equal(first.models.length, 6 * 2);
  for (const r of first.runs) assert.ok(existsSync(path.join(out, r.file)), r.file);
  const report = readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.match(report, /## Main table: RR@10/);
  assert.match(report, /paired t-test \(two-sided\) on seed-averaged per-query RR@10, holm correction/);
  assert.match(report, /\| ml-cs\+adv \|/);
  // BM25 on exact word overlap finds each English query's document at rank 1 most of the time.
  const bm25 = first.tables.main.cells.find((c) => c.system === 'bm25' && c.setting === 'en-en' && c.measure === 'RR@10')!;
  assert.ok(bm25.mean > 0.8, `bm25 en-en RR@10 ${bm25.mean}`);
});

test('the same configuration and seeds give the same numbers (fresh cache)', async () => {
  const again = await runExperiment({ config, out: path.join(root, 'out2'), cache: path.join(root, 'cache2'), progress: false });
  assert.equal(again.steps.cached, 0);
  assert.deepEqual(
    again.tables.main.cells.map((c) => [c.system, c.setting, c.measure, c.mean, c.test?.pAdjusted]),
    first.tables.main.cells.map((c) => [c.system, c.setting, c.measure, c.mean, c.test?.pAdjusted]),
  );
  assert.deepEqual(again.tables.probes.cells.map((c) => c.mean), first.tables.probes.cells.map((c) => c.mean));
});

test('results.json follows schema version 1: every run carries its per-query values', () => {
  const r = JSON.parse(readFileSync(path.join(root, 'out1', 'results.json'), 'utf8')) as Results;
  assert.equal(r.schema, 'xmrbench/experiment-results');
  assert.equal(r.schemaVersion, RESULTS_SCHEMA_VERSION);
  for (const key of ['createdAt', 'machine', 'config', 'inputs', 'systems', 'settings', 'measures', 'models', 'runs', 'tables', 'seconds', 'steps']) assert.ok(key in r, key);
  assert.deepEqual(r.measures, ['RR@10', 'nDCG@10', 'R@100']);
  for (const run of r.runs) {
    for (const m of r.measures) {
      assert.equal(run.perQuery[m]!.length, run.queryIds.length, `${run.file} ${m}`);
      const mean = run.perQuery[m]!.reduce((a, b) => a + b, 0) / run.queryIds.length;
      assert.ok(Math.abs(mean - run.mean![m]!) < 1e-12, `${run.file} ${m} mean`);
    }
  }
  for (const c of r.tables.main.cells) {
    assert.equal(typeof c.mean, 'number');
    // A degenerate test (identical values: Translate-Test on English queries) has p = NaN, written null.
    if (c.system !== r.tables.main.baseline) assert.ok(c.test && (typeof c.test.pAdjusted === 'number' || c.test.pAdjusted === null), `${c.system} ${c.setting}`);
  }
  assert.ok(r.models.every((m) => m.train && m.train.pairs === 96 && m.train.seconds >= 0));
  assert.ok(r.models.filter((m) => m.system.includes('cs')).every((m) => m.train!.switchRatio! > 0.2 && m.train!.switchRatio! < 0.8));
});

test('results.json validates against the shipped results.schema.json', () => {
  const validate = validators().results;
  const r = JSON.parse(readFileSync(path.join(root, 'out1', 'results.json'), 'utf8')) as Results;
  assert.ok(validate(r), JSON.stringify(validate.errors?.slice(0, 3)));
  // …and the schema has teeth: a run without its per-query values does not.
  const broken = structuredClone(r) as unknown as { runs: Record<string, unknown>[] };
  delete broken.runs[0]!.perQuery;
  assert.equal(validate(broken), false);
});
