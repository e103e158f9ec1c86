// An interrupted image–text study resumes: the finished steps (vocabulary, CLIP, LiT models, some
// evaluations) come from the cache, and the numbers equal those of an uninterrupted run; a damaged
// CLIP entry is recomputed with a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/experiment/config.js';
import { Interrupted, runExperiment } from '../src/experiment/execute.js';
import { buildPlan } from '../src/experiment/plan.js';
import type { Results } from '../src/experiment/results.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';
import { tinyImageTextConfig, writeTinyImageText } from './helpers/tiny-image-text.js';

const numbers = (r: Results) => [r.imageText!.tables.main, r.imageText!.tables.probes].flatMap((t) => [...t.recall.cells, ...t.rr.cells].map((c) => [c.system, c.setting, c.measure, c.mean]));

test('stopping inside the image–text steps, then re-running, reuses them and gives the uninterrupted numbers', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-it-resume-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const config = loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), halves: ['image-text'], imageText: { ...tinyImageTextConfig(writeTinyImageText(root)), seeds: [4] } } });
    const plan = buildPlan(config);
    // 1 vocabulary + 1 CLIP + 5 LiT models (Translate-Test shares zero-shot's) come first; stop after 3 evaluations.
    assert.deepEqual(plan.steps.slice(0, 8).map((s) => s.kind), ['it-vocab', 'it-clip', 'it-lit', 'it-lit', 'it-lit', 'it-lit', 'it-lit', 'it-eval']);
    const cache = path.join(root, 'cache');
    let polls = 0;
    await assert.rejects(
      runExperiment({ config, out: path.join(root, 'a'), cache, progress: false, shouldStop: () => ++polls > 10 }),
      (err: unknown) => err instanceof Interrupted && err.done === 10,
    );
    const resumed = await runExperiment({ config, out: path.join(root, 'b'), cache, progress: false });
    assert.equal(resumed.steps.cached, 10);
    const fresh = await runExperiment({ config, out: path.join(root, 'c'), cache: path.join(root, 'cache-fresh'), progress: false });
    assert.deepEqual(numbers(resumed), numbers(fresh));
    // A damaged image tower is recomputed (same seed: the same numbers), not trusted.
    const clip = plan.steps[1]!;
    writeFileSync(path.join(cache, 'image-text', clip.cache.key.slice(0, 24), 'tower.xit'), 'damaged');
    const warnings: string[] = [];
    const again = await runExperiment({ config, out: path.join(root, 'd'), cache, progress: false, warn: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /tower\.xit/);
    assert.equal(again.steps.cached, again.steps.total - 1);
    assert.deepEqual(numbers(again), numbers(fresh));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
