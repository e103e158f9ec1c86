// `imageText.external`: systems trained elsewhere in the image–text half, with no training step. On
// the tiny image–text test bed the zero-shot towers trained by one study are exported (ONNX image
// tower and text tower) and written out as .npy embeddings with ids; a second study evaluates them as
// external systems: seed 0, the native system's per-query values in every setting and probe (the
// code-switching probe only with a text encoder), tested against zero-shot, cached by the files' bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCaptions } from '../src/data/image-text/read.js';
import { writeIds, writeNpy } from '../src/data/npy.js';
import { loadDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { openImageEncoder } from '../src/encoders/open-image-encoder.js';
import { readImageTowerFile } from '../src/encoders/image-tower-model.js';
import { NativeTextEncoder } from '../src/encoders/native-text-encoder.js';
import { exportOnnx } from '../src/export/onnx-dual-encoder.js';
import { exportImageTowerOnnx } from '../src/export/onnx-image-tower.js';
import { entryPath } from '../src/experiment/cache.js';
import { validators } from '../src/experiment/config-schema.js';
import { loadConfig } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/execute.js';
import { CAPTION_MAX_LENGTH } from '../src/experiment/image-text/models.js';
import { buildPlan } from '../src/experiment/plan.js';
import type { ImageTextRun } from '../src/experiment/image-text/score.js';
import { loadTokenizer } from '../src/train/train.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';
import { tinyImageTextConfig, writeTinyImageText } from './helpers/tiny-image-text.js';

const root = mkdtempSync(path.join(tmpdir(), 'xmr-exp-it-ext-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const { dataset, lexicons } = writeTinyDdtp(root);
const itDir = writeTinyImageText(root);
const cache = path.join(root, 'cache');
const base = { ...tinyConfig(dataset, lexicons), halves: ['image-text'], systems: [{ id: 'zs', kind: 'zero-shot' }] };
const imageText = { ...tinyImageTextConfig(itDir), seeds: [1] };

/** Per direction, how many queries' RR differ (exact ties may order differently across float paths). */
function differing(run: ImageTextRun, native: ImageTextRun): number {
  let n = 0;
  for (const d of ['t2i', 'i2t'] as const) {
    assert.equal(run.directions[d] === undefined, native.directions[d] === undefined);
    if (!run.directions[d]) continue;
    assert.deepEqual(run.directions[d]!.queryIds, native.directions[d]!.queryIds);
    const a = run.directions[d]!.perQuery.RR!;
    const b = native.directions[d]!.perQuery.RR!;
    n += a.filter((v, i) => v !== b[i]).length;
  }
  return n;
}

test('external ONNX towers and .npy embeddings: no training, seed 0, the native towers\' per-query values, tested and cached', async () => {
  // 1. The zero-shot towers of one seed, from the study itself.
  const config1 = loadConfig({ overrides: { ...base, imageText } });
  const out1 = path.join(root, 'out1');
  const first = await runExperiment({ config: config1, out: out1, cache, progress: false });
  const files = first.imageText!.models.find((m) => m.system === 'zs')!.files;
  const vocab = path.join(entryPath(cache, 'image-text', buildPlan(config1).steps.find((s) => s.kind === 'it-vocab')!.cache.key), 'vocab.txt');
  const text = loadDualEncoder(path.join(out1, files.text)).model;
  const towerFile = path.join(out1, files.image);
  const textDir = path.join(root, 'text-onnx');
  const imageDir = path.join(root, 'image-onnx');
  exportOnnx(text, textDir, { tokenizerFile: vocab, maxLength: CAPTION_MAX_LENGTH });
  exportImageTowerOnnx(readImageTowerFile(towerFile).model, imageDir);
  // The same towers' embeddings of every image and caption of each style, as .npy with ids beside.
  const emb = path.join(root, 'emb');
  mkdirSync(emb);
  const tower = await openImageEncoder(towerFile);
  const textEncoder = new NativeTextEncoder(text, loadTokenizer(vocab), { maxLength: CAPTION_MAX_LENGTH });
  for (const style of ['a', 'b']) {
    const set = await readCaptions(path.join(itDir, `${style}.json`), { format: 'karpathy' });
    const images = await tower.encode(set.images.map((i) => path.join(itDir, i.file)));
    writeNpy(path.join(emb, `${style}.img.npy`), images, set.images.length, tower.dim);
    writeIds(path.join(emb, `${style}.img.ids.txt`), set.images.map((i) => i.id));
    const captions = await textEncoder.encode(set.captions.map((c) => c.text));
    writeNpy(path.join(emb, `${style}.txt.npy`), captions, set.captions.length, textEncoder.dim);
    writeIds(path.join(emb, `${style}.txt.ids.txt`), set.captions.map((c) => c.id));
  }
  await tower.close();

  // 2. The study with both as external systems.
  const external = [
    { id: 'clip-onnx', image: { onnx: imageDir }, text: { onnx: textDir } },
    { id: 'clip-npy', image: { npy: path.join(emb, '{style}.img.npy') }, text: { npy: path.join(emb, '{style}.txt.npy') } },
  ];
  const config = loadConfig({ overrides: { ...base, imageText: { ...imageText, external } } });
  const plan = buildPlan(config);
  assert.deepEqual(plan.steps.filter((s) => s.stage === 'it-train').map((s) => s.label), ['image–text vocabulary', 'English CLIP seed 1', 'LiT zs seed 1']);
  const r = await runExperiment({ config, out: path.join(root, 'out2'), cache, progress: false });
  const it = r.imageText!;
  assert.deepEqual(it.systems.map((s) => [s.id, s.kind]), [['zs', 'zero-shot'], ['clip-onnx', 'encoder'], ['clip-npy', 'encoder']]);
  assert.match(it.systems[2]!.description, /precomputed caption embeddings, so no code-switching probe/);
  assert.ok(!it.models.some((m) => m.system !== 'zs'), 'external systems are not trained models');
  const settings = config.imageText.settings.length;
  const onnxRuns = it.runs.filter((x) => x.system === 'clip-onnx');
  const npyRuns = it.runs.filter((x) => x.system === 'clip-npy');
  assert.equal(onnxRuns.length, settings + 2 + 2);
  assert.equal(npyRuns.length, settings + 2, 'no code-switching probe over precomputed caption embeddings');
  assert.ok(npyRuns.every((x) => x.probe?.kind !== 'cs'));
  for (const run of [...onnxRuns, ...npyRuns]) {
    assert.equal(run.seed, 0);
    const native = it.runs.find((x) => x.system === 'zs' && x.setting === run.setting && JSON.stringify(x.probe) === JSON.stringify(run.probe))!;
    const differ = differing(run, native);
    assert.ok(differ <= 1, `${run.system} ${run.setting} ${JSON.stringify(run.probe)}: ${differ} queries differ`);
    assert.ok(Math.abs(run.directions.t2i!.mean.RR! - native.directions.t2i!.mean.RR!) < 0.05);
  }
  // Tested against zero-shot in the main table and the probes, and shown in the report.
  const cell = it.tables.main.rr.cells.find((c) => c.system === 'clip-onnx' && c.setting === 'held-out/de t2i')!;
  assert.ok(cell.test, 'clip-onnx is tested against zs');
  assert.ok(it.tables.probes.recall.cells.some((c) => c.system === 'clip-npy' && c.setting === 'fgsm=0.5' && c.test));
  const report = readFileSync(path.join(root, 'out2', 'report.md'), 'utf8');
  assert.match(report, /^\| clip-npy \| /m);
  assert.match(report, /- \*\*clip-onnx\*\*: external: image encoder `/);
  const validate = validators().results;
  assert.ok(validate(JSON.parse(readFileSync(path.join(root, 'out2', 'results.json'), 'utf8'))), JSON.stringify(validate.errors?.slice(0, 3)));

  // 3. Cached by the files' bytes: only a changed system's steps are new.
  const keys = new Set(plan.steps.map((s) => s.cache.key));
  writeFileSync(path.join(emb, 'b.txt.ids.txt'), readFileSync(path.join(emb, 'b.txt.ids.txt')));
  assert.deepEqual(buildPlan(config).steps.map((s) => s.cache.key), [...plan.steps.map((s) => s.cache.key)]);
  writeFileSync(path.join(textDir, 'extra.txt'), 'changed');
  for (const s of buildPlan(config).steps) assert.equal(keys.has(s.cache.key), !s.label.startsWith('clip-onnx '), s.id);
});

test('external image–text systems: ids and files are checked', () => {
  const bad = (external: object[]) => () => buildPlan(loadConfig({ overrides: { ...base, imageText: { ...imageText, external } } }));
  assert.throws(bad([{ id: 'zs', image: { npy: 'x.npy' }, text: { npy: 'y.npy' } }]), (err: Error) => err.message === 'config: imageText.external[0].id repeats "zs" (a system id)');
  const missing = path.join(root, 'nope', '{style}.npy');
  assert.throws(bad([{ id: 'e', image: { onnx: path.join(root, 'image-onnx') }, text: { npy: missing } }]), (err: Error) => err.message === `${path.join(root, 'nope', 'a.npy')}: no such file (imageText.external[0].text)`);
  assert.throws(bad([{ id: 'e', image: { npy: 'x.npy', onnx: 'd' }, text: { npy: 'y.npy' } }]), /imageText\.external\[0\]\.image/);
});
