// An interrupted study resumes: finished steps come from the cache, and the numbers equal those of an
// uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/experiment/config.js';
import { Interrupted, runExperiment } from '../src/experiment/execute.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

test('stopping after some steps, then re-running, reuses them and gives the uninterrupted numbers', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-resume-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const config = loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), seeds: [3] } });
    const cache = path.join(root, 'cache');
    let polls = 0;
    await assert.rejects(
      runExperiment({ config, out: path.join(root, 'a'), cache, progress: false, shouldStop: () => ++polls > 12 }),
      (err: unknown) => err instanceof Interrupted && err.done === 12 && /run the same command again to resume/.test(err.message),
    );
    const resumed = await runExperiment({ config, out: path.join(root, 'b'), cache, progress: false });
    assert.equal(resumed.steps.cached, 12);
    const fresh = await runExperiment({ config, out: path.join(root, 'c'), cache: path.join(root, 'cache-fresh'), progress: false });
    assert.deepEqual(resumed.tables.main.cells.map((c) => c.mean), fresh.tables.main.cells.map((c) => c.mean));
    // A second complete run is served entirely from the cache.
    const again = await runExperiment({ config, out: path.join(root, 'd'), cache, progress: false });
    assert.equal(again.steps.cached, again.steps.total);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
