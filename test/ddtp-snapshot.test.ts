// Invariants of the committed DDTP snapshot (datasets/ddtp-mini); needs no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readDdtpTexts } from '../src/data/ddtp/settings.js';

const DIR = fileURLToPath(new URL('../../datasets/ddtp-mini/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as {
  params: { langs: string[] };
  counts: { trainPairs: number; languages: Record<string, { corpus: number; queries: number }> };
};
const LANGS = manifest.params.langs;

function qrels(file: string): [string, string, string][] {
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines[0], 'query-id\tcorpus-id\tscore');
  assert.equal(lines.at(-1), '', `${file} ends with a newline`);
  return lines.slice(1, -1).map((l) => l.split('\t') as [string, string, string]);
}

test('the snapshot has the nine languages and a training set', () => {
  assert.deepEqual(LANGS, ['en', 'de', 'it', 'fr', 'ru', 'ja', 'es', 'pl', 'uk']);
  assert.deepEqual(readdirSync(DIR).sort(), [...LANGS, 'manifest.json', 'train'].sort());
});

test('every qrel points to an existing query and document, and counts match the manifest', () => {
  for (const lang of LANGS) {
    const qs = readDdtpTexts(DIR, lang, 'queries');
    const docs = readDdtpTexts(DIR, lang, 'corpus');
    const rel = qrels(join(DIR, lang, 'qrels', 'test.tsv'));
    assert.equal(rel.length, qs.size, `${lang}: one qrel per query`);
    for (const [q, d, s] of rel) {
      assert.ok(qs.has(q), `${lang}: query ${q} exists`);
      assert.ok(docs.has(d), `${lang}: document ${d} exists`);
      assert.equal(s, '1');
    }
    assert.equal(docs.size, manifest.counts.languages[lang]!.corpus);
    assert.equal(qs.size, manifest.counts.languages[lang]!.queries);
    for (const t of [...qs.values(), ...docs.values()]) assert.notEqual(t.trim(), '', `${lang}: no empty text`);
  }
  const tq = readDdtpTexts(DIR, 'train', 'queries');
  const td = readDdtpTexts(DIR, 'train', 'corpus');
  const tr = qrels(join(DIR, 'train', 'qrels', 'train.tsv'));
  assert.equal(tr.length, manifest.counts.trainPairs);
  for (const [q, d] of tr) assert.ok(tq.has(q) && td.has(d));
});

test('training shares no id and no text, in any language, with the test sets', () => {
  const trainTexts = new Set([...readDdtpTexts(DIR, 'train', 'queries').values(), ...readDdtpTexts(DIR, 'train', 'corpus').values()]);
  const trainIds = new Set(readDdtpTexts(DIR, 'train', 'corpus').keys());
  for (const lang of LANGS) {
    for (const kind of ['queries', 'corpus'] as const) {
      for (const [id, text] of readDdtpTexts(DIR, lang, kind)) {
        assert.ok(!trainIds.has(id), `${lang}/${kind}: ${id} is not a training id`);
        assert.ok(!trainTexts.has(text), `${lang}/${kind}: text of ${id} is not in training`);
      }
    }
  }
});

test('parallel query sets line up: ids are shared and every language has the English document', () => {
  const enQueries = readDdtpTexts(DIR, 'en', 'queries');
  const enDocs = readDdtpTexts(DIR, 'en', 'corpus');
  for (const lang of LANGS.slice(1)) {
    const qs = readDdtpTexts(DIR, lang, 'queries');
    const docs = readDdtpTexts(DIR, lang, 'corpus');
    for (const id of qs.keys()) {
      assert.ok(enQueries.has(id), `${lang}: ${id} has an English query`);
      assert.ok(enDocs.has(id), `${lang}: ${id} has an English document`);
    }
    for (const id of docs.keys()) assert.ok(enDocs.has(id), `${lang}: document ${id} is a translation of an English one`);
    // The texts are translations, not copies: most differ from the English.
    let same = 0;
    for (const [id, t] of qs) if (t === enQueries.get(id)) same++;
    assert.ok(same < qs.size * 0.05, `${lang}: ${same} of ${qs.size} queries equal the English`);
  }
});

test('files are canonical: fixed key order, titles empty, sorted qrels ids in file order', () => {
  for (const lang of [...LANGS, 'train']) {
    const corpus = readFileSync(join(DIR, lang, 'corpus.jsonl'), 'utf8');
    assert.ok(corpus.endsWith('\n') && !corpus.includes('\r'));
    for (const line of corpus.split('\n', 50).filter((l) => l !== '')) assert.match(line, /^\{"_id":"[0-9a-f]{32}","title":"","text":".*"\}$/);
    const queries = readFileSync(join(DIR, lang, 'queries.jsonl'), 'utf8');
    for (const line of queries.split('\n', 50).filter((l) => l !== '')) assert.match(line, /^\{"_id":"[0-9a-f]{32}","text":".*"\}$/);
  }
});
