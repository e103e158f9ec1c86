// Translate-Test: term-by-term translation into English with a reverse lexicon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translateTerms } from '../src/augment/translate-test.js';
import type { TranslateStats } from '../src/augment/translate-test.js';
import { readMuse } from '../src/data/lexicons/muse.js';

const LEX = fileURLToPath(new URL('../../datasets/lexicons/', import.meta.url));

test('known words are translated with their case; unknown words, numbers and punctuation stay', () => {
  const lex = new Map([['hund', 'dog'], ['haus', 'house'], ['das', 'the']]);
  const stats: TranslateStats = { tokens: 0, translated: 0 };
  assert.equal(translateTerms('Das Haus, der HUND (v2)!', lex, stats), 'The House, der DOG (v2)!');
  assert.deepEqual(stats, { tokens: 5, translated: 3 });
});

test('with the committed DE→EN lexicon a German synopsis moves towards English', () => {
  const de = readMuse(join(LEX, 'de-en.txt'));
  // Term by term, without morphology or word sense: "enthält" (an inflected verb) is missing and
  // "das"/"die" become "that" — the weakness of the baseline the paper reports.
  assert.equal(translateTerms('Das Paket enthält die Bibliothek für Benutzer', de), 'That Package enthält that Library for User');
  assert.equal(translateTerms('Netzwerk-Programm für Dateien', de), 'Network-Program for Files');
});

test('an empty lexicon is an error', () => {
  assert.throws(() => translateTerms('x', new Map()), { name: 'RangeError', message: 'lexicon is empty' });
});
