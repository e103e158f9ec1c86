// A system `{ "kind": "encoder", "encoder": { "onnx": DIR } }` is a dense ranker over an ONNX text
// encoder, with no training step: on the tiny study, the zero-shot model exported to ONNX in the test
// (exportOnnx) ranks as the native model it came from; its runs carry seed 0, are probed, cached by
// the folder's content, tested and reported. The same study sweeps two training strengths, whose
// contrast families and ε figures the report shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { exportOnnx } from '../src/export/onnx-dual-encoder.js';
import { validators } from '../src/experiment/config-schema.js';
import { loadConfig } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/execute.js';
import { buildPlan } from '../src/experiment/plan.js';
import type { Results } from '../src/experiment/results.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

const root = mkdtempSync(path.join(tmpdir(), 'xmr-exp-onnx-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const { dataset, lexicons } = writeTinyDdtp(root);
const cache = path.join(root, 'cache');
const onnxDir = path.join(root, 'zs-onnx');
const tiny = tinyConfig(dataset, lexicons);
const zs = { id: 'zs', kind: 'zero-shot' };

test('an ONNX encoder in the config: no training, seed 0, the native model\'s rankings, probes, tests and report', async () => {
  // 1. Train the zero-shot model (one seed) and export it as an ONNX model folder.
  const first = await runExperiment({ config: loadConfig({ overrides: { ...tiny, seeds: [1], systems: [zs] } }), out: path.join(root, 'out-zs'), cache, progress: false });
  const { model, info } = loadDualEncoder(path.join(root, 'out-zs', first.models[0]!.file));
  const vocab = (info.config.tokenizer as { file: string }).file;
  exportOnnx(model, onnxDir, { tokenizerFile: vocab, maxLength: 128 });

  // 2. The study with the ONNX folder as a system, beside swept ADV and ML-CS + ADV.
  const file = path.join(root, 'study.json');
  const systems = [zs, { id: 'zs-onnx', kind: 'encoder', encoder: { onnx: onnxDir } }, { id: 'ml-cs', kind: 'ml-cs' }, { id: 'adv', kind: 'adv', adv: { eps: [0.01, 0.1] } }, { id: 'ml-cs+adv', kind: 'ml-cs+adv', adv: { eps: [0.01, 0.1] } }];
  writeFileSync(file, JSON.stringify({ ...tiny, seeds: [1], systems }));
  const config = loadConfig({ file });
  const plan = buildPlan(config);
  assert.deepEqual(
    plan.steps.filter((s) => s.kind === 'train').map((s) => s.label),
    ['zs seed 1', 'ml-cs seed 1', 'adv-fgsm-0.01 seed 1', 'adv-fgsm-0.1 seed 1', 'ml-cs+adv-fgsm-0.01 seed 1', 'ml-cs+adv-fgsm-0.1 seed 1'],
  );
  const out = path.join(root, 'out');
  const r = await runExperiment({ config, out, cache, progress: false });

  const onnxRuns = r.runs.filter((x) => x.system === 'zs-onnx');
  const settings = config.settings.length;
  const probes = config.probes.csRates.length + config.probes.eps.length;
  assert.equal(onnxRuns.length, settings + probes);
  assert.ok(onnxRuns.every((x) => x.seed === 0));
  assert.ok(!r.models.some((m) => m.system === 'zs-onnx'), 'an external encoder is not a trained model');
  // The exported model ranks as the native one (embeddings within 1e-5): the same per-query values
  // in every setting and under every probe.
  for (const run of onnxRuns) {
    const native = r.runs.find((x) => x.system === 'zs' && x.setting === run.setting && JSON.stringify(x.probe) === JSON.stringify(run.probe))!;
    assert.deepEqual(run.queryIds, native.queryIds);
    const rr = run.perQuery['RR@10']!;
    const differ = rr.filter((v, i) => v !== native.perQuery['RR@10']![i]).length;
    assert.ok(differ <= 1, `${run.setting} ${JSON.stringify(run.probe)}: ${differ} queries differ`);
    assert.ok(Math.abs(run.mean!['RR@10']! - native.mean!['RR@10']!) < 0.05);
  }
  const described = r.systems.find((s) => s.id === 'zs-onnx')!;
  assert.equal(described.kind, 'encoder');
  assert.match(described.description, /external text encoder/);
  assert.ok(validators().results(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'))), JSON.stringify(validators().results.errors?.slice(0, 3)));

  // The report: the families tested, the sweep's figures.
  const report = readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.match(report, /### ML-CS \+ ADV against ML-CS: does adversarial training add anything on top of code-switching\?\n/);
  assert.match(report, /\| ml-cs\+adv-fgsm-0\.1 vs ml-cs \| de-en \| /);
  assert.match(report, /- \*\*adv-fgsm-0\.01\*\* vs \*\*zs\*\* across settings \(adv-vs-zero-shot; holm within the family\): RR@10: /);
  assert.doesNotMatch(report, /descriptive, not tested/);
  for (const f of ['robustness-fgsm-vs-train-eps.svg', 'robustness-cs-vs-train-eps.svg', 'rr10-by-language-vs-train-eps-1.svg', 'rr10-by-language-vs-train-eps-2.svg'])
    assert.ok(existsSync(path.join(out, 'figures', f)), f);
  const fig = readFileSync(path.join(out, 'figures', 'robustness-fgsm-vs-train-eps.svg'), 'utf8');
  for (const label of ['adv (FGSM)', 'ml-cs+adv (FGSM)', '>0.1<']) assert.ok(fig.includes(label), label);
  const central = r.contrasts!.main.find((f) => f.id === 'adv-over-cs')!;
  const centralRR = central.cells.filter((c) => c.measure === 'RR@10');
  assert.equal(centralRR.length, 2 * settings);
  // Degenerate tests (identical values, p = NaN) are not counted in the correction.
  assert.equal(central.familySize['RR@10'], centralRR.filter((c) => Number.isFinite(c.test.pValue)).length);

  // 3. The encoder's runs are cached by the folder's content: a changed model is searched again.
  const again = await runExperiment({ config, out: path.join(root, 'out2'), cache, progress: false });
  assert.equal(again.steps.cached, again.steps.total);
  writeFileSync(path.join(onnxDir, 'extra.txt'), 'changed');
  const changed = buildPlan(config);
  const keys = new Set(plan.steps.map((s) => s.cache.key));
  for (const s of changed.steps) assert.equal(keys.has(s.cache.key), !s.label.startsWith('zs-onnx '), s.id);
});

test('a missing encoder folder is named when the plan is built', () => {
  const config = loadConfig({ overrides: { ...tiny, systems: [zs, { id: 'e5', kind: 'encoder', encoder: { onnx: path.join(root, 'nope') } }] } });
  assert.throws(() => buildPlan(config), (err: Error) => err.message === `${path.join(root, 'nope')}: no such encoder: expected an ONNX model folder or .onnx file (systems[].encoder.onnx)`);
});
