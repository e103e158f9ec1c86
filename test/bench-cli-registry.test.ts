/**
 * `xmrbench bench` is made from the registry (src/bench/registry.ts): one subcommand per workload,
 * whose help says what it measures, lists its drivers and ratios, and offers each declared option
 * under its kebab-case flag; the values given on the command line reach the workload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../src/native.js';
import { workloads } from '../src/bench/registry.js';
import { flagName } from '../src/bench/workload.js';

const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'xmrbench.js'), ...args], { cwd: packageRoot, encoding: 'utf8' });
/** yargs wraps help text: compare with whitespace runs made single spaces. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

test('the registry names each workload once, and no workload option shadows a common one', () => {
  const names = workloads.map((w) => w.name);
  assert.deepEqual(names, ['topk', 'tokenize', 'perturb', 'eval', 'significance', 'codeswitch', 'train', 'image-text', 'onnx-text', 'onnx-image', 'image-tower-train', 'skipgram', 'store', 'ann']);
  for (const w of workloads) {
    for (const key of Object.keys(w.options)) assert.ok(!['threads', 'time', 'timeMs', 'json', 'out'].includes(key), `${w.name}: option ${key} shadows a common option`);
    assert.ok(w.drivers.length > 0, `${w.name} declares no drivers`);
  }
});

test('bench --help lists every workload with what it measures, and cites no issue', () => {
  const r = cli('bench', '--help');
  assert.equal(r.status, 0, r.stderr);
  for (const w of workloads) assert.ok(flat(r.stdout).includes(`xmrbench bench ${w.name} ${w.measures}`), `${w.name} missing from:\n${r.stdout}`);
  assert.doesNotMatch(r.stdout, /issue/i);
});

test('bench <workload> --help shows its options, drivers and ratios from the definition', () => {
  for (const w of workloads) {
    const r = cli('bench', w.name, '--help');
    assert.equal(r.status, 0, r.stderr);
    const help = flat(r.stdout);
    for (const [key, spec] of Object.entries(w.options)) {
      const flag = flagName(key);
      assert.match(help, new RegExp(`(--${flag}|-${flag}) ${spec.describe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `${w.name}: --${flag}`);
    }
    for (const line of [...w.drivers, ...w.ratios]) assert.ok(help.includes(flat(line)), `${w.name}: "${line}" not in its help`);
    assert.doesNotMatch(r.stdout, /issue/i, `${w.name} --help cites an issue`);
  }
});

test('the options given on the command line reach the workload', () => {
  const r = cli('bench', 'significance', '--queries', '20', '--permutations', '50', '--threads', '1', '--time', '10', '--json');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { workload: string; params: Record<string, unknown>; drivers: { driver: string }[] };
  assert.equal(result.workload, 'significance');
  assert.deepEqual([result.params.queries, result.params.permutations, result.params.threads], [20, 50, 1]);
  assert.deepEqual(
    result.drivers.map((d) => d.driver),
    ['randomization, 1 thread', 'randomization, calling thread only'],
  );
});

test('an option with a hyphenated flag reaches the workload under its key', () => {
  const r = cli('bench', 'perturb', '--floats', '4096', '--group-size', '1024', '--threads', '1', '--time', '10', '--json');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { params: Record<string, unknown>; ratios: Record<string, number> };
  assert.deepEqual([result.params.floats, result.params.groupSize], [4096, 1024]);
  assert.ok(result.ratios['perturb linf / copy native']! > 0);
});
