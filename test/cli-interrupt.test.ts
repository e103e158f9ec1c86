/**
 * Ctrl-C (SIGINT) during the long commands (src/cli/interrupt.ts): `train` and `experiment` stop at
 * their next chunk of steps or step, keep what is complete (the checkpoint, the finished cache
 * entries), leave no temporary file, say how to resume and exit with status 130; resuming completes.
 * `search` stops at once and leaves nothing; a process stopped while async native work runs ends
 * without waiting for it and without a crash.
 * The time bound (5 s from the signal to the exit) is a check that the command does stop, not a
 * speed claim: the stop itself is designed to take at most GRACE_MS (1 s) plus the exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryProblem } from '../src/experiment/cache.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

const BIN = fileURLToPath(new URL('../../bin/xmrbench.js', import.meta.url));
const STOP_BOUND_MS = 5000;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the SIGINT to the exit (undefined: none was sent). */
  stopMs?: number;
}

/**
 * Runs `node args`; sends SIGINT once `ready(stderr, pid)` holds, checked on each chunk of stderr
 * and every 20 ms.
 */
function runInterrupted(args: string[], ready?: (stderr: string, pid: number) => boolean): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt: number | undefined;
    const check = () => {
      if (sentAt !== undefined || child.exitCode !== null || ready === undefined || !ready(stderr, child.pid!)) return;
      sentAt = Date.now();
      child.kill('SIGINT');
    };
    const timer = setInterval(check, 20);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      check();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout, stderr, ...(sentAt === undefined ? {} : { stopMs: Date.now() - sentAt }) });
    });
  });
}

/** The files process `pid` has open (Linux: /proc/PID/fd); [] once it has exited. */
function openFiles(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

const temporaries = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((p) => /\.tmp-\d+/.test(p));

test('Ctrl-C during `xmrbench train` keeps the checkpoint, says how to resume, exits 130; --resume finishes', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-int-train-'));
  try {
    const { dataset } = writeTinyDdtp(root);
    const out = path.join(root, 'model', 'zs.xde');
    mkdirSync(path.dirname(out));
    const args = (epochs: number) => [BIN, 'train', '--dataset', dataset, '--out', out, '--epochs', String(epochs), '--batch', '16', '--dim', '16', '--threads', '1', '--max-length', '16'];
    const r = await runInterrupted(args(3000), (e) => /^epoch 2\//m.test(e));
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.stopMs! < STOP_BOUND_MS, `stopped ${r.stopMs} ms after SIGINT`);
    t.diagnostic(`stopped ${r.stopMs} ms after SIGINT`);
    assert.match(r.stdout, /^stopped: .*zs\.xde \(\d+ epochs, \d+ steps/m);
    assert.match(r.stderr, new RegExp(`\\nxmrbench: interrupted; run the same command with --resume to continue from the checkpoint ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    assert.ok(existsSync(out), 'the checkpoint was written');
    assert.deepEqual(temporaries(path.dirname(out)), []);
    const stoppedAt = Number(/\((\d+) epochs/.exec(r.stdout)![1]);
    const resumed = await runInterrupted([...args(stoppedAt + 2), '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`^trained: .*zs\\.xde \\(${stoppedAt + 2} epochs, ${(stoppedAt + 2) * 6} steps`, 'm'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('Ctrl-C during `xmrbench experiment` keeps finished steps, removes the step in flight, exits 130; the same command resumes', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-int-study-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const configFile = path.join(root, 'config.json');
    // Long training steps (many epochs), so the signal lands in one: it must stop at its next chunk.
    const config = tinyConfig(dataset, lexicons);
    const systems = (config.systems as { id: string }[]).filter((x) => x.id === 'bm25' || x.id === 'zs');
    const settings = (config.settings as { id: string }[]).filter((x) => x.id === 'en-en');
    writeFileSync(configFile, JSON.stringify({ ...config, systems, settings, seeds: [3], train: { ...(config.train as object), epochs: 300 } }));
    const cache = path.join(root, 'cache');
    const args = [BIN, 'experiment', '--config', configFile, '--out', path.join(root, 'out'), '--cache', cache];
    // Step 1 is the vocabulary, step 2 the first training: signal once step 1 has finished.
    const r = await runInterrupted(args, (e) => /^\[1\/\d+\] /m.test(e));
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.stopMs! < STOP_BOUND_MS, `stopped ${r.stopMs} ms after SIGINT`);
    t.diagnostic(`stopped ${r.stopMs} ms after SIGINT`);
    assert.match(r.stderr, /\nxmrbench: interrupted after 1 of \d+ steps; run the same command again to resume \(finished steps are cached\)\n$/);
    assert.deepEqual(temporaries(cache), []);
    const entries = readdirSync(cache).flatMap((kind) => readdirSync(path.join(cache, kind)).map((e) => path.join(cache, kind, e)));
    assert.equal(entries.length, 1, entries.join(', '));
    assert.equal(entryProblem(entries[0]!), null);
    assert.equal(existsSync(path.join(root, 'out', 'results.json')), false);
    const resumed = await runInterrupted(args);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /^\[1\/\d+\] .*\(cached\)/m);
    assert.ok(existsSync(path.join(root, 'out', 'results.json')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('Ctrl-C during `xmrbench search` stops at once while indexing or searching, writes nothing, ends by SIGINT (shell status 130)', { skip: existsSync('/proc/self/fd') ? false : 'needs /proc/PID/fd to see when the dataset has been read' }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-int-search-'));
  try {
    // A corpus whose search takes seconds: 60,000 documents of 12 words, 30,000 queries.
    const ds = path.join(root, 'ds');
    mkdirSync(path.join(ds, 'qrels'), { recursive: true });
    const word = (i: number) => `w${(i * 2654435761) % 5000}`;
    writeFileSync(path.join(ds, 'corpus.jsonl'), Array.from({ length: 60000 }, (_, d) => JSON.stringify({ _id: `d${d}`, text: Array.from({ length: 12 }, (_, j) => word(d * 12 + j)).join(' ') })).join('\n') + '\n');
    writeFileSync(path.join(ds, 'queries.jsonl'), Array.from({ length: 30000 }, (_, q) => JSON.stringify({ _id: `q${q}`, text: `${word(q * 7)} ${word(q * 7 + 1)} ${word(q * 7 + 3)}` })).join('\n') + '\n');
    writeFileSync(path.join(ds, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n' + Array.from({ length: 30000 }, (_, q) => `q${q}\td${q}\t1\n`).join(''));
    const out = path.join(root, 'run', 'bm25.trec');
    mkdirSync(path.dirname(out));
    // The signal lands once the dataset has been read (its files were open and are closed again):
    // while the index is built or the queries are searched (native, async).
    let opened = false;
    const ready = (_: string, pid: number) => {
      const reading = openFiles(pid).some((f) => f.startsWith(ds));
      opened ||= reading;
      return opened && !reading;
    };
    const r = await runInterrupted([BIN, 'search', '--dataset', ds, '--out', out, '--threads', '1', '--language', 'en', '--stemmer', 'none', '--stopwords', 'none'], ready);
    assert.ok(r.stopMs !== undefined, `the search ended before the signal: ${r.stdout}`);
    assert.equal(r.signal, 'SIGINT', `${r.code} ${r.stderr}`);
    assert.ok(r.stopMs < STOP_BOUND_MS, `stopped ${r.stopMs} ms after SIGINT`);
    t.diagnostic(`stopped ${r.stopMs} ms after SIGINT`);
    // Before the run is written, Ctrl-C keeps its default action (no handler to wait for): no message.
    assert.equal(r.stderr, '');
    assert.deepEqual(readdirSync(path.dirname(out)), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a process stopped by Ctrl-C while an async native call runs ends at once, without a crash', async (t) => {
  // The second stage of src/cli/interrupt.ts with a top-k search of seconds in flight: process.exit
  // would wait for it (the thread pool is joined at exit); the re-raised SIGINT does not.
  const interrupt = JSON.stringify(new URL('../src/cli/interrupt.js', import.meta.url).href);
  const nativeJs = JSON.stringify(new URL('../src/native.js', import.meta.url).href);
  const script = `
    const { onInterrupt } = await import(${interrupt});
    const { native } = await import(${nativeJs});
    onInterrupt('nothing to resume', 0);
    const dim = 256, docs = new Float32Array(100000 * dim).fill(0.5), q = new Float32Array(4000 * dim).fill(0.25);
    native().topk(q, docs, dim, 10, 'ip', 1, 'auto').then(() => console.log('finished'));
    process.stderr.write('busy\\n');`;
  const r = await runInterrupted(['--input-type=module', '-e', script], (e) => e.includes('busy\n'));
  assert.equal(r.signal, 'SIGINT', `${r.code} ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'busy\n\nxmrbench: interrupted; nothing to resume\n');
  assert.ok(r.stopMs! < STOP_BOUND_MS, `stopped ${r.stopMs} ms after SIGINT`);
  t.diagnostic(`stopped ${r.stopMs} ms after SIGINT`);
});
