// The word analysis of BM25: Unicode words, possessives, lowercasing, stopwords and stemmers by
// language, the named defaults, and the exact errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnalyzer, words, LUCENE_ENGLISH_STOPWORDS } from '../src/index.js';

test('words: Unicode letters, marks and digits; inner apostrophes and full stops join', () => {
  assert.deepEqual(words("Don't split U.S.A or libfoo.so; 3.14 — end."), ["Don't", 'split', 'U.S.A', 'or', 'libfoo.so', '3.14', 'end']);
  assert.deepEqual(words('usb-modeswitch snake_case Ärger naïve Москва'), ['usb', 'modeswitch', 'snake_case', 'Ärger', 'naïve', 'Москва']);
  assert.deepEqual(words('日本語のテキスト検索'), ['日', '本', '語', 'の', 'テキスト', '検', '索']);
  assert.deepEqual(words('  ...  '), []);
});

test("English default: Lucene's 33 stopwords, Porter stemming, possessives removed", () => {
  const a = createAnalyzer();
  assert.equal(a.language, 'en');
  assert.equal(a.stemmer, 'porter');
  assert.equal(a.stopwords, 'lucene');
  assert.equal(a.stopwordCount, 33);
  assert.equal(LUCENE_ENGLISH_STOPWORDS.size, 33);
  assert.deepEqual(a.analyze("The Library's connections are RUNNING into databases"), ['librari', 'connect', 'run', 'databas']);
});

test('other languages: no stopwords and the Snowball stemmer by default; none where Snowball has none', () => {
  const de = createAnalyzer({ language: 'de' });
  assert.equal(de.stemmer, 'snowball:german');
  assert.equal(de.stopwords, 'none');
  assert.deepEqual(de.analyze('Die schnellen Versionskontrollsysteme'), ['die', 'schnell', 'versionskontrollsystem']);
  const pl = createAnalyzer({ language: 'pl' });
  assert.equal(pl.stemmer, 'none');
  assert.deepEqual(pl.analyze('Szybkie Systemy'), ['szybkie', 'systemy']);
});

test('options: stemmer none/snowball, stopwords none/iso/custom', () => {
  assert.deepEqual(createAnalyzer({ stemmer: 'none', stopwords: 'none' }).analyze('The Running dogs'), ['the', 'running', 'dogs']);
  assert.equal(createAnalyzer({ stemmer: 'snowball' }).stemmer, 'snowball:english');
  assert.deepEqual(createAnalyzer({ stemmer: 'snowball' }).analyze('generously'), ['generous']);
  const iso = createAnalyzer({ language: 'de', stopwords: 'iso', stemmer: 'none' });
  assert.equal(iso.stopwords, 'iso:de');
  assert.deepEqual(iso.analyze('Die Katze und der Hund'), ['katze', 'hund']);
  const custom = createAnalyzer({ stopwords: ['Cat'], stemmer: 'none' });
  assert.equal(custom.stopwords, 'custom');
  assert.deepEqual(custom.analyze('the cat sat'), ['the', 'sat']);
});

const errors: [string, () => unknown, ErrorConstructor, string][] = [
  ['language', () => createAnalyzer({ language: 'English' }), TypeError, 'language must be an ISO 639 code like "en", got "English"'],
  ['stemmer', () => createAnalyzer({ stemmer: 'krovetz' as 'none' }), TypeError, `stemmer must be 'default', 'none', 'porter' or 'snowball', got "krovetz"`],
  ['snowball missing', () => createAnalyzer({ language: 'ja', stemmer: 'snowball' }), RangeError, `snowball-stemmers has no stemmer for language "ja"; use stemmer 'none'`],
  ['stopwords', () => createAnalyzer({ stopwords: 'all' as 'none' }), TypeError, `stopwords must be 'default', 'none', 'lucene', 'iso' or an array of strings, got "all"`],
  ['lucene list not English', () => createAnalyzer({ language: 'de', stopwords: 'lucene' }), RangeError, `stopwords 'lucene' is Lucene's English list; for language "de" use 'iso', 'none' or a list`],
  ['iso missing', () => createAnalyzer({ language: 'xx', stopwords: 'iso' }), RangeError, 'stopwords-iso has no list for language "xx"'],
  ['custom entry', () => createAnalyzer({ stopwords: ['a', 3 as unknown as string] }), TypeError, 'stopwords[1] must be a string, got number'],
  ['analyze non-string', () => createAnalyzer().analyze(5 as unknown as string), TypeError, 'text must be a string, got number'],
];
for (const [name, fn, type, message] of errors) {
  test(`analysis error: ${name}`, () => {
    assert.throws(fn, (err: unknown) => err instanceof type && (err as Error).message === message);
  });
}
