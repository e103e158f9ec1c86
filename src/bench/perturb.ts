/**
 * Workload `perturb`: throughput of the perturbation kernel (src/perturb/perturb.ts) against a plain
 * memory copy of the same size, measured the same way (same process, same tinybench settings,
 * allocation-free: every driver writes into a preallocated array).
 *
 * Bytes counted = bytes read + bytes written, per call:
 * - perturb (x + δ, linf or l2): reads x and g, writes out → 3 × 4 × floats
 *   (l2 reads each group's gradient twice — once for its norm — which is not counted: it is the
 *   kernel's own overhead, and mostly served from cache);
 * - project (in → out): reads δ, writes out → 2 × 4 × floats;
 * - copy (native memcpy split over the same threads, and TypedArray.prototype.set, one thread):
 *   reads src, writes dst → 2 × 4 × floats.
 * The ratios compare GB/s so counted: 1.0 means perturb moves its bytes as fast as a memcpy moves its own.
 */
import { copyFloats, perturb, project } from '../index.js';
import { randn } from '../random.js';
import { machineStamp } from './machine.js';
import { measure, type Timing } from './measure.js';
import { defineWorkload, type BenchResult, type DriverResult } from './workload.js';

export interface PerturbBenchOptions {
  /** Floats per array. */
  floats: number;
  /** Floats per l2 group (tokens × dim of one sequence). */
  groupSize: number;
  threads: number;
  timeMs: number;
}

interface PerturbDriver extends DriverResult {
  gbPerSecond: number;
  bytesPerCall: number;
  timing: Timing;
  note: string;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`perturb benchmark: correctness check failed: ${what}`);
}

export async function benchPerturb(opts: PerturbBenchOptions): Promise<BenchResult> {
  const { floats, groupSize, threads, timeMs } = opts;
  if (!Number.isInteger(floats) || floats < 1) throw new RangeError(`floats must be an integer ≥ 1, got ${floats}`);
  if (!Number.isInteger(groupSize) || groupSize < 1 || floats % groupSize !== 0) throw new RangeError(`groupSize must be an integer ≥ 1 dividing floats (${floats}), got ${groupSize}`);
  const x = randn(floats, 1);
  const g = randn(floats, 2);
  const out = new Float32Array(floats);
  const dst = new Float32Array(floats);
  const eps = 0.01;

  // Correctness before timing.
  perturb(x, g, { eps, norm: 'linf', out, threads });
  for (let i = 0; i < floats; i += Math.max(1, Math.floor(floats / 1000))) check(out[i] === Math.fround(x[i]! + Math.fround(eps) * Math.sign(g[i]!)), `linf element ${i}`);
  perturb(x, g, { eps, norm: 'l2', groupSize, out, threads });
  let ss = 0;
  for (let i = 0; i < groupSize; i++) ss += (out[i]! - x[i]!) ** 2;
  check(Math.abs(Math.sqrt(ss) - eps) < 1e-3 * eps, `l2 group norm ${Math.sqrt(ss)}`);
  copyFloats(x, dst, { threads });
  check(dst[floats - 1] === x[floats - 1], 'copy');

  const timings = await measure(
    {
      'perturb linf': () => perturb(x, g, { eps, norm: 'linf', out, threads }),
      'perturb l2': () => perturb(x, g, { eps, norm: 'l2', groupSize, out, threads }),
      'project l2': () => project(g, { eps: 1, norm: 'l2', groupSize, out, threads }),
      'copy native': () => copyFloats(x, dst, { threads }),
      'copy TypedArray.set': () => dst.set(x),
    },
    { timeMs, iterations: 10, warmupIterations: 2 },
  );
  const bytes: Record<string, [number, string]> = {
    'perturb linf': [3 * 4 * floats, 'reads x, g; writes x + ε·sign(g)'],
    'perturb l2': [3 * 4 * floats, `reads x, g; writes x + ε·g/‖g‖ per group of ${groupSize} (the norm pass re-reads g, not counted)`],
    'project l2': [2 * 4 * floats, `reads δ; writes Π(δ) per group of ${groupSize} (the norm pass is not counted)`],
    'copy native': [2 * 4 * floats, `memcpy over ${threads} thread${threads > 1 ? 's' : ''} (the kernel's split)`],
    'copy TypedArray.set': [2 * 4 * floats, 'V8 memmove, one thread'],
  };
  const drivers: PerturbDriver[] = timings.map((t) => {
    const [b, note] = bytes[t.name]!;
    return { driver: t.name, gbPerSecond: b / (t.meanMs / 1000) / 1e9, bytesPerCall: b, timing: t, note };
  });
  const rate = (name: string) => drivers.find((d) => d.driver === name)!.gbPerSecond;
  const ratios: Record<string, number> = {
    'perturb linf / copy native': rate('perturb linf') / rate('copy native'),
    'perturb l2 / copy native': rate('perturb l2') / rate('copy native'),
    'project l2 / copy native': rate('project l2') / rate('copy native'),
    'perturb linf / copy TypedArray.set': rate('perturb linf') / rate('copy TypedArray.set'),
  };
  return {
    workload: 'perturb',
    params: { floats, groupSize, threads, bytesPerArray: 4 * floats, eps },
    machine: machineStamp(),
    drivers,
    ratios,
  };
}

export const perturbWorkload = defineWorkload<PerturbBenchOptions>({
  name: 'perturb',
  measures: 'Perturbation kernel (x + ε·sign(g), x + ε·g/‖g‖, projection) in GB/s against a memory copy of the same size',
  options: {
    floats: { type: 'number', default: 256 * 128 * 768, describe: 'Floats per array (default 256 sequences × 128 tokens × 768 dims: 96 MiB each)' },
    groupSize: { type: 'number', default: 128 * 768, describe: 'Floats per l2 group (tokens × dim)' },
  },
  drivers: [
    'perturb linf, perturb l2: x + ε·sign(g) and x + ε·g/‖g‖ per group (reads x, g; writes out)',
    'project l2: the projection of δ onto the l2 ball, per group (reads δ; writes out)',
    'copy native: memcpy split over the same threads; copy TypedArray.set: V8, one thread',
  ],
  ratios: ['perturb linf, perturb l2, project l2 / copy native', 'perturb linf / copy TypedArray.set (GB/s, bytes read + written)'],
  examples: [['$0 bench perturb --threads 2 --json', 'Perturbation throughput beside a copy (a ratio ≥ 0.8 means memory-bound)']],
  run: benchPerturb,
});
