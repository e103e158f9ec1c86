// FreeDict (dictd) parsing and translation choice, on the committed excerpt of Debian's dictionaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeDictdNumber, readDictd } from '../src/data/lexicons/dictd.js';
import { freedictCandidates, freedictLexicon, parseFreedictEntry } from '../src/data/lexicons/freedict.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/freedict/', import.meta.url));
const cands = (name: string) => freedictCandidates(readDictd(join(FIX, `freedict-${name}`)));

test('dictd base64 numbers: A–Z a–z 0–9 + / , most significant digit first', () => {
  assert.equal(decodeDictdNumber('A'), 0);
  assert.equal(decodeDictdNumber('B'), 1);
  assert.equal(decodeDictdNumber('/'), 63);
  assert.equal(decodeDictdNumber('BA'), 64);
  assert.equal(decodeDictdNumber('SB4A'), ((18 * 64 + 1) * 64 + 56) * 64 + 0);
  assert.equal(decodeDictdNumber(''), -1);
  assert.equal(decodeDictdNumber('A=B'), -1);
});

test('the sanity words come out right', () => {
  const de = freedictLexicon(cands('eng-deu'), cands('deu-eng'));
  assert.equal(de.get('dog'), 'hund');
  assert.equal(de.get('house'), 'haus');
  assert.equal(de.get('cat'), 'katze');
  assert.equal(de.get('tree'), 'baum');
  const it = freedictLexicon(cands('eng-ita'), cands('ita-eng'));
  assert.equal(it.get('island'), 'isola');
  assert.equal(it.get('hotel'), 'albergo');
  const fr = freedictLexicon(cands('eng-fra'), cands('fra-eng'));
  assert.equal(fr.get('cat'), 'chat');
  assert.equal(fr.get('water'), 'eau');
  const ru = freedictLexicon(cands('eng-rus'));
  assert.equal(ru.get('doctor'), 'врач');
  assert.equal(ru.get('moon'), 'луна');
});

test('the first listed sense is not blindly taken', () => {
  const dog = cands('eng-deu').get('dog')!;
  assert.equal(dog[0]!.term, 'bandhaken', 'the dictionary lists the cooper\'s tool first');
  assert.equal(freedictCandidates(readDictd(join(FIX, 'freedict-eng-fra'))).get('cat')![0]!.term, 'mégère');
  // Without the reverse dictionary, eng-fra would pick its first sense; the round trip fixes it.
  assert.equal(freedictLexicon(cands('eng-fra')).get('cat'), 'mégère');
});

test('annotations are stripped and multi-word translations dropped', () => {
  const e = parseFreedictEntry('dog /dˈɒɡ/\nKlampe <fem>, Mitnehmer <neut> [techn.]\n   Synonyms: {cleat}\n      "a b"  - c d\n', 'dog');
  assert.deepEqual(e, { matches: true, ipa: 4, senses: [['Klampe', 'Mitnehmer']], examples: 1 });
  const f = parseFreedictEntry('cat /kæt/\n1. mégère, peau de vache, rosse\n2. chat\n', 'cat');
  assert.deepEqual(f.senses, [['mégère', 'peau de vache', 'rosse'], ['chat']]);
  assert.equal(parseFreedictEntry('computed axial tomography /x/ (CAT /kˈat/)\nCT\n', 'cat').matches, false);
  assert.ok(!cands('eng-fra').get('cat')!.some((c) => c.term.includes(' ')));
});

test('entries of compounds indexed under their first word lose to the word\'s own entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-fd-'));
  try {
    // As in eng-spa: "house of worship" is indexed under "house", its IPA betraying the compound.
    const bodies = ['house /hausɔfwəːʃip/\niglesia\n', 'house /haus/\ncasa\n'];
    const digit = (n: number) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[n]!; // lengths < 52 here
    const [a, b] = bodies.map((x) => Buffer.byteLength(x)) as [number, number];
    writeFileSync(join(dir, 'd.index'), `house\tA\t${digit(a)}\nhouse\t${digit(a)}\t${digit(b)}\n`);
    writeFileSync(join(dir, 'd.dict.dz'), gzipSync(bodies.join('')));
    const c = freedictCandidates(readDictd(join(dir, 'd')));
    assert.deepEqual(c.get('house')!.map((x) => [x.term, x.compound]), [['iglesia', true], ['casa', false]]);
    assert.equal(freedictLexicon(c).get('house'), 'casa');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input gives clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-fd-'));
  try {
    assert.throws(() => readDictd(join(dir, 'freedict-none')), { name: 'XmrError', message: `${join(dir, 'freedict-none')}.index: no such file` });
    const base = join(dir, 'freedict-eng-ita');
    copyFileSync(join(FIX, 'freedict-eng-ita.index'), `${base}.index`);
    assert.throws(() => readDictd(base), { message: `${base}.dict.dz: no such file` });
    writeFileSync(`${base}.dict.dz`, readFileSync(join(FIX, 'freedict-eng-ita.dict.dz')).subarray(0, 20));
    assert.throws(() => readDictd(base), { message: `${base}.dict.dz: not a valid dictzip (gzip) file: unexpected end of file` });
    copyFileSync(join(FIX, 'freedict-eng-ita.dict.dz'), `${base}.dict.dz`);
    writeFileSync(`${base}.index`, 'island\tA\t=\n');
    assert.throws(() => readDictd(base), { message: `${base}.index:1: offset and length must be dictd base64 numbers, got "A" "="` });
    writeFileSync(`${base}.index`, 'island\tA\tZZZ\n');
    assert.throws(() => readDictd(base), /index:1: entry ends at byte 104025, past the end of the dictionary/);
    writeFileSync(`${base}.index`, 'island A B\n');
    assert.throws(() => readDictd(base), { message: `${base}.index:1: expected 3 tab-separated fields, got 1` });
    writeFileSync(`${base}.index`, '');
    assert.throws(() => readDictd(base), { message: `${base}.index: no entries` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
