// Parsing Translation-<lang> indexes and the leak-free family split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTranslation } from '../src/data/ddtp/parse.js';
import { assignSplits, hash32, indexRecords, splitOf } from '../src/data/ddtp/split.js';
import { readIndex } from '../src/data/ddtp/fetch.js';
import { XmrError } from '../src/errors.js';

const DE = `Package: 0ad
Description-md5: d943033bedada21853d2ae54a2578a7b
Description-de: Echtzeit-Strategiespiel über antike Kriegsführung
 0 A.D. ist ein freies,   quelloffenes
 Echtzeit-Strategiespiel.
 .
 Zweiter Absatz.

Package: zsh
Description-md5: a129d6b2d23d2d5d3a6b822d3f8f856d
Description-de: Shell mit vielen Funktionen
`;

test('stanzas become records: synopsis, paragraphs joined by newlines, whitespace collapsed', () => {
  assert.deepEqual(parseTranslation(DE, 'de'), [
    {
      package: '0ad',
      md5: 'd943033bedada21853d2ae54a2578a7b',
      synopsis: 'Echtzeit-Strategiespiel über antike Kriegsführung',
      long: '0 A.D. ist ein freies, quelloffenes Echtzeit-Strategiespiel.\nZweiter Absatz.',
    },
    { package: 'zsh', md5: 'a129d6b2d23d2d5d3a6b822d3f8f856d', synopsis: 'Shell mit vielen Funktionen', long: '' },
  ]);
});

test('malformed stanzas are rejected with file and line', () => {
  assert.throws(() => parseTranslation(DE.replace('Description-de:', 'Description-fr:'), 'de', 'T-de'), {
    name: 'XmrError',
    message: 'T-de:3: expected Description-de, got Description-fr',
  });
  assert.throws(() => parseTranslation(DE.replace('a129d6b2d23d2d5d3a6b822d3f8f856d', 'xyz'), 'de', 'T-de'), {
    message: 'T-de:10: Description-md5 is not 32 hex digits: "xyz"',
  });
  assert.throws(() => parseTranslation('Package: a\nDescription-de: x\n', 'de', 'T-de'), { message: 'T-de:1: stanza lacks Description-md5' });
  assert.throws(() => parseTranslation('\n\n', 'de', 'T-de'), { message: 'T-de: no stanzas' });
  assert.throws(() => parseTranslation(DE, 'German'), RangeError);
});

test('readIndex reads plain or gzip indexes and explains a compressed one it cannot read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-ddtp-'));
  try {
    writeFileSync(join(dir, 'deb.debian.org_debian_dists_bookworm_main_i18n_Translation-de.gz'), gzipSync(DE));
    assert.equal(readIndex(dir, 'de').text, DE);
    writeFileSync(join(dir, 'x_dists_bookworm_main_i18n_Translation-it.lz4'), 'not lz4');
    assert.throws(() => readIndex(dir, 'it'), {
      message: `${dir}: no Translation-it index (found x_dists_bookworm_main_i18n_Translation-it.lz4: fetch uncompressed with -o Acquire::GzipIndexes=false)`,
    });
    writeFileSync(join(dir, 'Translation-fr.gz'), 'corrupt');
    assert.throws(() => readIndex(dir, 'fr'), (e: unknown) => e instanceof XmrError && e.code === 'E_PARSE' && /not a valid gzip file/.test(e.message));
    assert.throws(() => readIndex(join(dir, 'nope'), 'de'), { message: `${join(dir, 'nope')}: no such directory` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('split: a hash of the family key, documented bucket rule', () => {
  // sha256("a") = ca978112…: 0xca978112 = 3398926610, mod 100 = 10 < 50 → test;
  // sha256("b") = 3e23e816…: 0x3e23e816 = 1042540566, mod 100 = 66 → train.
  assert.equal(hash32('a'), 0xca978112);
  assert.equal(splitOf('a'), 'test');
  assert.equal(hash32('b'), 0x3e23e816);
  assert.equal(splitOf('b'), 'train');
});

test('families: descriptions sharing a text in any language, or a long first paragraph, share a split', () => {
  const para = 'A shared boilerplate first paragraph that is certainly longer than eighty characters in total.';
  const en = parseTranslation(
    [
      `Package: foo\nDescription-md5: ${'1'.repeat(32)}\nDescription-en: foo tool\n ${para}\n .\n The tool.\n`,
      `Package: foo-data\nDescription-md5: ${'2'.repeat(32)}\nDescription-en: foo tool (data)\n ${para}\n .\n The data.\n`,
      `Package: bar\nDescription-md5: ${'3'.repeat(32)}\nDescription-en: bar\n Bar.\n`,
      `Package: baz\nDescription-md5: ${'4'.repeat(32)}\nDescription-en: baz\n Baz.\n`,
    ].join('\n'),
    'en',
  );
  // In German, bar and baz happen to share their translation: that links them too.
  const de = parseTranslation(
    [`Package: bar\nDescription-md5: ${'3'.repeat(32)}\nDescription-de: gleich\n Gleich.\n`, `Package: baz\nDescription-md5: ${'4'.repeat(32)}\nDescription-de: gleich\n Anders.\n`].join('\n'),
    'de',
  );
  const { family, split } = assignSplits(new Map([['en', indexRecords(en)], ['de', indexRecords(de)]]));
  assert.equal(family.get('1'.repeat(32)), 'foo');
  assert.equal(family.get('2'.repeat(32)), 'foo');
  assert.equal(family.get('3'.repeat(32)), 'bar');
  assert.equal(family.get('4'.repeat(32)), 'bar');
  assert.equal(split.get('2'.repeat(32)), splitOf('foo'));
  assert.equal(split.get('4'.repeat(32)), splitOf('bar'));
});
