/**
 * Workload `topk`: exact top-k inner-product search on random float32 data, timed side by side
 * for xmrbench (float32 and bf16 documents), the pure-TypeScript brute force, and — where Debian's
 * python3-faiss is installed — FAISS IndexFlatIP, with ratios. Correctness is checked first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toBf16, topKSync } from '../src/index.js';
import type { IsaName } from '../src/index.js';
import { bruteForceTopK } from '../src/search/brute-force.js';
import { randn } from '../src/random.js';
import { machineStamp } from '../src/bench/machine.js';
import { measure, type Timing } from './measure.js';

export interface TopKBenchOptions {
  docs: number;
  dim: number;
  queries: number;
  k: number;
  threads: number;
  isa: IsaName | 'auto';
  /** Queries the TypeScript baseline runs (it is timed per query). */
  baselineQueries: number;
  seed: number;
  timeMs: number;
}

interface DriverResult {
  driver: string;
  queriesPerSecond: number;
  gflops: number;
  timing: Timing | { samples: number; meanMs: number; minMs: number };
  note?: string;
}

const FAISS_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'faiss_topk.py');

function faissAvailable(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import faiss'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Same ranking on the first queries as the float64 reference (up to near-ties), or throws. */
function checkAgainstReference(q: Float32Array, d: Float32Array, o: TopKBenchOptions, got: Int32Array): void {
  const probe = Math.min(2, o.queries);
  const ref = bruteForceTopK(q.subarray(0, probe * o.dim), d, o.dim, o.k, 'ip');
  let agree = 0;
  for (let i = 0; i < probe * o.k; i++) if (ref.ids[i] === got[i]) agree++;
  if (agree < probe * o.k * 0.98) throw new Error(`topk disagrees with the reference on ${probe * o.k - agree} of ${probe * o.k} results`);
}

export async function benchTopK(o: TopKBenchOptions): Promise<Record<string, unknown>> {
  const q = randn(o.queries * o.dim, o.seed);
  const d = randn(o.docs * o.dim, o.seed + 1);
  const flop = 2 * o.queries * o.docs * o.dim;
  const bf16 = toBf16(d, { dim: o.dim, threads: o.threads });
  const opts = { dim: o.dim, k: o.k, threads: o.threads, isa: o.isa };

  const f32Result = topKSync(q, d, opts);
  checkAgainstReference(q, d, o, f32Result.ids);
  const baselineQ = q.subarray(0, Math.min(o.baselineQueries, o.queries) * o.dim);

  const timings = await measure(
    {
      'xmrbench f32': () => topKSync(q, d, opts),
      'xmrbench bf16': () => topKSync(q, bf16, opts),
    },
    { timeMs: o.timeMs },
  );
  const [baseline] = await measure({ typescript: () => bruteForceTopK(baselineQ, d, o.dim, o.k, 'ip') }, { timeMs: o.timeMs, iterations: 2, warmupIterations: 0 });
  const drivers: DriverResult[] = timings.map((t) => ({
    driver: t.name,
    queriesPerSecond: o.queries / (t.meanMs / 1000),
    gflops: flop / (t.meanMs / 1000) / 1e9,
    timing: t,
  }));
  const perQueryMs = baseline!.meanMs / (baselineQ.length / o.dim);
  drivers.push({
    driver: 'typescript',
    queriesPerSecond: 1000 / perQueryMs,
    gflops: (2 * o.docs * o.dim) / (perQueryMs / 1000) / 1e9,
    timing: baseline!,
    note: `float64 brute force with a full sort, timed on ${baselineQ.length / o.dim} queries, single thread`,
  });

  if (faissAvailable()) {
    const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-'));
    try {
      writeFileSync(path.join(dir, 'q.f32'), q);
      writeFileSync(path.join(dir, 'd.f32'), d);
      const out = JSON.parse(
        execFileSync('/usr/bin/python3', [FAISS_SCRIPT, path.join(dir, 'q.f32'), path.join(dir, 'd.f32'), `${o.dim}`, `${o.k}`, `${o.threads}`, '3'], {
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        }),
      ) as { faiss: string; seconds: number[]; ids: number[] };
      const mean = out.seconds.reduce((a, b) => a + b, 0) / out.seconds.length;
      drivers.push({
        driver: `faiss ${out.faiss} IndexFlatIP`,
        queriesPerSecond: o.queries / mean,
        gflops: flop / mean / 1e9,
        timing: { samples: out.seconds.length, meanMs: mean * 1000, minMs: Math.min(...out.seconds) * 1000 },
        note: `python3-faiss in a child process, omp threads = ${o.threads}`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const rate = (name: string) => drivers.find((x) => x.driver.startsWith(name))?.queriesPerSecond;
  const ratios: Record<string, number> = {};
  const f32 = rate('xmrbench f32')!;
  const faiss = rate('faiss');
  ratios['bf16 / f32'] = rate('xmrbench bf16')! / f32;
  ratios['f32 / typescript'] = f32 / rate('typescript')!;
  if (faiss) {
    ratios['f32 / faiss'] = f32 / faiss;
    ratios['bf16 / faiss'] = rate('xmrbench bf16')! / faiss;
  }
  return {
    workload: 'topk',
    params: { docs: o.docs, dim: o.dim, queries: o.queries, k: o.k, threads: o.threads, isa: o.isa, seed: o.seed },
    machine: machineStamp(),
    drivers,
    ratios,
    ...(faiss ? {} : { faiss: 'not measured: /usr/bin/python3 -c "import faiss" failed (apt-get install python3-faiss)' }),
  };
}
