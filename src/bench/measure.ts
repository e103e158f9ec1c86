/**
 * One timing primitive for every workload: tinybench with warm-up on and samples retained,
 * reported as milliseconds (mean, p50, p99, min) and the relative margin of error.
 */
import { Bench } from 'tinybench';

export interface Timing {
  name: string;
  samples: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  minMs: number;
  rmePercent: number;
}

export interface MeasureOptions {
  /** Time budget per task in ms (tinybench keeps going until both this and `iterations` are met). */
  timeMs?: number;
  /** Minimum measured iterations. */
  iterations?: number;
  /** Warm-up iterations (JIT, caches, page faults) before measuring. */
  warmupIterations?: number;
}

/** Times each task in turn, in one process, so that ratios between them are taken side by side. */
export async function measure(tasks: Record<string, () => unknown>, options: MeasureOptions = {}): Promise<Timing[]> {
  const bench = new Bench({
    time: options.timeMs ?? 2000,
    iterations: options.iterations ?? 5,
    warmup: true,
    warmupIterations: options.warmupIterations ?? 1,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  return bench.tasks.map((task) => {
    const r = task.result;
    if (r.state !== 'completed') throw new Error(`benchmark task ${task.name} did not complete (${r.state})`);
    return {
      name: task.name,
      samples: r.latency.samplesCount,
      meanMs: r.latency.mean,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      minMs: r.latency.min,
      rmePercent: r.latency.rme,
    };
  });
}
