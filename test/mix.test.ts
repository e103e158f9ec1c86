// Mixed-language (MLIR) sets and the DDTP evaluation settings (MoIR, CLIR, MLIR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mixLanguages } from '../src/augment/mix.js';
import { ddtpMixedSetting, ddtpSetting } from '../src/data/ddtp/settings.js';

const DIR = fileURLToPath(new URL('../../datasets/ddtp-mini/', import.meta.url));

const sets = new Map([
  ['de', new Map([['1', 'eins'], ['2', 'zwei'], ['3', 'drei']])],
  ['it', new Map([['1', 'uno'], ['2', 'due']])],
  ['fr', new Map([['1', 'un'], ['2', 'deux'], ['4', 'quatre']])],
]);

test('one language per id, drawn among the languages that have it, seeded and order-independent', () => {
  const a = mixLanguages(sets, { langs: ['de', 'it', 'fr'], seed: 5 });
  assert.deepEqual(a.map((r) => r._id), ['1', '2', '3', '4']);
  for (const r of a) assert.equal(sets.get(r.lang)!.get(r._id), r.text);
  assert.equal(a.find((r) => r._id === '3')!.lang, 'de');
  assert.equal(a.find((r) => r._id === '4')!.lang, 'fr');
  assert.deepEqual(mixLanguages(sets, { langs: ['de', 'it', 'fr'], seed: 5 }), a);
  const reordered = new Map([...sets].reverse().map(([l, m]) => [l, new Map([...m].reverse())]));
  assert.deepEqual(mixLanguages(reordered, { langs: ['de', 'it', 'fr'], seed: 5 }), a);
  assert.deepEqual(mixLanguages(sets, { langs: ['de', 'it', 'fr'], seed: 5, requireAll: true }).map((r) => r._id), ['1', '2']);
});

test('languages are drawn uniformly', () => {
  const big = new Map(['de', 'it', 'fr'].map((l) => [l, new Map(Array.from({ length: 9000 }, (_, i) => [`q${i}`, `${l}${i}`]))]));
  const counts: Record<string, number> = {};
  for (const r of mixLanguages(big, { langs: ['de', 'it', 'fr'], seed: 1 })) counts[r.lang] = (counts[r.lang] ?? 0) + 1;
  for (const l of ['de', 'it', 'fr']) assert.ok(Math.abs(counts[l]! - 3000) < 150, `${l}: ${counts[l]}`);
});

test('mixing rejects a missing language and bad seeds', () => {
  assert.throws(() => mixLanguages(sets, { langs: ['de', 'ru'], seed: 1 }), { name: 'XmrError', message: 'no set for language "ru"' });
  assert.throws(() => mixLanguages(sets, { langs: ['de'], seed: 1.5 }), { name: 'RangeError' });
});

test('DDTP settings: MoIR, CLIR both ways and MLIR on the committed snapshot', () => {
  const moir = ddtpSetting(DIR, 'de', 'de');
  assert.equal(moir.queries.length, 500);
  const clir = ddtpSetting(DIR, 'de', 'en');
  assert.equal(clir.queries.length, 500);
  assert.equal(clir.corpus.length, 5000);
  const enx = ddtpSetting(DIR, 'en', 'de');
  assert.ok(enx.queries.length >= 500 && enx.queries.every((q) => enx.qrels.get(q._id)!.has(q._id)));
  const docIds = new Set(enx.corpus.map((d) => d._id));
  assert.ok(enx.queries.every((q) => docIds.has(q._id)));
  const xy = ddtpSetting(DIR, 'it', 'fr');
  assert.ok(xy.queries.length > 0 && xy.queries.length <= 500);
  const mlir = ddtpMixedSetting(DIR, ['de', 'it', 'fr'], ['en', 'de', 'it', 'fr'], 9);
  const langs = new Set(mlir.corpus.map((d) => d.lang));
  assert.deepEqual([...langs].sort(), ['de', 'en', 'fr', 'it']);
  assert.equal(mlir.corpus.length, 5000, 'every English document appears once, in some language');
  assert.deepEqual(ddtpMixedSetting(DIR, ['de', 'it', 'fr'], ['en', 'de', 'it', 'fr'], 9), mlir);
});
