// The study cache survives crashes and damage: a killed step's temporary folder is removed once its
// process is gone, and an entry damaged on disk (a run that is no longer gzip, a truncated model) is
// detected by its checksums and recomputed with a warning, giving the same results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { entryProblem, ResultCache } from '../src/experiment/cache.js';
import { loadConfig } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/execute.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

test("a killed step's .tmp-PID folder is removed when that process is gone, not while it runs", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-cache-tmp-'));
  try {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = path.join(dir, 'runs', `0123456789abcdef01234567.tmp-${gone}-1@${hostname()}`);
    const staleOld = path.join(dir, 'runs', `0123456789abcdef01234567.tmp-${gone}`); // before shared caches: no host
    const live = path.join(dir, 'runs', `0123456789abcdef01234567.tmp-${process.pid}-7@${hostname()}`);
    // Another host's (a shard on another node of a shared file system): its process cannot be checked from here.
    const otherHost = path.join(dir, 'runs', `0123456789abcdef01234567.tmp-${gone}@another-node`);
    for (const d of [stale, staleOld, live, otherHost]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(path.join(d, 'run.trec.gz'), 'half');
    }
    const cache = new ResultCache(dir);
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(staleOld), false);
    assert.equal(existsSync(live), true);
    assert.equal(existsSync(otherHost), true);
    assert.deepEqual(cache.removeStaleTemporaries(), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two processes computing the same entry at once: the second to finish keeps the first one\'s', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-cache-race-'));
  try {
    const a = new ResultCache(dir);
    const b = new ResultCache(dir);
    const key = 'ab'.repeat(32);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // b starts first and is held until a has renamed its entry into place.
    const slow = b.ensure('runs', key, async (tmp) => {
      await gate;
      writeFileSync(path.join(tmp, 'x.txt'), 'same');
    });
    const fast = await a.ensure('runs', key, async (tmp) => writeFileSync(path.join(tmp, 'x.txt'), 'same'));
    const before = statSync(path.join(fast.path, 'x.txt')).ino;
    release();
    const second = await slow;
    assert.equal(second.path, fast.path);
    assert.equal(statSync(path.join(second.path, 'x.txt')).ino, before, "the first entry's file stays in place");
    assert.equal(b.has('runs', key), true);
    assert.deepEqual(readdirSync(path.join(dir, 'runs')), [key.slice(0, 24)], 'no temporary left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('entries carry checksums; a damaged or checksum-less entry is recomputed with a warning', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-cache-sum-'));
  try {
    const warnings: string[] = [];
    const cache = new ResultCache(dir, (m) => warnings.push(m));
    let makes = 0;
    const make = async (tmp: string) => {
      makes++;
      writeFileSync(path.join(tmp, 'a.txt'), 'hello');
    };
    const first = await cache.ensure('k', 'f'.repeat(64), make);
    assert.equal(entryProblem(first.path), null);
    assert.equal((await cache.ensure('k', 'f'.repeat(64), make)).cached, true);
    writeFileSync(path.join(first.path, 'a.txt'), 'jello');
    const again = await cache.ensure('k', 'f'.repeat(64), make);
    assert.equal(again.cached, false);
    assert.equal(readFileSync(path.join(first.path, 'a.txt'), 'utf8'), 'hello');
    rmSync(path.join(first.path, 'checksums.json'));
    await cache.ensure('k', 'f'.repeat(64), make);
    assert.equal(makes, 3);
    assert.deepEqual(warnings, [
      `cache entry ${first.path} has a.txt failing its SHA-256 check; recomputing it`,
      `cache entry ${first.path} has no checksums.json (written by an older xmrbench, or damaged); recomputing it`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a study whose cached run and model were damaged recomputes them and gives identical results', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-cache-damage-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const config = loadConfig({ overrides: { ...tinyConfig(dataset, lexicons), seeds: [3] } });
    const cache = path.join(root, 'cache');
    const before = await runExperiment({ config, out: path.join(root, 'a'), cache, progress: false });

    const firstEntry = (kind: string) => path.join(cache, kind, readdirSync(path.join(cache, kind)).sort()[0]!);
    const runEntry = firstEntry('runs');
    const runFile = path.join(runEntry, 'run.trec.gz');
    writeFileSync(runFile, Buffer.alloc(statSync(runFile).size, 0x2a)); // same size, not gzip
    const modelEntry = firstEntry('models');
    const modelFile = path.join(modelEntry, 'model.xde');
    const modelBytes = readFileSync(modelFile);
    truncateSync(modelFile, Math.floor(modelBytes.length / 2));

    const warnings: string[] = [];
    const after = await runExperiment({ config, out: path.join(root, 'b'), cache, progress: false, warn: (m) => warnings.push(m) });
    assert.deepEqual(warnings.sort(), [
      `cache entry ${modelEntry} has model.xde of ${Math.floor(modelBytes.length / 2)} bytes, expected ${modelBytes.length}; recomputing it`,
      `cache entry ${runEntry} has run.trec.gz failing its SHA-256 check; recomputing it`,
    ].sort());
    assert.equal(after.steps.cached, after.steps.total - 2);
    assert.deepEqual(readFileSync(modelFile), modelBytes, 'the retrained model is byte-identical');
    assert.deepEqual(after.runs, before.runs);
    assert.deepEqual(after.tables, before.tables);
    for (const kind of readdirSync(cache)) for (const e of readdirSync(path.join(cache, kind))) assert.equal(entryProblem(path.join(cache, kind, e)), null, `${kind}/${e}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
