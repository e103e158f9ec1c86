// `xmrbench experiment --dry-run` prints the default plan's 1300 steps (570 text with two training strengths of ADV and ML-CS + ADV, 730 image–text) and trains nothing (the cache
// folder is not even created); buildPlan is pure: the same config gives the same steps and keys.
// (1171 steps, 513 + 658, before the lexicon axis of issue 14 added ML-CS from the titles
// lexicons: 1 system × (3 models + 3 × 8 searches + 3 × 10 probes) text steps and
// 1 × (3 LiT + 3 × 13 evaluations + 3 × 10 probes) image–text steps.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryPath } from '../src/experiment/cache.js';
import { loadConfig } from '../src/experiment/config.js';
import { buildPlan, type RunInputs, type Step, type TrainInputs } from '../src/experiment/plan.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'xmr-dry-run-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const dryRun = (cache: string) => spawnSync(process.execPath, [path.join(ROOT, 'bin/xmrbench.js'), 'experiment', '--dry-run', '--cache', cache], { cwd: ROOT, encoding: 'utf8' });

test('--dry-run prints the default plan\'s 1300 steps (text and image–text) without creating any cache entry', () => {
  const cache = path.join(root, 'cache');
  const r = dryRun(cache);
  assert.equal(r.status, 0, r.stderr);
  const steps = r.stdout.split('\n').filter((l) => /^\[\d+\/1300\] /.test(l));
  assert.equal(steps.length, 1300);
  assert.match(steps[0]!, /^\[1\/1300\] vocab +shared vocabulary {2}vocab\/[0-9a-f]{12} {2}to do$/);
  assert.match(r.stdout, /^train +27 +0 +\d+ min \d\d s$/m);
  // The image–text half: its vocabulary, English CLIP per seed, LiT per dense system and seed, evaluations and probes.
  assert.match(steps[570]!, /^\[571\/1300\] it-vocab +image–text vocabulary {2}image-text\/[0-9a-f]{12} {2}to do$/);
  assert.match(steps[571]!, /^\[572\/1300\] it-clip +English CLIP seed 1 /);
  assert.match(r.stdout, /^it-lit +27 +0 /m);
  assert.match(r.stdout, /^it-eval +429 +0 /m);
  assert.match(r.stdout, /^it-probe-cs +135 +0 /m);
  assert.match(r.stdout, /^it-probe-fgsm +135 +0 /m);
  assert.match(r.stdout, /\n1300 steps, 0 cached in .*; the rest takes about \d+ min \d\d s on 2 cores\n$/);
  assert.equal(existsSync(cache), false, 'the dry run created the cache folder');
});

test('--dry-run says which steps the cache already holds', () => {
  const cache = path.join(root, 'cache-one');
  const config = loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons') } });
  const first = buildPlan(config).steps[0]!;
  mkdirSync(entryPath(cache, first.cache.kind, first.cache.key), { recursive: true });
  const r = dryRun(cache);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\[1\/1300\] vocab .* cached$/m);
  assert.match(r.stdout, /\n1300 steps, 1 cached in /);
});

test('the plan is pure: the same config gives the same steps and keys; dependencies come first', () => {
  const config = loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons') } });
  const a = buildPlan(config);
  const b = buildPlan(loadConfig({ overrides: { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons') } }));
  assert.deepEqual(a, b);
  assert.equal(a.steps.length, 1300);
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

test('the ε sweep expands into named systems: two strengths by default, 4 ε × FGSM/PGD in the full plan', () => {
  const over = { dataset: path.join(ROOT, 'datasets/ddtp-mini'), lexicons: path.join(ROOT, 'datasets/lexicons') };
  const trainLabels = (plan: 'default' | 'full') => {
    const config = loadConfig({ plan, overrides: over });
    return { config, steps: buildPlan(config).steps.filter((s) => s.kind === 'train') as Step<TrainInputs>[] };
  };
  const { config, steps } = trainLabels('default');
  const adv = steps.filter((s) => s.inputs.spec.adv !== null);
  assert.deepEqual(
    [...new Set(adv.map((s) => s.inputs.system))],
    ['adv-fgsm-0.01', 'adv-fgsm-0.1', 'ml-cs+adv-fgsm-0.01', 'ml-cs+adv-fgsm-0.1'],
  );
  for (const s of adv) {
    const [, method, eps] = /-(fgsm|pgd)-([\d.]+)$/.exec(s.inputs.system)!;
    assert.equal(s.inputs.spec.adv!.method, method, s.id);
    assert.equal(s.inputs.spec.adv!.eps, Number(eps), s.id);
    // Everything else comes from train.adv, unchanged.
    assert.equal(s.inputs.spec.adv!.lambda, config.train.adv.lambda);
    assert.equal(s.inputs.spec.cs === null, s.inputs.system.startsWith('adv-'), s.id);
  }
  assert.equal(adv.length, 4 * config.seeds.length);
  // Each expanded system is searched in every setting and probed, per seed.
  const plan = buildPlan(config);
  for (const id of ['adv-fgsm-0.1', 'ml-cs+adv-fgsm-0.01']) {
    assert.equal(plan.steps.filter((s) => s.kind === 'search-dense' && (s as Step<RunInputs>).inputs.run.system === id).length, config.seeds.length * config.settings.length, id);
    assert.equal(plan.steps.filter((s) => s.stage === 'probe' && (s as Step<RunInputs>).inputs.run.system === id).length, config.seeds.length * (config.probes.csRates.length + config.probes.eps.length), id);
  }
  const full = trainLabels('full');
  const fullAdv = [...new Set(full.steps.filter((s) => s.inputs.spec.adv !== null).map((s) => s.inputs.system))];
  assert.equal(fullAdv.length, 2 * 2 * 4);
  for (const kind of ['adv', 'ml-cs+adv']) for (const m of ['fgsm', 'pgd']) for (const e of [0.01, 0.05, 0.1, 0.3]) assert.ok(fullAdv.includes(`${kind}-${m}-${e}`), `${kind}-${m}-${e}`);
});

test('--dry-run prints the expanded systems\' steps from a config file\'s sweep', () => {
  const file = path.join(root, 'sweep.json');
  writeFileSync(file, JSON.stringify({ seeds: [1], systems: [{ id: 'zs', kind: 'zero-shot' }, { id: 'a', kind: 'adv', adv: { method: ['pgd', 'l2'], eps: [0.5] } }] }));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/xmrbench.js'), 'experiment', '--dry-run', '--config', file, '--cache', path.join(root, 'c')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const train = r.stdout.split('\n').filter((l) => / train +/.test(l)).map((l) => / train +(.*?) {2}/.exec(l)![1]);
  assert.deepEqual(train, ['zs seed 1', 'a-pgd-0.5 seed 1', 'a-l2-0.5 seed 1']);
});
