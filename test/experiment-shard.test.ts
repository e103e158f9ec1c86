// A study spread over a scheduler's array of tasks (issue 18, src/experiment/shard.ts): the shard
// comes from `I/N` or the scheduler's variables, the partition keeps each model with its runs and is
// the same in every task, N processes started at once with Slurm's variables fill one cache, and
// `--merge` then reports exactly what one process would have — refusing, with the list, while a
// shard is missing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/experiment/config.js';
import { buildPlan } from '../src/experiment/plan.js';
import { parseShard, partition, shareOf } from '../src/experiment/shard.js';
import { packageRoot } from '../src/native.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

describe('shard from the command line or the scheduler', () => {
  it('I/N, Slurm job arrays (any start and step), Kubernetes Indexed Jobs', () => {
    assert.deepEqual(parseShard('2/5', {}), { index: 2, count: 5 });
    assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 3, count: 4 });
    // sbatch --array=1-4
    assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 0, count: 4 });
    // sbatch --array=10-16:3 → tasks 10, 13, 16
    assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '16', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '3', SLURM_ARRAY_TASK_COUNT: '3' }), { index: 2, count: 3 });
    assert.deepEqual(parseShard('auto', { JOB_COMPLETION_INDEX: '0', XMRBENCH_SHARDS: '2' }), { index: 0, count: 2 });
  });

  it('refuses what it cannot use, saying why', () => {
    const fails = (spec: string, env: NodeJS.ProcessEnv, message: string) => assert.throws(() => parseShard(spec, env), { name: 'XmrError', code: 'E_USAGE', message });
    fails('3/3', {}, '--shard: shard 3 of 3 is out of range (0 ≤ I < N)');
    fails('1-3', {}, '--shard must be I/N (0 ≤ I < N) or auto, got "1-3"');
    fails('auto', {}, '--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; give --shard I/N');
    fails('auto', { SLURM_ARRAY_TASK_ID: '2' }, '--shard auto: SLURM_ARRAY_TASK_ID is 2 but SLURM_ARRAY_TASK_COUNT is null');
    fails('auto', { SLURM_ARRAY_TASK_ID: '11', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '3', SLURM_ARRAY_TASK_COUNT: '3' }, "--shard auto: SLURM_ARRAY_TASK_ID 11 is not on the array's range (min 10, step 3)");
    fails('auto', { JOB_COMPLETION_INDEX: '1' }, '--shard auto: JOB_COMPLETION_INDEX is 1 but XMRBENCH_SHARDS (the Job\'s completions) is null; set it in the manifest');
  });
});

describe('partition', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-shard-plan-'));
  const { dataset, lexicons } = writeTinyDdtp(root);
  const plan = buildPlan(loadConfig({ overrides: tinyConfig(dataset, lexicons) }));
  rmSync(root, { recursive: true, force: true });

  it('owns every step once, keeps a model with the runs that read it, and is the same every time', () => {
    for (const n of [1, 2, 3, 7]) {
      const owners = partition(plan, n);
      assert.equal(owners.size, plan.steps.length);
      assert.deepEqual(partition(plan, n), owners);
      const byId = new Map(plan.steps.map((s) => [s.id, s]));
      for (const s of plan.steps.filter((x) => x.kind === 'search-dense' || x.kind.startsWith('probe'))) {
        const model = s.after.map((d) => byId.get(d)!).find((d) => d.kind === 'train');
        if (model) assert.equal(owners.get(s.id), owners.get(model.id), `${s.id} runs where its model trains`);
      }
      // Every share: its own steps plus only what they read; together they cover the plan.
      const shares = Array.from({ length: n }, (_, i) => shareOf(plan, owners, i));
      assert.equal(new Set(shares.flat().map((s) => s.id)).size, plan.steps.length);
      for (let i = 0; i < n; i++) for (const s of shares[i]!) if (owners.get(s.id) !== i) assert.ok(['vocab', 'train'].includes(s.kind) === true || s.after.length === 0, `${s.id} is read by shard ${i}`);
    }
    const trains = plan.steps.filter((s) => s.kind === 'train');
    const perShard = [0, 1, 2].map((i) => trains.filter((s) => partition(plan, 3).get(s.id) === i).length);
    assert.ok(Math.max(...perShard) - Math.min(...perShard) <= 2, `models per shard ${perShard}`);
  });
});

/** results.json without what legitimately differs between runs: timings, dates, cache hits. */
const comparable = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'), (k, v: unknown) => (k === 'createdAt' || k === 'steps' || /seconds|PerSecond/i.test(k) ? undefined : v));

function xmrbench(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'xmrbench.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a Slurm job array on one machine', () => {
  it('three tasks at once, then --merge, give the one-process results.json; --merge refuses while a shard is missing', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'xmr-shard-'));
    try {
      const { dataset, lexicons } = writeTinyDdtp(root);
      const config = path.join(root, 'config.json');
      writeFileSync(config, JSON.stringify({ ...tinyConfig(dataset, lexicons), seeds: [3] }));
      const cache = path.join(root, 'shared-cache');
      const slurm = (id: number) => ({ SLURM_ARRAY_TASK_ID: String(id + 1), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_JOB_ID: '4242' });
      const task = (id: number) => xmrbench(['experiment', '--config', config, '--cache', cache, '--shard', 'auto'], slurm(id));

      const two = await Promise.all([task(0), task(2)]);
      for (const r of two) assert.equal(r.code, 0, r.stderr);
      assert.match(two[0]!.stdout, /^Shard 0\/3: \d+ of the plan's \d+ steps are this share's; ran \d+ \(with what they read\)/);
      const early = await xmrbench(['experiment', '--config', config, '--cache', cache, '--merge', '--out', path.join(root, 'early')]);
      assert.equal(early.code, 1);
      assert.match(early.stderr, /--merge: \d+ of \d+ steps are not in the cache .*shards not finished for this plan \(of 3\): 1\/3\. missing steps: /);

      const last = await task(1);
      assert.equal(last.code, 0, last.stderr);
      const merged = await xmrbench(['experiment', '--config', config, '--cache', cache, '--merge', '--out', path.join(root, 'merged')]);
      assert.equal(merged.code, 0, merged.stderr);
      const single = await xmrbench(['experiment', '--config', config, '--cache', path.join(root, 'own-cache'), '--out', path.join(root, 'single')]);
      assert.equal(single.code, 0, single.stderr);
      assert.deepEqual(comparable(path.join(root, 'merged', 'results.json')), comparable(path.join(root, 'single', 'results.json')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the shipped scheduler files', () => {
  it('the Slurm array script runs `experiment --shard auto` on the task its variables name', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'xmr-sbatch-'));
    try {
      const { dataset, lexicons } = writeTinyDdtp(root);
      const config = path.join(root, 'config.json');
      writeFileSync(config, JSON.stringify({ ...tinyConfig(dataset, lexicons), seeds: [3] }));
      // `npx xmrbench …` resolved to this checkout's CLI, as npx would inside it.
      const bin = path.join(root, 'bin');
      mkdirSync(bin);
      writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\nshift\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(packageRoot, 'bin', 'xmrbench.js'))} "$@"\n`, { mode: 0o755 });
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, SLURM_SUBMIT_DIR: root, SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '1', XMR_CACHE: path.join(root, 'cache'), XMR_ARGS: `--config ${config} --dry-run` };
      const r = spawnSync('bash', [path.join(packageRoot, 'deploy', 'slurm', 'xmrbench-array.sbatch')], { env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const plan = buildPlan(loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), seeds: [3] } }));
      const share = shareOf(plan, partition(plan, 2), 1);
      assert.match(r.stdout, new RegExp(`^${share.length} steps, 0 cached in ${path.join(root, 'cache')}`, 'm'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the Kubernetes Indexed Job passes its completion count as XMRBENCH_SHARDS and merges in a second Job', () => {
    const yaml = readFileSync(path.join(packageRoot, 'deploy', 'kubernetes', 'xmrbench-indexed-job.yaml'), 'utf8');
    const [shards, merge] = yaml.split(/^---$/m) as [string, string];
    assert.match(shards, /completionMode: Indexed/);
    const completions = /^\s+completions: (\d+)/m.exec(shards)![1];
    assert.equal(/name: XMRBENCH_SHARDS\s+value: "(\d+)"/.exec(shards)![1], completions);
    assert.match(shards, /command: \["npx", "xmrbench", "experiment", "--shard", "auto", "--cache", "\/cache"/);
    assert.match(merge, /command: \["npx", "xmrbench", "experiment", "--merge", "--cache", "\/cache"/);
    assert.deepEqual(parseShard('auto', { JOB_COMPLETION_INDEX: String(Number(completions) - 1), XMRBENCH_SHARDS: completions }), { index: Number(completions) - 1, count: Number(completions) });
  });
});
