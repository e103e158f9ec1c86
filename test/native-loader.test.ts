// src/native.ts: a missing or stale addon is an error that says what to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, appendFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAddon, packageRoot } from '../src/native.js';
import { XmrError } from '../src/errors.js';

test('the built addon loads and matches the sources it was built from', () => {
  const addon = loadAddon(packageRoot);
  assert.match(addon.sourceFingerprint, /^[0-9a-f]{64}$/);
});

test('a missing addon names the file and the command to run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-missing-'));
  try {
    assert.throws(() => loadAddon(dir), (err: unknown) =>
      err instanceof XmrError && err.code === 'E_NATIVE' &&
      err.message === `the native addon ${path.join(dir, 'build', 'Release', 'xmrbench.node')} is missing. Build it with \`npm run build\` in ${dir} (needs cmake ≥ 3.16 and a C++17 compiler), or reinstall with \`npm ci\`.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an addon built from other sources is reported stale', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-stale-'));
  try {
    cpSync(path.join(packageRoot, 'native'), path.join(dir, 'native'), { recursive: true });
    mkdirSync(path.join(dir, 'build'));
    symlinkSync(path.join(packageRoot, 'build', 'Release'), path.join(dir, 'build', 'Release'));
    appendFileSync(path.join(dir, 'native', 'src', 'cpu.cc'), '\n// edited\n');
    assert.throws(() => loadAddon(dir), (err: unknown) =>
      err instanceof XmrError && err.code === 'E_NATIVE' && err.message.includes('is stale') && err.message.includes(`\`npm run build\` in ${dir}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
