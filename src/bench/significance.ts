/**
 * Workload: the paired randomization test (src/eval/significance/randomization.ts).
 * Target: 10,000 random sign flips over 10,000 queries in under 0.5 s on 2 threads.
 *
 * Per-query scores are generated from a seeded generator and quantised to tenths, like an IR metric,
 * so the differences tie often. Before timing, the result on `threads` worker threads is checked to
 * be identical to the single-thread one (hits, p-value), and a small case against exact enumeration.
 * Then tinybench (warm-up on, samples retained) times the test on `threads` threads and, for
 * reference, on the calling thread without workers.
 */
import { randomizationTest, randomizationTestParallel } from '../eval/significance/index.js';
import { positiveCount } from '../args.js';
import { machineStamp } from './machine.js';
import { measure, type Timing } from './measure.js';
import { defineWorkload, type BenchResult } from './workload.js';

const SEED = 20240611;
const TARGET_MS = 500;

function scores(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return Math.floor((s / 2147483647) * 11) / 10;
  });
}

export interface SignificanceBenchOptions {
  queries: number;
  permutations: number;
  threads: number;
  timeMs: number;
}

export async function benchSignificance(opts: SignificanceBenchOptions): Promise<BenchResult> {
  const { queries, permutations, threads } = opts;
  positiveCount(queries, 'queries');
  positiveCount(permutations, 'permutations');
  positiveCount(threads, 'threads');
  const a = scores(queries, SEED);
  const b = scores(queries, SEED + 1);
  const options = { permutations, seed: SEED };

  const single = randomizationTest(a, b, options);
  const parallel = await randomizationTestParallel(a, b, { ...options, threads });
  if (JSON.stringify(single) !== JSON.stringify(parallel)) {
    throw new Error(`bench significance: ${threads} threads gave ${JSON.stringify(parallel)}, 1 thread ${JSON.stringify(single)}`);
  }
  const small = randomizationTest(a.subarray(0, 16), b.subarray(0, 16), { permutations: 2 ** 16 });
  const estimate = randomizationTest(a.subarray(0, 16), b.subarray(0, 16), { permutations: 20_000, seed: SEED });
  if (!small.exact || Math.abs(estimate.pValue - small.pValue) > 0.02) {
    throw new Error(`bench significance: Monte Carlo p ${estimate.pValue} is far from the exact ${small.pValue}`);
  }

  const timings = await measure(
    {
      [`randomization, ${threads} thread${threads === 1 ? '' : 's'}`]: () => randomizationTestParallel(a, b, { ...options, threads }),
      'randomization, calling thread only': () => randomizationTest(a, b, options),
    },
    { timeMs: opts.timeMs, iterations: 10, warmupIterations: 2 },
  );
  return {
    workload: 'significance',
    params: { queries, permutations, threads, seed: SEED, targetMs: TARGET_MS },
    machine: machineStamp(),
    pValue: single.pValue,
    drivers: timings.map((t: Timing) => ({ driver: t.name, p50Ms: t.p50Ms, minMs: t.minMs, meanMs: t.meanMs, timing: t })),
  };
}

export const significanceWorkload = defineWorkload<SignificanceBenchOptions>({
  name: 'significance',
  measures: 'Paired randomization test, random sign flips × queries (p50 time): on worker threads and on the calling thread',
  options: {
    queries: { type: 'number', default: 10000, describe: 'Queries (paired per-query scores)' },
    permutations: { type: 'number', default: 10000, describe: 'Random sign flips' },
  },
  drivers: ['randomizationTestParallel on --threads worker threads', 'randomizationTest on the calling thread, no workers'],
  ratios: [],
  examples: [['$0 bench significance --queries 10000 --permutations 10000 --threads 2', '10,000 sign flips over 10,000 queries']],
  run: benchSignificance,
});
