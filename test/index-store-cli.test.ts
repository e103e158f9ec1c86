// `xmrbench index build | search` and `merge-runs` (issue 18): a store built from an .npy (float16
// too) through a memory map, searched whole and as a scatter over `--shard I/N` tasks gathered by
// merge-runs — the same run file; a part searched twice is refused by merge-runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeIds, writeNpy } from '../src/data/npy.js';
import { packageRoot } from '../src/native.js';
import { randn } from '../src/random.js';
import { randomNpyCorpus } from './helpers/random-npy.js';

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'xmrbench.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

test('index build, index search whole and scattered over --shard I/N, merge-runs: the same run', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-index-cli-'));
  try {
    const [n, m, dim] = [1000, 7, 16];
    const { docs, queries } = randomNpyCorpus(root, { n, m, dim, seeds: [1, 2], docPrefix: 'doc' });
    const store = path.join(root, 'docs.store');
    const b = cli(['index', 'build', '--npy', docs, '--out', store, '--shard-rows', '300']);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /docs\.store: 1,000 rows of 16 f32 in 4 shards/);
    const whole = cli(['index', 'search', '--store', store, '--queries', queries, '--k', '25', '--out', path.join(root, 'whole.trec'), '--verify']);
    assert.equal(whole.status, 0, whole.stderr);
    for (const i of [0, 1, 2]) {
      // Task i of a 3-task Slurm array (--array=0-2).
      const r = cli(['index', 'search', '--store', store, '--queries', queries, '--k', '25', '--shard', 'auto', '--out', path.join(root, `part${i}.trec`)], { SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_COUNT: '3' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`over ${i === 0 ? 2 : 1} of 4 shards`));
    }
    const merged = cli(['merge-runs', ...[0, 1, 2].map((i) => path.join(root, `part${i}.trec`)), '--k', '25', '--tag', 'store', '--out', path.join(root, 'merged.trec')]);
    assert.equal(merged.status, 0, merged.stderr);
    const whole0 = readFileSync(path.join(root, 'whole.trec'), 'utf8');
    assert.equal(whole0.split('\n').length - 1, m * 25);
    assert.equal(readFileSync(path.join(root, 'merged.trec'), 'utf8'), whole0);
    const twice = cli(['merge-runs', path.join(root, 'part0.trec'), path.join(root, 'part0.trec'), '--out', path.join(root, 'bad.trec')]);
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /document doc\d+ of query q\d+ is in .*part0\.trec and .*part0\.trec: merge-runs gathers runs over disjoint parts/);
    // float16 input and a bf16 store.
    const half = path.join(root, 'half.npy');
    writeNpy(half, randn(n * dim, 1), n, dim, 'float16');
    const h = cli(['index', 'build', '--npy', half, '--ids', path.join(root, 'docs.ids.txt'), '--out', path.join(root, 'half.store'), '--dtype', 'bf16']);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stdout, /1,000 rows of 16 bf16 in 1 shard$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
