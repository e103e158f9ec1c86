/**
 * One trial of `xmrbench regress`: a fresh child process running a build's own
 * `bin/xmrbench.js bench <workload> --json` (one process per trial, as better-sqlite3's benchmark
 * does, so JIT state, heap layout and page cache of one trial never leak into the next), and the
 * measurements read back from its JSON: per driver, the median time of the process's samples.
 *
 * The child's median is the unit the decision works on: samples inside one process share its
 * layout and its neighbours' load, so pooling them would count one draw many times and make the
 * rank test raise false alarms.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import type { MachineStamp } from '../machine.js';
import { workloads } from '../registry.js';
import type { BenchResult } from '../workload.js';


export interface TrialResult {
  /** driver → the process's median time in ms */
  measurements: Record<string, number>;
  machine: MachineStamp | null;
  /** wall-clock seconds of the whole child process */
  seconds: number;
  /** the child's full JSON result (every figure and timing it reported) */
  result: BenchResult;
}

/** The CLI entry point of a build: DIR/bin/xmrbench.js, or a usage error naming DIR. */
export function entryPoint(dir: string, option: string): string {
  const bin = path.resolve(dir, 'bin', 'xmrbench.js');
  if (!existsSync(bin)) throw new XmrError('E_USAGE', `${option} ${dir}: no bin/xmrbench.js there (give a checkout or an installed package folder)`);
  return bin;
}

/**
 * Splits a workload command line on whitespace: `topk --docs 20000` → ['topk', '--docs', '20000'];
 * its first word must name a workload of the registry (src/bench/registry.ts).
 */
export function workloadArgs(workload: string): string[] {
  const args = workload.trim().split(/\s+/).filter((s) => s.length > 0);
  const names = workloads.map((w) => w.name);
  if (args.length === 0 || !names.includes(args[0]!)) {
    throw new XmrError('E_USAGE', `--workload ${JSON.stringify(workload)} must start with a bench workload: ${names.join(', ')}`);
  }
  return args;
}

/**
 * Per-driver median times of one bench result: each driver's `timing.p50Ms` (its `meanMs` where a
 * competitor timed itself without percentiles). Read defensively: the other build may be older.
 */
export function measurementsOf(result: BenchResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of Array.isArray(result.drivers) ? result.drivers : []) {
    const timing = d.timing as { p50Ms?: unknown; meanMs?: unknown } | undefined;
    const ms = typeof timing?.p50Ms === 'number' ? timing.p50Ms : timing?.meanMs;
    if (typeof d.driver === 'string' && typeof ms === 'number' && ms > 0) out[d.driver] = ms;
  }
  return out;
}

/** Runs one trial: `node BIN bench ARGS --json` in the build's folder. */
export function runTrial(bin: string, workload: string): Promise<TrialResult> {
  const args = [bin, 'bench', ...workloadArgs(workload), '--json'];
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: path.dirname(path.dirname(bin)), maxBuffer: 256 * 2 ** 20 }, (err, stdout, stderr) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (err) {
        reject(new XmrError('E_NATIVE', `bench ${workload} failed in ${path.dirname(path.dirname(bin))}: ${String(stderr).trim() || err.message}`));
        return;
      }
      let result: BenchResult;
      try {
        result = JSON.parse(String(stdout.slice(stdout.indexOf('{'))));
      } catch {
        reject(new XmrError('E_PARSE', `bench ${workload} in ${path.dirname(path.dirname(bin))} printed no JSON result`));
        return;
      }
      const measurements = measurementsOf(result);
      if (Object.keys(measurements).length === 0) {
        reject(new XmrError('E_PARSE', `bench ${workload} in ${path.dirname(path.dirname(bin))}: its result has no timed drivers`));
        return;
      }
      resolve({ measurements, machine: result.machine ?? null, seconds, result });
    });
  });
}
