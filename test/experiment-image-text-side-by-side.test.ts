// The image–text half's CLIP and LiT trainings run side by side as the text half's models do
// (execute.ts, issue 16): with 2 threads two at a time, one thread each, sharing one load of the
// captions, pixels and locked-tower embeddings. The models and every value equal those of the
// one-thread study that trains them one after another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { loadConfig } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/execute.js';
import type { Results } from '../src/experiment/results.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';
import { tinyImageTextConfig, writeTinyImageText } from './helpers/tiny-image-text.js';

/** What the half computes, without its timings: each LiT text tower's weights, the CLIP image towers, the losses, the runs' values and the tables. */
function numbers(r: Results, out: string) {
  const it = r.imageText!;
  return {
    models: it.models.map((m) => {
      const { model } = loadDualEncoder(path.join(out, m.files.text));
      const image = readFileSync(path.join(out, m.files.image));
      return { system: m.system, seed: m.seed, E: model.embeddings(), W: model.projection(), image, losses: [m.clip?.finalLoss, m.lit?.finalLoss] };
    }),
    runs: it.runs,
    tables: it.tables,
  };
}

test('CLIP and LiT trained two at a time equal the one-thread study, model for model', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-it-side-by-side-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const imageText = tinyImageTextConfig(writeTinyImageText(root));
    let expected: ReturnType<typeof numbers> | null = null;
    for (const threads of [1, 2]) {
      const out = path.join(root, `out${threads}`);
      const config = loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), halves: ['image-text'], imageText, threads } });
      const r = await runExperiment({ config, out, cache: path.join(root, `cache${threads}`), progress: false });
      if (expected === null) {
        assert.ok(r.imageText!.models.length >= 4, 'several LiT models to train side by side');
        expected = numbers(r, out);
      } else assert.deepEqual(numbers(r, out), expected, `${threads} threads`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
