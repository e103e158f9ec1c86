// Configuration errors name the file and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/experiment/config.js';
import { XmrError } from '../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-config-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function fromFile(content: string): () => unknown {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  return () => loadConfig({ file });
}

const cases: [string, string, string][] = [
  ['an unknown field', '{"sedes": [1]}', 'sedes is not a known field (known: version, plan, dataset, lexicons, lexiconSources, languages, seeds, systems, settings, train, probes, mixSeed, k, test, correction, alpha, threads, halves, imageText)'],
  ['an image–text caption language that is neither seen nor unseen', '{"imageText": {"settings": [{"id": "held-out/en", "protocol": "held-out", "style": "noto", "captions": ["zh"]}]}}', 'imageText.settings[0].captions[0] "zh" is neither en nor in languages.seen or languages.unseen'],
  ['repeated image–text setting ids', '{"imageText": {"settings": [{"id": "held-out/en", "protocol": "held-out", "style": "noto", "captions": ["en"]}, {"id": "held-out/en", "protocol": "seen-images", "style": "noto", "captions": ["de"]}]}}', 'imageText.settings[1].id repeats "held-out/en"'],
  ['an image–text probe setting that does not exist', '{"imageText": {"probes": {"setting": "xx"}}}', 'imageText.probes.setting names no image–text setting ("xx")'],
  ['a patch that does not divide the image side', '{"imageText": {"tower": {"patch": 5}}}', 'imageText.tower.patch must divide imageText.side (32), got 5'],
  ['an unknown half', '{"halves": ["audio"]}', 'halves[0] must be one of text, image-text, got "audio"'],
  ['a negative seed', '{"seeds": [1, -1]}', 'seeds[1] must be in [0, 4294967295], got -1'],
  ['a fractional seed', '{"seeds": [1.5]}', 'seeds[0] must be an integer, got 1.5'],
  ['no seeds', '{"seeds": []}', 'seeds must have at least 1 element'],
  ['a bad system kind', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "x", "kind": "magic"}]}', 'systems[1].kind must be one of bm25, zero-shot, bl-cs, ml-cs, adv, ml-cs+adv, encoder, got "magic"'],
  ['a sweep on a system without adversarial training', '{"systems": [{"id": "zs", "kind": "zero-shot", "adv": {"eps": [0.1]}}]}', 'systems[0].adv applies to adv and ml-cs+adv only'],
  ['a negative training ε in a sweep', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "a", "kind": "adv", "adv": {"eps": [0.1, -1]}}]}', 'systems[1].adv.eps[1] must be in [0, 1000000], got -1'],
  ['an empty sweep', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "a", "kind": "adv", "adv": {"method": []}}]}', 'systems[1].adv.method must have at least 1 element'],
  ['a swept id that clashes', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "adv-fgsm-0.1", "kind": "adv"}, {"id": "adv", "kind": "adv", "adv": {"eps": [0.1]}}]}', 'systems[2].id repeats "adv-fgsm-0.1" (one of the training strengths it sweeps)'],
  ['an encoder without its kind', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "e5", "kind": "zero-shot", "encoder": {"onnx": "e5/"}}]}', 'systems[1].kind must be "encoder" when an encoder is given'],
  ['kind encoder without an encoder', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "e5", "kind": "encoder"}]}', 'systems[1].encoder is required for kind encoder'],
  ['an encoder without a model', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "e5", "kind": "encoder", "encoder": {"pooling": "cls"}}]}', 'systems[1].encoder.onnx must be a non-empty string, got undefined'],
  ['bl-cs with two languages', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "b", "kind": "bl-cs", "langs": ["de", "it"]}]}', 'systems[1].langs must name exactly one language for bl-cs'],
  ['an unseen language used in training', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "b", "kind": "bl-cs", "langs": ["ru"]}]}', 'systems[1].langs[0] "ru" is not in languages.seen'],
  ['no zero-shot baseline', '{"systems": [{"id": "bm25", "kind": "bm25"}]}', 'systems must include a zero-shot system without translateTest (the baseline of every test)'],
  ['repeated system ids', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "zs", "kind": "adv"}]}', 'systems[1].id repeats "zs"'],
  ['a probe setting that does not exist', '{"probes": {"setting": "xx-yy"}}', 'probes.setting names no setting ("xx-yy")'],
  ['a rate above 1', '{"train": {"csRate": 1.5}}', 'train.csRate must be in [0, 1], got 1.5'],
  ['a bad adversarial method', '{"train": {"adv": {"method": "cw"}}}', 'train.adv.method must be one of fgsm, l2, pgd, got "cw"'],
  ['a bad language code', '{"languages": {"seen": ["German"]}}', 'languages.seen[0] must be a language code like "de", got "German"'],
  ['a language both seen and unseen', '{"languages": {"unseen": ["de"]}}', 'languages.unseen[0] "de" is also in languages.seen'],
  ['a bad test', '{"test": "anova"}', 'test must be one of t, wilcoxon, randomization, got "anova"'],
  ['a lexicon source on a system without code-switching', '{"systems": [{"id": "zs", "kind": "zero-shot", "lexicon": "titles"}]}', 'systems[0].lexicon applies to bl-cs, ml-cs and ml-cs+adv only'],
  ['an unknown lexicon source', '{"systems": [{"id": "zs", "kind": "zero-shot"}, {"id": "m", "kind": "ml-cs", "lexicon": "wiki"}]}', 'systems[1].lexicon must be one of freedict, titles, clwe, got "wiki"'],
  ['an unknown field of lexiconSources', '{"lexiconSources": {"wiki": "wiki"}}', 'lexiconSources.wiki is not a known field (known: freedict, titles, clwe)'],
  ['an empty lexicon source folder', '{"lexiconSources": {"titles": ""}}', 'lexiconSources.titles must be a non-empty string, got ""'],
];

for (const [what, json, message] of cases) {
  test(`config error: ${what}`, () => {
    assert.throws(fromFile(json), (err: unknown) => err instanceof XmrError && err.code === 'E_CONFIG' && err.message.endsWith(`: ${message}`) && err.message.startsWith(dir));
  });
}

test('invalid JSON names the file', () => {
  assert.throws(fromFile('{"seeds": [1,'), (err: unknown) => err instanceof XmrError && err.code === 'E_PARSE' && err.message.startsWith(dir) && /invalid JSON/.test(err.message));
});

test('a missing file is named', () => {
  assert.throws(() => loadConfig({ file: path.join(dir, 'nope.json') }), (err: unknown) => err instanceof XmrError && err.code === 'E_MISSING' && err.message.includes('nope.json'));
});

test('the plans validate and differ in size', () => {
  const d = loadConfig({ plan: 'default' });
  const f = loadConfig({ plan: 'full' });
  assert.ok(f.settings.length > d.settings.length && f.seeds.length > d.seeds.length && f.systems.length > d.systems.length);
  assert.ok(d.languages.unseen.length > 0);
  assert.ok(d.settings.some((s) => s.queries.some((l) => d.languages.unseen.includes(l))), 'an unseen language is evaluated');
});
