// MUSE-format lexicons: reading, writing, inverting, and the committed FreeDict lexicons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMuse, invertLexicon, parseMusePairs, readMuse, readMuseGold, writeMuse } from '../src/data/lexicons/muse.js';

const LEX = fileURLToPath(new URL('../../datasets/lexicons/', import.meta.url));

test('pairs are read in order; the first translation of a word wins; gold keeps them all', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-muse-'));
  try {
    const f = join(dir, 'en-de.txt');
    writeFileSync(f, 'dog hund\ndog köter\n\ncat\tkatze\n');
    assert.deepEqual([...readMuse(f)], [['dog', 'hund'], ['cat', 'katze']]);
    assert.deepEqual([...readMuseGold(f).get('dog')!], ['hund', 'köter']);
    writeMuse(join(dir, 'out.txt'), new Map([['zebra', 'zebra'], ['ant', 'ameise']]));
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'ant ameise\nzebra zebra\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad lexicons are rejected clearly', () => {
  assert.throws(() => parseMusePairs('dog hund\ndog\n', 'x.txt'), { name: 'XmrError', message: 'x.txt:2: expected "source target", got 1 fields' });
  assert.throws(() => parseMusePairs('\n  \n', 'x.txt'), { message: 'x.txt: lexicon has no pairs' });
  assert.throws(() => readMuse('/nonexistent/l.txt'), { message: '/nonexistent/l.txt: no such file' });
  assert.throws(() => writeMuse('/tmp/never.txt', new Map()), { message: '/tmp/never.txt: refusing to write an empty lexicon' });
});

test('inversion is deterministic: a shared target goes to the first source in code-unit order', () => {
  assert.deepEqual([...invertLexicon(new Map([['zz', 'a'], ['bb', 'a'], ['cc', 'c']]))], [['a', 'bb'], ['c', 'cc']]);
});

test('committed FreeDict lexicons: canonical, sizes and sanity words', () => {
  const sizes: Record<string, number> = { 'en-de': 92080, 'en-it': 3867, 'en-fr': 7066, 'en-ru': 1451, 'en-es': 4926 };
  for (const [name, n] of Object.entries(sizes)) {
    const text = readFileSync(join(LEX, `${name}.txt`), 'utf8');
    const lex = readMuse(join(LEX, `${name}.txt`));
    assert.equal(lex.size, n, name);
    assert.equal(formatMuse(lex), text, `${name} is sorted with one pair per word`);
  }
  const get = (name: string, w: string) => readMuse(join(LEX, `${name}.txt`)).get(w);
  assert.deepEqual(['dog', 'house', 'cat', 'tree'].map((w) => get('en-de', w)), ['hund', 'haus', 'katze', 'baum']);
  assert.deepEqual(['island', 'hotel'].map((w) => get('en-it', w)), ['isola', 'albergo']);
  assert.deepEqual(['cat', 'water'].map((w) => get('en-fr', w)), ['chat', 'eau']);
  assert.deepEqual(['doctor', 'moon'].map((w) => get('en-ru', w)), ['врач', 'луна']);
  assert.deepEqual(['dog', 'water', 'tree'].map((w) => get('en-es', w)), ['perro', 'agua', 'árbol']);
});
