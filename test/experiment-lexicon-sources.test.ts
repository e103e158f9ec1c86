// The study's lexicon axis (issue 14): a code-switching system names its lexicon source (FreeDict,
// titles, CLWE), a folder under `lexicons`; the source goes into its training spec and the bytes of
// the files it reads into its models' keys (FreeDict systems keep the keys they had), a missing file
// stops the plan naming the file, the system and the command that builds it, the sources are compared
// in their own contrast family, and the report shows each source's size and BLI precision beside the
// retrieval effect of its systems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmrError } from '../src/errors.js';
import { expandSystems, loadConfig, studySystems, type StudySystem, type SystemConfig } from '../src/experiment/config.js';
import { studyContrastFamilies } from '../src/experiment/contrasts.js';
import { runExperiment } from '../src/experiment/execute.js';
import { lexiconSourcesSection, lexiconSourceSummaries, readBliReports } from '../src/experiment/lexicon-report.js';
import { buildPlan, type Step, type TrainInputs } from '../src/experiment/plan.js';
import { validators } from '../src/experiment/config-schema.js';
import { contrastStats, tableStats, type CellInput } from '../src/experiment/stats.js';
import { describeSystem, trainSpec } from '../src/experiment/systems.js';
import type { Results } from '../src/experiment/results.js';
import { rng } from '../src/random.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';
import { tinyImageTextConfig, writeTinyImageText } from './helpers/tiny-image-text.js';

const CLWE_FIXTURE = fileURLToPath(new URL('../../test/fixtures/lexicons-clwe/', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'xmr-lexicon-sources-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const { dataset, lexicons } = writeTinyDdtp(root);

/** A titles source of the tiny lexicons' even words only (w0, w2, …), same translations: half the coverage. */
function writeTitles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const lang of ['de', 'it']) writeFileSync(path.join(dir, `en-${lang}.txt`), Array.from({ length: 30 }, (_, i) => `w${2 * i} ${lang}w${2 * i}\n`).join(''));
}

const SYSTEMS: SystemConfig[] = [
  { id: 'zs', kind: 'zero-shot' },
  { id: 'bl-cs-de', kind: 'bl-cs', langs: ['de'] },
  { id: 'ml-cs', kind: 'ml-cs' },
  { id: 'ml-cs-titles', kind: 'ml-cs', lexicon: 'titles' },
];
const over = (extra: Record<string, unknown> = {}) => ({ ...tinyConfig(dataset, lexicons), systems: SYSTEMS, halves: ['text', 'image-text'], imageText: tinyImageTextConfig(path.join(root, 'image-text')), ...extra });
writeTinyImageText(root);

test('"freedict" is the default: left out of the validated config, the spec and the keys; describeSystem names each source', () => {
  const a = loadConfig({ overrides: over({ systems: [{ id: 'zs', kind: 'zero-shot' }, { id: 'ml-cs', kind: 'ml-cs', lexicon: 'freedict' }] }) });
  assert.deepEqual(a.systems[1], { id: 'ml-cs', kind: 'ml-cs' });
  assert.deepEqual(a.lexiconSources, { freedict: '.', titles: 'titles', clwe: 'clwe' });
  assert.deepEqual(trainSpec(a.systems[1] as StudySystem, a)!.cs, { mode: 'ml', langs: ['de', 'it'], p: 0.5 });
  const b = loadConfig({ overrides: over() });
  assert.deepEqual(trainSpec(b.systems[3] as StudySystem, b)!.cs, { mode: 'ml', langs: ['de', 'it'], p: 0.5, lexicon: 'titles' });
  assert.match(describeSystem(b.systems[2] as StudySystem, b), /ML-CS into de, it at p = 0\.5 with FreeDict lexicons$/);
  assert.match(describeSystem(b.systems[3] as StudySystem, b), /ML-CS into de, it at p = 0\.5 with titles lexicons \(Dice on aligned DDTP synopses\)$/);
});

test('the default plan adds ML-CS with titles; the full plan also BL-CS (de) with titles, and both with CLWE', () => {
  const ids = (plan: 'default' | 'full') => loadConfig({ plan }).systems.filter((s) => s.lexicon !== undefined).map((s) => `${s.id}:${s.kind}:${s.lexicon}:${s.langs ?? ''}`);
  assert.deepEqual(ids('default'), ['ml-cs-titles:ml-cs:titles:']);
  assert.deepEqual(ids('full'), ['bl-cs-de-titles:bl-cs:titles:de', 'ml-cs-titles:ml-cs:titles:', 'bl-cs-de-clwe:bl-cs:clwe:de', 'ml-cs-clwe:ml-cs:clwe:']);
});

test('a missing lexicon file stops the plan, naming the file, the system and the command that builds it', () => {
  const empty = path.join(root, 'no-clwe');
  mkdirSync(empty, { recursive: true });
  const systems = [...SYSTEMS.slice(0, 3), { id: 'ml-cs-clwe', kind: 'ml-cs', lexicon: 'clwe' }];
  const file = path.join(empty, 'en-de.txt');
  const expected = `${file}: no clwe lexicon en→de for system "ml-cs-clwe" (lexicon "clwe", lexiconSources.clwe); build it with \`xmrbench lexicon clwe --src-vec en.vec --tgt-vec de.vec --dictionary <FreeDict en-de.txt> --out ${file} --report en-de.bli.json\` on vectors from \`xmrbench embed train\``;
  // Either half plans the models, so either half checks.
  for (const halves of [['text'], ['image-text']]) {
    const config = loadConfig({ overrides: over({ systems, halves, lexiconSources: { clwe: empty } }) });
    assert.throws(() => buildPlan(config), (err: unknown) => err instanceof XmrError && err.code === 'E_MISSING' && err.message === expected, halves.join());
  }
  // A titles folder that lacks one language: the first missing file is named.
  const half = path.join(root, 'titles-de-only');
  mkdirSync(half, { recursive: true });
  writeFileSync(path.join(half, 'en-de.txt'), 'w0 dew0\n');
  const config = loadConfig({ overrides: over({ lexiconSources: { titles: half } }) });
  const it = path.join(half, 'en-it.txt');
  assert.throws(() => buildPlan(config), { message: `${it}: no titles lexicon en→it for system "ml-cs-titles" (lexicon "titles", lexiconSources.titles); build it with \`xmrbench lexicon titles --from ~/.cache/xmrbench/ddtp-apt/lists --lang it --out ${it}\`` });
});

test('keys: FreeDict systems keep theirs when sources are added; a source\'s bytes change only its own systems\' models', () => {
  const freedictOnly = loadConfig({ overrides: over({ systems: SYSTEMS.slice(0, 3) }) });
  const before = buildPlan(freedictOnly).steps.map((s) => s.cache.key);
  writeTitles(path.join(lexicons, 'titles'));
  const clwe = path.join(lexicons, 'clwe');
  mkdirSync(clwe, { recursive: true });
  writeFileSync(path.join(clwe, 'en-de.txt'), 'w1 dew1\n');
  // Subfolders of `lexicons` are not part of every key (only its own files are).
  assert.deepEqual(buildPlan(freedictOnly).steps.map((s) => s.cache.key), before);
  const config = loadConfig({ overrides: over() });
  const plan = buildPlan(config);
  const keys = new Set(plan.steps.map((s) => s.cache.key));
  for (const k of before) assert.ok(keys.has(k), 'a FreeDict step changed its key');
  const train = plan.steps.filter((s) => s.kind === 'train') as Step<TrainInputs>[];
  assert.deepEqual(train.map((s) => [s.inputs.system, s.inputs.spec.cs?.lexicon ?? null]), [['zs', null], ['zs', null], ['bl-cs-de', null], ['bl-cs-de', null], ['ml-cs', null], ['ml-cs', null], ['ml-cs-titles', 'titles'], ['ml-cs-titles', 'titles']]);
  const isTitles = (s: Step) => s.label.startsWith('ml-cs-titles ') || s.label.startsWith('LiT ml-cs-titles ');
  const keysOf = (p: typeof plan, titles: boolean) => p.steps.filter((s) => isTitles(s) === titles).map((s) => s.cache.key);
  // Other bytes in a titles file: every ml-cs-titles step (text models and runs, LiT models and runs) changes, nothing else.
  writeFileSync(path.join(lexicons, 'titles', 'en-it.txt'), 'w0 itw0\n');
  const changed = buildPlan(config);
  const titlesKeys = new Set(keysOf(plan, true));
  assert.equal(titlesKeys.size, 2 + 2 * 4 + 2 * 5 + 2 + 2 * 6 + 2 * 4, 'text: 2 models, 2 × 4 searches, 2 × 5 probes; image–text: 2 LiT, 2 × 6 evaluations, 2 × 4 probes');
  assert.equal(keysOf(changed, true).length, titlesKeys.size);
  for (const k of keysOf(changed, true)) assert.ok(!titlesKeys.has(k));
  assert.deepEqual(keysOf(changed, false), keysOf(plan, false));
  writeTitles(path.join(lexicons, 'titles'));
});

test('the lexicon-sources family: each source against the earlier sources of the same kind, languages and ε', () => {
  const entries: SystemConfig[] = [
    { id: 'zs', kind: 'zero-shot' },
    { id: 'bl-cs-de', kind: 'bl-cs', langs: ['de'] },
    { id: 'bl-cs-it-titles', kind: 'bl-cs', langs: ['it'], lexicon: 'titles' },
    { id: 'bl-cs-de-titles', kind: 'bl-cs', langs: ['de'], lexicon: 'titles' },
    { id: 'bl-cs-de-clwe', kind: 'bl-cs', langs: ['de'], lexicon: 'clwe' },
    { id: 'ml-cs', kind: 'ml-cs' },
    { id: 'ml-cs-titles', kind: 'ml-cs', lexicon: 'titles' },
    { id: 'ml-cs-clwe', kind: 'ml-cs', lexicon: 'clwe' },
    { id: 'ml-cs-de-it-clwe', kind: 'ml-cs', langs: ['de', 'it'], lexicon: 'clwe' },
    { id: 'mca', kind: 'ml-cs+adv', adv: { eps: [0.1] } },
    { id: 'mca-titles', kind: 'ml-cs+adv', lexicon: 'titles', adv: { eps: [0.1, 0.3] } },
    { id: 'tt-ml-cs-titles', kind: 'ml-cs', lexicon: 'titles', translateTest: true },
  ];
  const systems = expandSystems(entries, { method: 'fgsm', eps: 0.01 });
  const families = studyContrastFamilies(systems, 'zs');
  assert.deepEqual(families.map((f) => f.id), ['vs-zero-shot', 'adv-over-cs', 'lexicon-sources']);
  const family = families.find((f) => f.id === 'lexicon-sources')!;
  assert.deepEqual(family.contrasts.map((c) => `${c.system} vs ${c.reference}`), [
    'bl-cs-de-titles vs bl-cs-de',
    'bl-cs-de-clwe vs bl-cs-de',
    'bl-cs-de-clwe vs bl-cs-de-titles',
    'ml-cs-titles vs ml-cs',
    'ml-cs-clwe vs ml-cs',
    'ml-cs-clwe vs ml-cs-titles',
    'mca-titles-fgsm-0.1 vs mca-fgsm-0.1',
  ]);
  // ML-CS + ADV from titles is compared with ML-CS from titles, not with FreeDict's.
  assert.deepEqual(families.find((f) => f.id === 'adv-over-cs')!.contrasts.map((c) => `${c.system} vs ${c.reference}`), ['mca-fgsm-0.1 vs ml-cs', 'mca-titles-fgsm-0.1 vs ml-cs-titles', 'mca-titles-fgsm-0.3 vs ml-cs-titles']);
  // Every source's system is also tested against zero-shot.
  const vs = families[0]!.contrasts.map((c) => c.system);
  for (const id of ['bl-cs-de-titles', 'bl-cs-de-clwe', 'ml-cs-titles', 'ml-cs-clwe']) assert.ok(vs.includes(id), id);
});

test('bli.json: CSLS P@1 and P@5 of a `lexicon clwe` report, P@1 of a `lexicon bli` one; malformed reports are named by file and field', () => {
  const bli = readBliReports(path.join(CLWE_FIXTURE, 'bli.json'));
  assert.deepEqual([...bli], [['de', { retrieval: 'csls', p1: 0.41, p5: 0.63 }], ['it', { retrieval: 'lexicon', p1: 0.2, p5: null }]]);
  const bad = (content: unknown, message: string) => {
    const file = path.join(root, `bli-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(content));
    assert.throws(() => readBliReports(file), (err: unknown) => err instanceof XmrError && err.message === `${file}: ${message}`);
  };
  bad({ pair: 'en-de' }, 'the file must be an array, got an object');
  bad([{ pair: 'de-en', bli: {} }], '[0].pair must be "en-<language>", got "de-en"');
  bad([{ pair: 'en-de', bli: { csls: { p1: 41.2, p5: 60 } } }], '[0].bli.csls.p1 must be a number in [0, 1] (a fraction, not a percentage), got 41.2');
  bad([{ pair: 'en-de', bli: { nn: { p1: 0.1, p5: 0.2 } } }], '[0].bli.csls must be an object, got undefined');
  bad([{ pair: 'en-de' }], '[0].bli must be an object, got undefined');
  bad([{ pair: 'en-de', lexicon: 'x.txt', p1: -0.1 }], '[0].p1 must be a number in [0, 1] (a fraction, not a percentage), got -0.1');
});

test('the "lexicon sources" section: sizes, BLI (gold for FreeDict, — without a report) and each system\'s effect with its family\'s tests', () => {
  const config = loadConfig({ overrides: over({ systems: [...SYSTEMS, { id: 'ml-cs-clwe', kind: 'ml-cs', lexicon: 'clwe' }], lexiconSources: { clwe: CLWE_FIXTURE } }) });
  writeTitles(path.join(lexicons, 'titles'));
  const sources = lexiconSourceSummaries(config, studySystems(config));
  assert.deepEqual(sources.map((s) => [s.source, s.languages.map((l) => l.pairs), s.bliFile]), [['freedict', [60, 60], false], ['titles', [30, 30], false], ['clwe', [5, 5], true]]);
  // Per-query values: ML-CS from titles clearly better than from FreeDict; CLWE like FreeDict.
  const shift: Record<string, number> = { zs: 0, 'bl-cs-de': 0.1, 'ml-cs': 0.1, 'ml-cs-titles': 0.3, 'ml-cs-clwe': 0.1 };
  const u = rng(7);
  const inputs: CellInput[] = Object.keys(shift).flatMap((system) =>
    ['en-en', 'de-en'].map((setting) => ({ system, setting, queryIds: Array.from({ length: 20 }, (_, i) => `q${i}`), perSeed: new Map([['RR@10', [Float64Array.from({ length: 20 }, (_, i) => (i % 5) / 10 + shift[system]! + 0.002 * u())]]]) })),
  );
  const table = tableStats(inputs, ['RR@10'], { baseline: 'zs', test: 't', correction: 'holm', alpha: 0.05 });
  const families = studyContrastFamilies(studySystems(config), 'zs').map((f) => contrastStats(table, f));
  const md = lexiconSourcesSection('## Lexicon sources', sources, studySystems(config), families, 'RR@10').join('\n');
  assert.ok(md.startsWith('## Lexicon sources\n'));
  assert.match(md, /\n\| source \| folder \| pairs en-de \| pairs en-it \| BLI en-de \| BLI en-it \|\n/);
  assert.match(md, new RegExp(`\\n\\| freedict \\| \`${lexicons.replace(/[/\\]/g, '.')}\` \\| 60 \\| 60 \\| gold \\| gold \\|\\n`));
  assert.match(md, /\n\| titles \| `[^`]+` \| 30 \| 30 \| — \| — \|\n/);
  assert.match(md, /\n\| clwe \| `[^`]+` \| 5 \| 5 \| 41\.0 \/ 63\.0 \| 20\.0 \/ – \|\n/);
  assert.match(md, /\n\| ml-cs-titles \| titles \| ml-cs \| better in en-en, de-en \(mean Δ \+0\.300\) vs zs \| vs ml-cs: better in en-en, de-en \(mean Δ \+0\.200\) \|\n/);
  assert.match(md, /\n\| ml-cs-clwe \| clwe \| ml-cs \| better in en-en, de-en \(mean Δ \+0\.100\) vs zs \| vs ml-cs: no effect detected in any of 2 \(mean Δ [+-]0\.00\d\); vs ml-cs-titles: hurts in en-en, de-en \(mean Δ -0\.200\) \|\n/);
  assert.match(md, /\n\| bl-cs-de \| freedict \| bl-cs \(de\) \| better in en-en, de-en \(mean Δ \+0\.100\) vs zs \| – \|\n/);
  assert.doesNotMatch(md, /\| zs \|/);
});

test('end to end (both halves): the titles system trains and adapts with the titles lexicons; results and report carry the sources', async () => {
  writeTitles(path.join(lexicons, 'titles'));
  const config = loadConfig({ overrides: over({ seeds: [1], settings: [{ id: 'en-en', family: 'moir', queries: ['en'], docs: ['en'] }, { id: 'de-en', family: 'clir', queries: ['de'], docs: ['en'] }], probes: { csRates: [0.5], eps: [0], setting: 'en-en' }, imageText: { ...tinyImageTextConfig(path.join(root, 'image-text')), seeds: [1] } }) });
  const out = path.join(root, 'out');
  const r = await runExperiment({ config, out, cache: path.join(root, 'cache'), progress: false });
  // Half of the words have a titles translation: the realised switch ratio is about half FreeDict's, in training and in LiT.
  const ratio = (system: string) => r.models.find((m) => m.system === system)!.train!.switchRatio!;
  assert.ok(ratio('ml-cs-titles') < 0.75 * ratio('ml-cs') && ratio('ml-cs-titles') > 0.25 * ratio('ml-cs'), `${ratio('ml-cs-titles')} vs ${ratio('ml-cs')}`);
  const lit = (system: string) => r.imageText!.models.find((m) => m.system === system)!.lit!.switchRatio!;
  assert.ok(lit('ml-cs-titles') < 0.75 * lit('ml-cs') && lit('ml-cs-titles') > 0.25 * lit('ml-cs'), `${lit('ml-cs-titles')} vs ${lit('ml-cs')}`);
  assert.deepEqual(r.lexiconSources!.map((s) => [s.source, s.languages.map((l) => l.pairs)]), [['freedict', [60, 60]], ['titles', [30, 30]]]);
  assert.deepEqual(r.contrasts!.main.find((f) => f.id === 'lexicon-sources')!.cells.filter((c) => c.measure === 'RR@10').map((c) => `${c.system} vs ${c.reference} ${c.setting}`), ['ml-cs-titles vs ml-cs en-en', 'ml-cs-titles vs ml-cs de-en']);
  assert.ok(r.imageText!.tables.contrasts.recall.some((f) => f.id === 'lexicon-sources'));
  const written = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as Results;
  const validate = validators().results;
  assert.ok(validate(written), JSON.stringify(validate.errors?.slice(0, 3)));
  const report = readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.match(report, /\n## Lexicon sources\n/);
  assert.match(report, /\n## Image–text: lexicon sources\n/);
  assert.match(report, /\n- \*\*ml-cs-titles\*\*: dual encoder trained on English pairs; ML-CS into de, it at p = 0\.5 with titles lexicons/);
});
