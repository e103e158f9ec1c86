// `xmrbench embed train`: a text file in, a .vec file out (most frequent word first, the summary line on
// stderr with sentences, tokens and vocabulary size), the same bytes for the same seed; usage errors exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVec } from '../src/data/lexicons/vec.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'xmrbench.js');
const xmrbench = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('embed train --text writes a .vec, most frequent first, reproducibly', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-embed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const text = path.join(dir, 'c.txt');
  writeFileSync(text, 'The cat sat.\nthe dog sat\n\nA cat, the end\n');
  const args = ['embed', 'train', '--text', text, '--dim', '8', '--epochs', '2', '--min-count', '2', '--sample', '0', '--threads', '2', '--seed', '3'];
  const a = xmrbench(...args, '--out', path.join(dir, 'a.vec'));
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stderr, /^embed: epoch 1\/2 {2}7 words \(7 after subsampling\) in [\d.]+ s: [\d,]+ words\/s$/m);
  assert.ok(a.stderr.endsWith(`embed: 3 sentences, 10 tokens, vocabulary 3 (min-count 2), 8 d → ${path.join(dir, 'a.vec')}\n`), a.stderr);
  assert.deepEqual(readVec(path.join(dir, 'a.vec')).words, ['the', 'cat', 'sat']);
  const b = xmrbench(...args, '--out', path.join(dir, 'b.vec'));
  assert.equal(b.status, 0, b.stderr);
  assert.ok(readFileSync(path.join(dir, 'a.vec')).equals(readFileSync(path.join(dir, 'b.vec'))));
});

test('embed train usage errors exit 2', () => {
  const r = xmrbench('embed', 'train', '--from', '/nowhere', '--out', 'x.vec');
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'xmrbench: --from needs --lang\nRun with --help for usage.\n');
  const s = xmrbench('embed', 'train', '--out', 'x.vec');
  assert.equal(s.status, 2, s.stderr);
  assert.equal(s.stderr, 'xmrbench: give --from (with --lang) or --text\nRun with --help for usage.\n');
});
