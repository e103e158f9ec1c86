import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'xmrbench.js');

// A command's own `.check()` (here tokenize's "exactly one of --text and --in") is a usage error:
// one line on stderr and exit status 2, as for yargs' built-in checks — not an uncaught exception.
test('a failed .check() exits 2 with its message', () => {
  const r = spawnSync(process.execPath, [bin, 'tokenize', '--text', 'a', '--in', 'b'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'xmrbench: give exactly one of --text and --in\nRun with --help for usage.\n');
});

test('an unknown option exits 2 as well', () => {
  const r = spawnSync(process.execPath, [bin, 'tokenize', '--no-such-option', '--text', 'a'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^xmrbench: Unknown argument/);
});

test('eval names a misspelt measure before it reads any file', () => {
  const r = spawnSync(process.execPath, [bin, 'eval', '--qrels', 'no-such-qrels.txt', '--run', 'no-such-run.txt', '--metrics', 'nDCG@10,ndcg_cutt'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^xmrbench: unknown measure "ndcg_cutt"; known: /);
});

test('--version alone prints the package version and exits 0', () => {
  const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${(JSON.parse(readFileSync(path.join(path.dirname(bin), '..', 'package.json'), 'utf8')) as { version: string }).version}\n`);
});
