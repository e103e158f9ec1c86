// A study killed with SIGKILL at random moments, then resumed, ends with the results.json of an
// uninterrupted run (timings and dates aside), with no damaged cache entry and no temporary folder left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { entryProblem } from '../src/experiment/cache.js';
import { rng } from '../src/random.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

const KILLS = 6;

/** results.json without what legitimately differs between runs: timings, dates, cache hits. */
function comparable(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'), (k, v: unknown) => (k === 'createdAt' || k === 'steps' || /seconds|PerSecond/i.test(k) ? undefined : v));
}

test(`a study killed ${KILLS} times with SIGKILL resumes to the uninterrupted results.json`, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-kill-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const configFile = path.join(root, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...tinyConfig(dataset, lexicons), seeds: [3] }));
    // The study in a child process, as `xmrbench experiment` runs it.
    const script = path.join(root, 'study.mjs');
    const mod = (rel: string) => JSON.stringify(new URL(rel, import.meta.url).href);
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
import { loadConfig } from ${mod('../src/experiment/config.js')};
import { runExperiment } from ${mod('../src/experiment/execute.js')};
const [config, out, cache] = process.argv.slice(2);
await runExperiment({ config: loadConfig({ overrides: JSON.parse(readFileSync(config, 'utf8')) }), out, cache, progress: false });
`,
    );
    const study = (out: string, cache: string, killAfterMs?: number) =>
      new Promise<{ code: number | null; signal: string | null; ms: number }>((resolve, reject) => {
        const started = Date.now();
        const child = spawn(process.execPath, [script, configFile, path.join(root, out), path.join(root, cache)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (code !== 0 && signal === null) reject(new Error(`study exited with ${code}: ${stderr}`));
          else resolve({ code, signal, ms: Date.now() - started });
        });
      });

    const reference = await study('ref', 'cache-ref');
    const u = rng(17);
    let killed = 0;
    let staleSeen = 0;
    const temporaries = () => readdirSync(path.join(root, 'cache'), { recursive: true }).filter((p) => /\.tmp-\d+(\.\d+)?(@.+)?$/.test(String(p))).length;
    // Kill points spread over the whole study: each attempt resumes the last one and is killed at a
    // random moment of the uninterrupted run's duration (late moments let a resumed child finish).
    for (let i = 0; i < KILLS; i++) {
      const r = await study('killed', 'cache', Math.round(reference.ms * (0.15 + 0.85 * u())));
      if (r.signal === 'SIGKILL') killed++;
      if (existsSync(path.join(root, 'cache'))) staleSeen += temporaries();
    }
    const final = await study('killed', 'cache');
    assert.equal(final.code, 0);
    assert.ok(killed >= KILLS / 2, `${killed} of ${KILLS} attempts were killed`);
    t.diagnostic(`${killed} SIGKILLs survived; ${staleSeen} temporary folders left by them were seen and cleaned; uninterrupted run ${reference.ms} ms`);
    assert.deepEqual(comparable(path.join(root, 'killed', 'results.json')), comparable(path.join(root, 'ref', 'results.json')));
    assert.equal(temporaries(), 0);
    const cache = path.join(root, 'cache');
    for (const kind of readdirSync(cache)) for (const e of readdirSync(path.join(cache, kind))) assert.equal(entryProblem(path.join(cache, kind, e)), null, `${kind}/${e}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
