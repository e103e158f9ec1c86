// Training steps run side by side (execute.ts, issue 16): with `threads` 2 or 3 the study trains up
// to that many models at once, one thread each (each model's report says so), and gives the same
// models, runs and tables as the one-thread study that trains them one after another; a stop request lets the started models
// finish into the cache, and the resumed study reuses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { loadConfig } from '../src/experiment/config.js';
import { Interrupted, runExperiment } from '../src/experiment/execute.js';
import type { Results } from '../src/experiment/results.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

/** Everything a study computes, without its timings. */
function numbers(r: Results, out: string) {
  return {
    // The weights, not the file's bytes: its header records the training settings, threads among them.
    models: r.models.map((m) => {
      const { model } = loadDualEncoder(path.join(out, m.file));
      return { system: m.system, seed: m.seed, E: model.embeddings(), W: model.projection(), loss: m.train?.finalLoss };
    }),
    runs: r.runs.map((x) => ({ system: x.system, seed: x.seed, setting: x.setting, probe: x.probe, perQuery: x.perQuery })),
    tables: r.tables,
  };
}

test('two or three models trained side by side equal the one-thread study, model for model', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-side-by-side-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const base = { ...tinyConfig(dataset, lexicons), systems: (tinyConfig(dataset, lexicons).systems as { kind: string }[]).filter((s) => s.kind !== 'bm25') };
    let expected: ReturnType<typeof numbers> | null = null;
    for (const threads of [1, 2, 3]) {
      const out = path.join(root, `out${threads}`);
      const config = loadConfig({ overrides: { ...base, threads } });
      const r = await runExperiment({ config, out, cache: path.join(root, `cache${threads}`), progress: false });
      // Side by side (2 or 3 threads, at least 6 models): every model trained on a share of one thread.
      assert.deepEqual(new Set(r.models.map((m) => m.train!.threads)), new Set([1]), `${threads} threads`);
      if (threads > 1) assert.ok(r.models.length >= 2 * threads, 'enough models to fill the window');
      if (expected === null) {
        assert.ok(r.models.length >= 6, 'several models to train side by side');
        expected = numbers(r, out);
      } else assert.deepEqual(numbers(r, out), expected, `${threads} threads`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a stop request while models train side by side lets them finish into the cache; the resume reuses them', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-side-by-side-stop-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const config = loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), seeds: [3], threads: 2 } });
    const cache = path.join(root, 'cache');
    // Poll 1 starts the vocabulary; polls 2 and 3 start two models side by side; poll 4 (before the third) stops.
    let polls = 0;
    await assert.rejects(
      runExperiment({ config, out: path.join(root, 'a'), cache, progress: false, shouldStop: () => ++polls > 3 }),
      (err: unknown) => err instanceof Interrupted && err.done === 3,
    );
    const resumed = await runExperiment({ config, out: path.join(root, 'b'), cache, progress: false });
    assert.equal(resumed.steps.cached, 3);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
