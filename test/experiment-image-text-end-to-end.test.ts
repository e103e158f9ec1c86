// The image–text half of the study on a tiny test bed in seconds: English CLIP, LiT per system,
// every setting × direction and probe scored per query, the report's image–text section and figures,
// the same seeds giving the same numbers, and results.json (schema version 2) carrying the values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/execute.js';
import { validators } from '../src/experiment/config-schema.js';
import { RESULTS_SCHEMA_VERSION, type Results } from '../src/experiment/results.js';
import { studyContrastFamilies } from '../src/experiment/contrasts.js';
import { contrastStats, type ContrastStats, type TableStats } from '../src/experiment/stats.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';
import { tinyImageTextConfig, writeTinyImageText } from './helpers/tiny-image-text.js';

const root = mkdtempSync(path.join(tmpdir(), 'xmr-exp-it-'));
const { dataset, lexicons } = writeTinyDdtp(root);
const config = loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), halves: ['image-text'], imageText: tinyImageTextConfig(writeTinyImageText(root)) } });
test.after(() => rmSync(root, { recursive: true, force: true }));

let first: Results;

test('runs every image–text system, setting and probe; writes the section, its figures and per-query values', async () => {
  const out = path.join(root, 'out1');
  first = await runExperiment({ config, out, cache: path.join(root, 'cache1'), progress: false });
  const it = first.imageText!;
  assert.equal(first.schemaVersion, 2);
  assert.equal(first.runs.length, 0, 'the text half did not run');
  // 6 dense systems × 2 seeds × 6 settings; 5 probing systems (not Translate-Test) × 2 seeds × (2 + 2) probes.
  assert.equal(it.runs.length, 6 * 2 * 6 + 5 * 2 * 4);
  assert.deepEqual(it.systems.map((s) => s.id), ['zs', 'bl-cs-de', 'ml-cs', 'adv', 'ml-cs+adv', 'tt-zs']);
  for (const r of it.runs) {
    const t2i = r.directions.t2i!;
    for (const m of it.measures) assert.equal(t2i.perQuery[m]!.length, t2i.queryIds.length, `${r.system} ${r.setting} ${m}`);
    assert.equal(r.directions.i2t === undefined, r.probe !== null);
  }
  // 16 test images with one caption per language; the mixed set keeps one language per image.
  const ho = it.settings.find((s) => s.id === 'held-out/mix')!;
  assert.deepEqual(ho.queries, { t2i: 16, i2t: 16 });
  // The seen-image protocol: a sample of maxImages = 24 of the 32 training images, the same for every system.
  assert.deepEqual(it.settings.find((s) => s.id === 'seen-images/de')!.queries, { t2i: 24, i2t: 24 });
  const sampled = it.runs.filter((r) => r.setting === 'seen-images/de').map((r) => r.directions.i2t!.queryIds.join());
  assert.equal(new Set(sampled).size, 1);
  // English CLIP learns the task: held-out English text→image R@5 of zero-shot far above chance (5/16).
  const zsEn = it.tables.main.recall.cells.find((c) => c.system === 'zs' && c.setting === 'held-out/en t2i' && c.measure === 'R@5')!;
  assert.ok(zsEn.mean > 0.6, `zs held-out/en t2i R@5 ${zsEn.mean}`);
  assert.equal(zsEn.seeds, 2);
  // Tests: McNemar on R@k, the t-test on RR; the contrasts have their own families.
  assert.equal(it.tables.main.recall.test, 'mcnemar');
  assert.equal(it.tables.main.rr.test, 't');
  // The study's families (contrasts.ts), as the text half's, tested on the main recall and RR tables.
  const familyPairs = (fs: ContrastStats[]) => fs.map((f) => [f.id, [...new Set(f.cells.map((c) => `${c.system} vs ${c.reference}`))]]);
  assert.deepEqual(familyPairs(it.tables.contrasts.recall).slice(1), [['adv-over-cs', ['ml-cs+adv vs ml-cs']], ['adv-vs-zero-shot', ['adv vs zs']], ['cs-over-adv', ['ml-cs+adv vs adv']]]);
  assert.deepEqual(familyPairs(it.tables.contrasts.rr), familyPairs(it.tables.contrasts.recall));
  assert.deepEqual(it.tables.contrasts.recall.map((f) => f.test), it.tables.contrasts.recall.map(() => 'mcnemar'));
  assert.deepEqual(it.tables.contrasts.rr.map((f) => f.test), it.tables.contrasts.rr.map(() => 't'));
  // The CS probe at p = 1 switches every caption word the lexicons cover (all of them here).
  assert.equal(it.runs.find((r) => r.probe?.kind === 'cs' && r.probe.value === 1)!.notes.switchRatio, 1);
  assert.ok(it.models.every((m) => m.clip && m.lit && m.clip.pairs === 32));
  // The towers are in the output folder: a text tower per system and seed, an image tower per seed.
  for (const m of it.models) for (const f of [m.files.text, m.files.image]) assert.ok(existsSync(path.join(out, f)), f);
  assert.deepEqual(it.models.find((m) => m.system === 'ml-cs+adv' && m.seed === 2)!.files, { text: 'models/it-ml-cs+adv.s2.xde', image: 'models/it-clip.s2.xit' });
  for (const f of ['report.md', 'results.json', 'figures/it-r5-vs-cs-rate.svg', 'figures/it-r5-vs-eps.svg']) assert.ok(existsSync(path.join(out, f)), f);
  const report = readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.match(report, /^# Image–text retrieval$/m);
  assert.match(report, /The text half did not run \(config `halves`\)/);
  assert.match(report, /^## R@5, t2i: held-out$/m);
  assert.match(report, /^## MRR, i2t: seen-images$/m);
  assert.match(report, /^- \*\*ml-cs\+adv\*\* vs \*\*ml-cs\*\* across settings and directions \(adv-over-cs; holm within the family\): R@1: .*; R@5: .*; R@10: /m);
  assert.match(report, /^### ML-CS \+ ADV against ML-CS: .* — R@k$/m);
  assert.match(report, /^\| ml-cs\+adv vs ml-cs \| held-out\/ru † t2i \|/m);
  assert.match(report, /\| held-out\/ru † \|/);
  assert.match(report, /\| held-out\/en@b ‡ \|/);
  assert.match(report, /^\| it-train \| \d+\.\d \|$/m);
  // Robustness against the training ε, as the text half reports it (train-eps.ts): ε = 0 is zero-shot
  // for ADV and ML-CS for ML-CS + ADV; a value is the mean R@5 over the FGSM probe's ε > 0.
  assert.match(report, /^## Image–text: adversarial training strength$/m);
  for (const f of ['it-robustness-fgsm-vs-train-eps.svg', 'it-robustness-cs-vs-train-eps.svg', 'it-r5-by-setting-vs-train-eps-1.svg', 'it-r5-by-setting-vs-train-eps-2.svg'])
    assert.ok(existsSync(path.join(out, 'figures', f)), f);
  const robust = (system: string) => {
    const eps = config.imageText.probes.eps.filter((e) => e > 0);
    return eps.reduce((a, e) => a + it.tables.probes.recall.cells.find((c) => c.system === system && c.setting === `fgsm=${e}` && c.measure === 'R@5')!.mean, 0) / eps.length;
  };
  const section = report.slice(report.indexOf('## Image–text: adversarial training strength'));
  assert.ok(section.includes(`| 0 | ${robust('zs').toFixed(3)} | ${robust('ml-cs').toFixed(3)} |`), 'the ε = 0 row of the FGSM robustness table');
  assert.ok(section.includes(`| ${config.train.adv.eps} | ${robust('adv').toFixed(3)} | ${robust('ml-cs+adv').toFixed(3)} |`), 'the trained ε row of the FGSM robustness table');
});

test('the same configuration and seeds give the same image–text numbers (fresh cache)', async () => {
  const again = await runExperiment({ config, out: path.join(root, 'out2'), cache: path.join(root, 'cache2'), progress: false });
  assert.equal(again.steps.cached, 0);
  const numbers = (r: Results) => [r.imageText!.tables.main, r.imageText!.tables.probes].flatMap((t) => [...t.recall.cells, ...t.rr.cells].map((c) => [c.system, c.setting, c.measure, c.mean, c.test?.pAdjusted]));
  assert.deepEqual(numbers(again), numbers(first));
});

test('results.json (schema version 2) validates and carries the image–text per-query values', () => {
  const r = JSON.parse(readFileSync(path.join(root, 'out1', 'results.json'), 'utf8')) as Results;
  assert.equal(r.schemaVersion, RESULTS_SCHEMA_VERSION);
  const validate = validators().results;
  assert.ok(validate(r), JSON.stringify(validate.errors?.slice(0, 3)));
  // A system expanded from an ε sweep (the default plan's adv-fgsm-0.1) records its method, ε and sweep, as in the text half.
  const swept = structuredClone(r);
  Object.assign(swept.imageText!.systems.find((s) => s.id === 'adv')!, { id: 'adv-fgsm-0.1', adv: { method: 'fgsm', eps: 0.1 }, sweep: 'adv' });
  assert.ok(validate(swept), JSON.stringify(validate.errors?.slice(0, 3)));
  const broken = structuredClone(r) as unknown as { imageText: { runs: { directions: { t2i: Record<string, unknown> } }[] } };
  delete broken.imageText.runs[0]!.directions.t2i.perQuery;
  assert.equal(validate(broken), false);
});

test('the image–text contrast families in results.json are contrastStats of its stored per-query values', () => {
  const r = JSON.parse(readFileSync(path.join(root, 'out1', 'results.json'), 'utf8')) as Results;
  const it = r.imageText!;
  const typed = (t: TableStats): TableStats => ({ ...t, cells: t.cells.map((c) => ({ ...c, perQuery: Float64Array.from(c.perQuery) })) });
  const family = studyContrastFamilies(it.systems, it.tables.main.recall.baseline).find((f) => f.id === 'adv-over-cs')!;
  let tested = 0;
  for (const [stored, table] of [[it.tables.contrasts.recall, it.tables.main.recall], [it.tables.contrasts.rr, it.tables.main.rr]] as const) {
    const written = stored.find((f) => f.id === 'adv-over-cs')!;
    const again = contrastStats(typed(table), family);
    assert.ok(written.cells.length > 0 && written.cells.length === again.cells.length);
    const ps = (f: ContrastStats) => f.cells.map((c) => [c.system, c.reference, c.setting, c.measure, c.test.pValue, c.test.pAdjusted]);
    // As results.json stores them: an untested cell's NaN is written as null.
    assert.deepEqual(ps(written), JSON.parse(JSON.stringify(ps(again))));
    tested += written.cells.filter((c) => Number.isFinite(c.test.pValue)).length;
  }
  assert.ok(tested > 0, 'some adv-over-cs cell has a p-value');
  // The per-query values behind the cells are the runs' own: a cell's values are the seed average of its runs'.
  const cellOf = it.tables.main.rr.cells.find((c) => c.system === 'ml-cs+adv' && c.setting === 'held-out/de t2i')!;
  const runs = it.runs.filter((x) => x.system === 'ml-cs+adv' && x.setting === 'held-out/de' && x.probe === null);
  const avg = runs[0]!.directions.t2i!.perQuery.RR!.map((_, i) => runs.reduce((a, x) => a + x.directions.t2i!.perQuery.RR![i]!, 0) / runs.length);
  assert.deepEqual(cellOf.perQuery.map((v) => Number(v.toFixed(12))), avg.map((v) => Number(v.toFixed(12))));
});
