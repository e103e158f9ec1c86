/**
 * A full disk ends a writing command with a clear message naming the file, exit status 1, and no
 * partial output: every file goes through src/atomic-write.ts, whose temporary is removed when the
 * write fails, so the target is either absent or the whole previous file.
 *
 * Two simulations: a file-size limit (`ulimit -f`: the write gets EFBIG — Node ignores SIGXFSZ —
 * wherever a shell can set it, no privilege needed), and a 1 MiB tmpfs (ENOSPC, the real thing;
 * needs the right to mount, else skipped with a message).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

const BIN = fileURLToPath(new URL('../../bin/xmrbench.js', import.meta.url));

/** `xmrbench args` under `ulimit -f blocks` (blocks of 512 bytes in dash, 1024 in bash: both far below the outputs). */
function xmrbenchLimited(blocks: number, args: string[]) {
  return spawnSync('sh', ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, BIN, ...args], { encoding: 'utf8' });
}

const ulimitWorks = spawnSync('sh', ['-c', 'ulimit -f 2']).status === 0;
const noUlimit = ulimitWorks ? false : 'this shell cannot set a file-size limit (ulimit -f)';
const leftovers = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((p) => /\.tmp-\d+/.test(p));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a full disk (EFBIG) during `xmrbench search --out` names the run file and leaves nothing', { skip: noUlimit }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-full-search-'));
  try {
    const { dataset } = writeTinyDdtp(root);
    const out = path.join(root, 'out', 'bm25.trec');
    mkdirSync(path.dirname(out));
    const r = xmrbenchLimited(2, ['search', '--dataset', path.join(dataset, 'train'), '--split', 'train', '--out', out]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `xmrbench: ${out}: EFBIG: file too large, write\n`);
    assert.deepEqual(readdirSync(path.dirname(out)), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a full disk (EFBIG) during `xmrbench train` names the file and leaves no partial checkpoint', { skip: noUlimit }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-full-train-'));
  try {
    const { dataset } = writeTinyDdtp(root);
    const out = path.join(root, 'model', 'zs.xde');
    mkdirSync(path.dirname(out));
    const r = xmrbenchLimited(2, ['train', '--dataset', dataset, '--out', out, '--epochs', '2', '--batch', '16', '--dim', '16', '--threads', '1']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^xmrbench: ${escape(path.dirname(out))}/zs\\.xde(\\.vocab\\.txt)?: EFBIG: file too large, write\\n$`));
    assert.equal(existsSync(out), false);
    assert.deepEqual(leftovers(path.dirname(out)), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a full disk (EFBIG) during `xmrbench vocab` names tokenizer.json and leaves nothing', { skip: noUlimit }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-full-vocab-'));
  try {
    const { dataset } = writeTinyDdtp(root);
    const out = path.join(root, 'tok', 'tokenizer.json');
    mkdirSync(path.dirname(out));
    const r = xmrbenchLimited(2, ['vocab', '--in', path.join(dataset, 'en', 'corpus.jsonl'), '--out', out, '--min-frequency', '1']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `xmrbench: ${out}: EFBIG: file too large, write\n`);
    assert.deepEqual(readdirSync(path.dirname(out)), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a full disk (EFBIG) during `xmrbench experiment` names the file and leaves no partial cache entry or output', { skip: noUlimit }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-full-study-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const config = tinyConfig(dataset, lexicons);
    const configFile = path.join(root, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...config, systems: (config.systems as { id: string }[]).filter((s) => s.id === 'bm25' || s.id === 'zs'), seeds: [3] }));
    const cache = path.join(root, 'cache');
    const out = path.join(root, 'out');
    const r = xmrbenchLimited(2, ['experiment', '--config', configFile, '--out', out, '--cache', cache]);
    assert.equal(r.status, 1, r.stderr);
    // The file named is the one being written: inside the step's temporary entry folder, removed since.
    assert.match(r.stderr, new RegExp(`^xmrbench: ${escape(cache)}/vocab/[0-9a-f]+\\.tmp-\\d+-\\d+@[^/]+/vocab\\.txt: EFBIG: file too large, write\\n$`));
    assert.deepEqual(leftovers(cache), []);
    // No entry holds a partial file: every entry in the cache is complete (a failed one was never renamed in).
    for (const kind of readdirSync(cache)) assert.deepEqual(readdirSync(path.join(cache, kind)).filter((e) => !existsSync(path.join(cache, kind, e, 'checksums.json'))), [], kind);
    assert.equal(existsSync(path.join(out, 'results.json')), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a full tmpfs (ENOSPC) during `xmrbench search --out` names the run file and leaves the filesystem empty', (t) => {
  const mnt = mkdtempSync(path.join(tmpdir(), 'xmr-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]).status === 0;
  if (!mounted) {
    rmSync(mnt, { recursive: true, force: true });
    t.skip('cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)');
    return;
  }
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-full-tmpfs-'));
  try {
    // A run of ~4 MB: 1,000 queries × 100 documents.
    const ds = path.join(root, 'ds');
    mkdirSync(path.join(ds, 'qrels'), { recursive: true });
    const text = (i: number) => Array.from({ length: 8 }, (_, j) => `w${(i * 31 + j * 7) % 50}`).join(' ');
    writeFileSync(path.join(ds, 'corpus.jsonl'), Array.from({ length: 2000 }, (_, d) => JSON.stringify({ _id: `d${d}`, text: text(d) })).join('\n') + '\n');
    writeFileSync(path.join(ds, 'queries.jsonl'), Array.from({ length: 1000 }, (_, q) => JSON.stringify({ _id: `q${q}`, text: text(q * 3) })).join('\n') + '\n');
    writeFileSync(path.join(ds, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n' + Array.from({ length: 1000 }, (_, q) => `q${q}\td${q}\t1\n`).join(''));
    const out = path.join(mnt, 'bm25.trec');
    const r = spawnSync(process.execPath, [BIN, 'search', '--dataset', ds, '--out', out, '--k', '100', '--stemmer', 'none', '--stopwords', 'none'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `xmrbench: ${out}: ENOSPC: no space left on device, write\n`);
    assert.deepEqual(readdirSync(mnt), []);
  } finally {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});
