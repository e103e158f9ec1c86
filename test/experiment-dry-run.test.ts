// `xmrbench experiment --dry-run` prints the default plan's 913 steps (399 text, 514 image–text) and trains nothing (the cache
// folder is not even created); buildPlan is pure: the same config gives the same steps and keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryPath } from '../src/experiment/cache.js';
import { loadConfig } from '../src/experiment/config.js';
import { buildPlan } from '../src/experiment/plan.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'xmr-dry-run-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const dryRun = (cache: string) => spawnSync(process.execPath, [path.join(ROOT, 'bin/xmrbench.js'), 'experiment', '--dry-run', '--cache', cache], { cwd: ROOT, encoding: 'utf8' });

test('--dry-run prints the default plan\'s 913 steps (text and image–text) without creating any cache entry', () => {
  const cache = path.join(root, 'cache');
  const r = dryRun(cache);
  assert.equal(r.status, 0, r.stderr);
  const steps = r.stdout.split('\n').filter((l) => /^\[\d+\/913\] /.test(l));
  assert.equal(steps.length, 913);
  assert.match(steps[0]!, /^\[1\/913\] vocab +shared vocabulary {2}vocab\/[0-9a-f]{12} {2}to do$/);
  assert.match(r.stdout, /^train +18 +0 +\d+ min \d\d s$/m);
  // The image–text half: its vocabulary, English CLIP per seed, LiT per dense system and seed, evaluations and probes.
  assert.match(steps[399]!, /^\[400\/913\] it-vocab +image–text vocabulary {2}image-text\/[0-9a-f]{12} {2}to do$/);
  assert.match(steps[400]!, /^\[401\/913\] it-clip +English CLIP seed 1 /);
  assert.match(r.stdout, /^it-lit +18 +0 /m);
  assert.match(r.stdout, /^it-eval +312 +0 /m);
  assert.match(r.stdout, /^it-probe-cs +90 +0 /m);
  assert.match(r.stdout, /^it-probe-fgsm +90 +0 /m);
  assert.match(r.stdout, /\n913 steps, 0 cached in .*; the rest takes about \d+ min \d\d s on 2 cores\n$/);
  assert.equal(existsSync(cache), false, 'the dry run created the cache folder');
});

test('--dry-run says which steps the cache already holds', () => {
  const cache = path.join(root, 'cache-one');
  const config = loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons') } });
  const first = buildPlan(config).steps[0]!;
  mkdirSync(entryPath(cache, first.cache.kind, first.cache.key), { recursive: true });
  const r = dryRun(cache);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\[1\/913\] vocab .* cached$/m);
  assert.match(r.stdout, /\n913 steps, 1 cached in /);
});

test('the plan is pure: the same config gives the same steps and keys; dependencies come first', () => {
  const config = loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons') } });
  const a = buildPlan(config);
  const b = buildPlan(loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons') } }));
  assert.deepEqual(a, b);
  assert.equal(a.steps.length, 913);
  const seen = new Set<string>();
  for (const s of a.steps) {
    assert.ok(!seen.has(s.id), `step id ${s.id} appears twice`);
    for (const dep of s.after) assert.ok(seen.has(dep), `${s.id} depends on ${dep}, which is not before it`);
    seen.add(s.id);
  }
  // Another seed changes every model and dense run key, and no BM25 key; the image–text half has its own seeds (imageText.seeds).
  const other = buildPlan(loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons'), seeds: [7] } }));
  const keys = new Set(a.steps.map((s) => s.cache.key));
  for (const s of other.steps) assert.equal(keys.has(s.cache.key), s.kind === 'vocab' || s.kind === 'search-bm25' || s.kind.startsWith('it-'), `${s.id}`);
  // …and another image–text seed changes every image–text key but its vocabulary's, and no text key.
  const itSeed = buildPlan(loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons'), imageText: { seeds: [7] } } }));
  for (const s of itSeed.steps) assert.equal(keys.has(s.cache.key), !s.kind.startsWith('it-') || s.kind === 'it-vocab', `${s.id}`);
});
