// A study killed with SIGKILL at 20 seeded moments spread over its plan, then resumed each time,
// ends with the results.json of an uninterrupted run (timings and dates aside), with no damaged
// cache entry and no temporary folder left.
//
// The kill points are placed on the plan, not on the clock (a clock is at the mercy of the machine's
// load): the child prints one progress line per finished step ("[n/N] …"), and kill i of K targets
// step boundary b_i = ⌈(i + u)·N/K⌉ (one draw per stratum, so the points are spread over the whole
// plan and ascend, each attempt getting further than the last). Even kills land exactly on the
// boundary (the next step's temporary folder just created); odd ones mid-step, a random fraction of
// that step's uninterrupted duration after it started; the last stratum includes N itself, a kill
// during scoring and report writing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { entryProblem } from '../src/experiment/cache.js';
import { rng } from '../src/random.js';
import { tinyConfig, writeTinyDdtp } from './helpers/tiny-ddtp.js';

const KILLS = 20;

/** results.json without what legitimately differs between runs: timings, dates, cache hits. */
function comparable(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'), (k, v: unknown) => (k === 'createdAt' || k === 'steps' || /seconds|PerSecond/i.test(k) ? undefined : v));
}

/** How an attempt is killed: when `boundary` steps have finished, after `delayMs` more (none: run to the end). */
interface KillPoint {
  boundary: number;
  delayMs: number;
}

interface Attempt {
  code: number | null;
  signal: string | null;
  ms: number;
  /** Milliseconds from spawn to each finished step's progress line, in order. */
  stepMs: number[];
}

test(`a study killed ${KILLS} times with SIGKILL at points spread over its plan resumes to the uninterrupted results.json`, async (t) => {
  const started = Date.now();
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-kill-'));
  try {
    const { dataset, lexicons } = writeTinyDdtp(root);
    const configFile = path.join(root, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...tinyConfig(dataset, lexicons), seeds: [3] }));
    // The study in a child process, as `xmrbench experiment` runs it, with its per-step progress lines.
    const script = path.join(root, 'study.mjs');
    const mod = (rel: string) => JSON.stringify(new URL(rel, import.meta.url).href);
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
import { loadConfig } from ${mod('../src/experiment/config.js')};
import { runExperiment } from ${mod('../src/experiment/execute.js')};
const [config, out, cache] = process.argv.slice(2);
await runExperiment({ config: loadConfig({ overrides: JSON.parse(readFileSync(config, 'utf8')) }), out, cache, progress: true });
`,
    );
    const study = (out: string, cache: string, kill?: KillPoint) =>
      new Promise<Attempt>((resolve, reject) => {
        const t0 = Date.now();
        const child = spawn(process.execPath, [script, configFile, path.join(root, out), path.join(root, cache)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        let timer: NodeJS.Timeout | undefined;
        const stepMs: number[] = [];
        const arm = () => {
          if (kill !== undefined && timer === undefined && stepMs.length >= kill.boundary) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
        };
        arm(); // boundary 0: the first step
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const lines = stderr.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l)).length;
          while (stepMs.length < lines) stepMs.push(Date.now() - t0);
          arm();
        });
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (code !== 0 && signal === null) reject(new Error(`study exited with ${code}: ${stderr}`));
          else resolve({ code, signal, ms: Date.now() - t0, stepMs });
        });
      });

    const reference = await study('ref', 'cache-ref');
    const steps = reference.stepMs.length;
    assert.ok(steps >= KILLS, `the tiny plan has ${steps} steps`);
    // Duration of step s (1-based) in the uninterrupted run; step N+1 is scoring and the report.
    const duration = (s: number) => (s <= steps ? reference.stepMs[s - 1]! - (reference.stepMs[s - 2] ?? 0) : reference.ms - reference.stepMs[steps - 1]!);
    const u = rng(17);
    const points: KillPoint[] = Array.from({ length: KILLS }, (_, i) => {
      const boundary = Math.min(steps, Math.ceil(((i + u()) * steps) / KILLS));
      return { boundary, delayMs: i % 2 === 0 ? 0 : Math.round(u() * duration(boundary + 1)) };
    });
    let killed = 0;
    let staleSeen = 0;
    let furthest = 0;
    const temporaries = () => readdirSync(path.join(root, 'cache'), { recursive: true }).filter((p) => /\.tmp-\d+(-\d+)?(@.+)?$/.test(String(p))).length;
    for (const p of points) {
      const r = await study('killed', 'cache', p);
      if (r.signal === 'SIGKILL') killed++;
      furthest = Math.max(furthest, r.stepMs.length);
      if (existsSync(path.join(root, 'cache'))) staleSeen += temporaries();
    }
    const final = await study('killed', 'cache');
    assert.equal(final.code, 0);
    // An attempt whose kill point lies after the study ended is not killed; the plan's points leave only the last few so.
    assert.ok(killed >= KILLS - 2, `${killed} of ${KILLS} attempts were killed`);
    assert.ok(furthest >= steps - 1, `the kills reached step ${furthest} of ${steps}`);
    t.diagnostic(
      `${killed} SIGKILLs survived at boundaries ${points.map((p) => `${p.boundary}${p.delayMs ? `+${p.delayMs}ms` : ''}`).join(' ')} of ${steps} steps; ` +
        `${staleSeen} temporary folders left by them were seen and cleaned; uninterrupted run ${reference.ms} ms; whole test ${Date.now() - started} ms`,
    );
    assert.deepEqual(comparable(path.join(root, 'killed', 'results.json')), comparable(path.join(root, 'ref', 'results.json')));
    assert.equal(temporaries(), 0);
    const cache = path.join(root, 'cache');
    for (const kind of readdirSync(cache)) for (const e of readdirSync(path.join(cache, kind))) assert.equal(entryProblem(path.join(cache, kind, e)), null, `${kind}/${e}`);
    // No `FILE.tmp-PID-N` left by a killed writer among the outputs either (the cache's are checked above).
    assert.deepEqual(readdirSync(path.join(root, 'killed'), { recursive: true }).filter((p) => /\.tmp-\d+/.test(String(p))), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
