// writeVec → readVec gives back the same words and the same float32 bits (extreme, tiny, negative and
// round values included), with the shortest decimal of 6 to 9 digits per float (numpy's float32 repr where that has ≥ 6 digits); writeVec refuses what the format cannot hold;
// readVec's errors name the file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randn } from '../src/random.js';
import { readVec, writeVec } from '../src/data/lexicons/vec.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-vec-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('writeVec → readVec is exact to the float32 bit', () => {
  const special = [0, -0, 1, -1, 0.1, 1e-45, -1.17549435e-38, 3.4028234663852886e38, 123456.7890625, 1 / 3, 100000, 1e-7];
  const dim = special.length;
  const vectors = new Float32Array(dim * 40);
  vectors.set(special);
  vectors.set(randn(dim * 39, 3).map((x) => x * 0.01), dim);
  const words = ['the', 'äpfel', '日本語', ...Array.from({ length: 37 }, (_, i) => `w${i}`)];
  const file = path.join(dir, 'a.vec');
  writeVec(file, { words, dim, vectors });
  const back = readVec(file);
  assert.deepEqual(back.words, words);
  assert.equal(back.dim, dim);
  assert.ok(Buffer.from(back.vectors.buffer, back.vectors.byteOffset, back.vectors.byteLength).equals(Buffer.from(vectors.buffer)), 'float32 bits differ');
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines[0], `40 ${dim}`);
  assert.equal(lines[1], 'the 0 -0 1 -1 0.1 1.4013e-45 -1.1754944e-38 3.4028235e+38 123456.79 0.33333334 100000 1e-7');
  assert.equal(lines.length, 42); // header, 40 rows, the final newline
});

test('writeVec refuses what a .vec file cannot hold', () => {
  const f = path.join(dir, 'bad.vec');
  assert.throws(() => writeVec(f, { words: ['a b'], dim: 1, vectors: new Float32Array(1) }), { name: 'RangeError', message: 'words[0] must be non-empty and without white space, got "a b"' });
  assert.throws(() => writeVec(f, { words: ['a'], dim: 2, vectors: new Float32Array(1) }), { name: 'RangeError', message: 'vectors.length (1) must be words.length × dim (1 × 2)' });
  assert.throws(() => writeVec(f, { words: ['a'], dim: 1, vectors: new Float32Array([NaN]) }), { name: 'RangeError', message: 'the vector of words[0] ("a") has a non-finite value: NaN' });
});

test('readVec errors name the file and line', () => {
  const f = path.join(dir, 'e.vec');
  const cases: [string, string][] = [
    ['2 3 4\na 1 2 3\n', `${f}:1: expected a "count dim" header`],
    ['2 0\na\n', `${f}:1: dim must be positive, got 0`],
    ['2 3\na 1 2 3\nb 1 2 3 4\n', `${f}:3: expected a word and 3 numbers, got 5 fields`],
    ['2 3\na 1 2 3\nb 1 Infinity 3\n', `${f}:3: not a number: "Infinity"`],
    ['3 2\na 1 2\nb 3 4\n', `${f}:4: the header announces 3 vectors, the file ends after 2`],
  ];
  for (const [text, message] of cases) {
    writeFileSync(f, text);
    assert.throws(() => readVec(f), { name: 'XmrError', code: 'E_PARSE', message });
  }
  writeFileSync(f, '3 2\na 1 2\nb 3 4\n');
  assert.deepEqual(readVec(f, 2).words, ['a', 'b'], 'a file cut after the asked-for words is fine');
});
