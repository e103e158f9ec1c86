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
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { randomizationTest, randomizationTestParallel } from '../src/eval/significance/index.js';
import { measure, type Timing } from './measure.js';

const SEED = 20240611;
const TARGET_MS = 500;

function scores(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return Math.floor((s / 2147483647) * 11) / 10;
  });
}

export async function benchSignificance(opts: { queries: number; permutations: number; threads: number; json: boolean }): Promise<Record<string, unknown>> {
  const { queries, permutations, threads, json } = opts;
  if (!Number.isInteger(queries) || queries < 1) throw new RangeError(`queries must be a positive integer, got ${queries}`);
  if (!Number.isInteger(permutations) || permutations < 1) throw new RangeError(`permutations must be a positive integer, got ${permutations}`);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
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

  const label = `${permutations} sign flips × ${queries} queries`;
  const timings = await measure(
    {
      [`${threads} thread${threads === 1 ? '' : 's'}`]: () => randomizationTestParallel(a, b, { ...options, threads }),
      'calling thread only': () => randomizationTest(a, b, options),
    },
    { timeMs: 2000, iterations: 10, warmupIterations: 2 },
  );
  const summary = (t: Timing): Record<string, number | string> => ({ task: t.name, samples: t.samples, mean: t.meanMs, p50: t.p50Ms, p99: t.p99Ms, min: t.minMs, rmePercent: t.rmePercent });
  const result: Record<string, unknown> = {
    workload: 'significance-randomization',
    queries,
    permutations,
    threads,
    pValue: single.pValue,
    latencyMs: timings.map(summary),
    targetMs: TARGET_MS,
    date: new Date().toISOString(),
    cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`,
    node: process.version,
  };
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`significance: paired randomization test, ${label} (p = ${single.pValue}; identical on 1 and ${threads} threads)`);
    for (const t of timings) {
      console.log(`  ${t.name.padEnd(20)} mean ${t.meanMs.toFixed(1)} ms  p50 ${t.p50Ms.toFixed(1)} ms  p99 ${t.p99Ms.toFixed(1)} ms  ±${t.rmePercent.toFixed(1)}%  (${t.samples} samples; target < ${TARGET_MS} ms)`);
    }
  }
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [q = '10000', p = '10000', t = '2'] = process.argv.slice(2).filter((x) => !x.startsWith('--'));
  await benchSignificance({ queries: Number(q), permutations: Number(p), threads: Number(t), json: process.argv.includes('--json') });
}
