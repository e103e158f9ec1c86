// The embedding corpus of a language is its DDTP text from TRAIN families only (the committed datasets'
// split): a description in a test family never contributes, not even through a translation that
// shares text with it; sentences are the synopsis and each long-description paragraph, tokenised and
// lower-cased as code-switching looks words up. Also the plain-text input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DDTP_LANGS } from '../src/data/ddtp/build.js';
import { splitOf } from '../src/data/ddtp/split.js';
import { ddtpSentences, textFileSentences } from '../src/wordvec/corpus.js';

const md5 = (c: string): string => c.repeat(32);
const stanza = (pkg: string, m: string, lang: string, synopsis: string, long: string[]): string =>
  `Package: ${pkg}\nDescription-md5: ${m}\nDescription-${lang}: ${synopsis}\n${long.map((l) => ` ${l}`).join('\n .\n')}${long.length ? '\n' : ''}`;

test('ddtpSentences: train families only, synopsis and paragraphs, lower-cased word tokens', (t) => {
  // ddtp-parse.test.ts pins a and b; b-dev is a train family of its own.
  assert.equal(splitOf('a'), 'test');
  assert.equal(splitOf('b'), 'train');
  assert.equal(splitOf('b-dev'), 'train');
  assert.equal(splitOf('b-extra'), 'train');
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-wordvec-ddtp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const en = [
    stanza('a', md5('1'), 'en', 'secret test synopsis', ['Secret test text.']),
    stanza('b', md5('2'), 'en', 'train synopsis', ['Train text.']),
    stanza('b-dev', md5('3'), 'en', 'train data', ['More train text.']),
    // alone it would be a train family ("b-extra" sorts after "b"), but its German synopsis equals a's
    stanza('b-extra', md5('4'), 'en', 'extra', ['Extra text.']),
  ];
  const de = [
    stanza('a', md5('1'), 'de', 'Geheimer Test', ['Geheimer Text.']),
    stanza('b', md5('2'), 'de', 'Zug-Übersicht fährt SCHNELL', ['Erster Absatz, mit 3 Wörtern.', 'Zweiter Absatz.']),
    stanza('b-dev', md5('3'), 'de', 'Daten', []),
    stanza('b-extra', md5('4'), 'de', 'Geheimer Test', ['Auch geheim.']),
    stanza('gone', md5('9'), 'de', 'Verwaist', ['Ohne englisches Original.']),
  ];
  writeFileSync(path.join(dir, 'Translation-en'), en.join('\n'));
  writeFileSync(path.join(dir, 'Translation-de'), de.join('\n'));
  for (const lang of DDTP_LANGS.filter((l) => l !== 'en' && l !== 'de')) writeFileSync(path.join(dir, `Translation-${lang}`), stanza('z', md5('f'), lang, 'x', []));
  assert.deepEqual(ddtpSentences(dir, 'de'), [
    ['zug', 'übersicht', 'fährt', 'schnell'],
    ['erster', 'absatz', 'mit', '3', 'wörtern'],
    ['zweiter', 'absatz'],
    ['daten'],
  ]);
  assert.deepEqual(ddtpSentences(dir, 'en'), [['train', 'synopsis'], ['train', 'text'], ['train', 'data'], ['more', 'train', 'text']]);
});

test('textFileSentences: one sentence per line, empty lines dropped', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-wordvec-text-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'c.txt');
  writeFileSync(f, 'Hello, World!\n\n  -- \nÉcole  Nº5\n');
  assert.deepEqual(textFileSentences(f), [['hello', 'world'], ['école', 'nº5']]);
  assert.throws(() => textFileSentences(path.join(dir, 'none.txt')), { name: 'XmrError', message: `${path.join(dir, 'none.txt')}: no such file` });
});
