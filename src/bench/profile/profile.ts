/**
 * `xmrbench profile`: this machine's limits and how close each kernel gets to them (a roofline,
 * Williams, Waterman & Patterson 2009: attainable = min(peak compute, intensity × bandwidth)).
 *
 * Steps: cache sizes and CPU flags from the OS; peak FMA rate (float32; bf16 where the
 * avx512-bf16 path exists, on AMX tiles where `native().amx`) and STREAM copy and triad bandwidth
 * at each thread count; then every kernel at 1 thread and at all cores, its achieved rate as a
 * fraction of the roof that bounds it at that thread count (compute kernels: min(peak, intensity ×
 * triad bandwidth) at their compulsory-traffic intensity; memory kernels: triad bandwidth), and its
 * scaling from 1 thread to all cores. The JSON is versioned (PROFILE_SCHEMA_VERSION; bump it on any change a reader would
 * notice) and carries the machine stamp.
 */
import os from 'node:os';
import { machineStamp, type MachineStamp } from '../machine.js';
import { cpuFlags, readCaches, type CacheInfo } from './caches.js';
import { kernelProbes, timeCalls, type Bound } from './kernels.js';
import { computePeak, fmaPeaks, streamRate, type Rate } from './probes.js';

export const PROFILE_SCHEMA = 'xmrbench/profile';
/** 2: the image encoders are the native image tower and its export (`image-native`, `onnx-image` with hidden and outDim), no longer the toy graph. */
export const PROFILE_SCHEMA_VERSION = 2;

export interface RoofsAt {
  threads: number;
  /** flop/s */
  fmaF32: Rate;
  /** flop/s; null where the CPU has no avx512-bf16 path */
  fmaBf16: Rate | null;
  /** bytes/s */
  copy: Rate;
  triad: Rate;
}

export interface KernelRun {
  threads: number;
  /** seconds per call, every repeat */
  seconds: number[];
  /** the kernel's own unit per second (best repeat) */
  rate: number;
  /** flop/s and bytes/s achieved (best repeat; 0 when not counted) */
  flopsPerSecond: number;
  bytesPerSecond: number;
  /** the roof at this thread count (flop/s for compute bounds, bytes/s for memory); null for `none` */
  roof: number | null;
  /** achieved / roof; null for `none` */
  fraction: number | null;
}

export interface KernelProfile {
  name: string;
  bound: Bound;
  params: Record<string, number | string>;
  unit: string;
  flopsPerCall: number;
  bytesPerCall: number;
  /** flops / bytes, the roofline's x; null when either is not counted */
  intensity: number | null;
  runs: KernelRun[];
  /** rate at all cores / rate at 1 thread */
  scaling: number | null;
}

export interface Profile {
  schema: typeof PROFILE_SCHEMA;
  schemaVersion: number;
  createdAt: string;
  quick: boolean;
  machine: MachineStamp & { flags: string[] };
  caches: CacheInfo;
  stream: { floatsPerArray: number; bytesPerArray: number; note: string | null };
  roofs: RoofsAt[];
  kernels: KernelProfile[];
  seconds: number;
}

/** Thread counts probed: every count up to 8 cores, then powers of two and all cores. */
export function threadCounts(cores: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= cores; t = t < 8 ? t + 1 : t * 2) out.push(t);
  if (out[out.length - 1] !== cores) out.push(cores);
  return out;
}

/**
 * STREAM's rule: each array at least 4× the last-level cache, so no pass is served from it; capped
 * at `cap` bytes (a shared machine, or a VM reporting its host's whole L3), with a note when the
 * cap wins.
 */
export function streamArrayBytes(lastLevelBytes: number, cap: number): { bytes: number; note: string | null } {
  const rule = 4 * lastLevelBytes;
  if (lastLevelBytes === 0) return { bytes: cap, note: 'last-level cache size unknown: arrays of the cap size' };
  if (rule <= cap) return { bytes: Math.max(rule, 32 * 2 ** 20), note: null };
  return { bytes: cap, note: `arrays of ${cap / 2 ** 20} MiB, below STREAM's 4 × last-level cache (${(rule / 2 ** 20).toFixed(0)} MiB): some traffic may hit the cache` };
}

/** The roof bounding a kernel at one thread count. */
export function roofFor(bound: Bound, intensity: number | null, r: RoofsAt): number | null {
  switch (bound) {
    case 'memory':
      return r.triad.perSecond;
    case 'compute-f32':
    case 'compute-bf16': {
      const peak = computePeak({ f32: r.fmaF32, bf16: r.fmaBf16 }, bound === 'compute-bf16' ? 'bf16' : 'f32');
      return intensity === null ? peak : Math.min(peak, intensity * r.triad.perSecond);
    }
    case 'none':
      return null;
  }
}

export interface ProfileOptions {
  quick?: boolean;
  /** a line per step */
  progress?: (line: string) => void;
  /** kernels to run (all when absent) */
  kernels?: readonly string[];
}

export async function runProfile(options: ProfileOptions = {}): Promise<Profile> {
  const quick = options.quick ?? false;
  const started = Date.now();
  const cores = os.availableParallelism();
  const counts = threadCounts(cores);
  const stamp = machineStamp();
  const caches = readCaches();
  const { bytes: arrayBytes, note } = streamArrayBytes(caches.lastLevelBytes, (quick ? 64 : 256) * 2 ** 20);
  const floats = Math.floor(arrayBytes / 4);
  const probes = kernelProbes(quick, floats, options.kernels);
  const kernelThreads = cores > 1 ? [1, cores] : [1];
  const total = counts.length + probes.length * kernelThreads.length;
  let step = 0;
  const say = (what: string): void => options.progress?.(`[${++step}/${total}] ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const fma = { seconds: quick ? 0.05 : 0.2, repeats: quick ? 2 : 3 };
  const g = (v: number): string => (v / 1e9).toFixed(1);

  const roofs: RoofsAt[] = counts.map((threads) => {
    const peaks = fmaPeaks(threads, fma);
    const r: RoofsAt = {
      threads,
      fmaF32: peaks.f32,
      fmaBf16: peaks.bf16,
      copy: streamRate('copy', floats, threads, { repeats: quick ? 3 : 5 }),
      triad: streamRate('triad', floats, threads, { repeats: quick ? 3 : 5 }),
    };
    say(`roofs at ${threads} thread${threads === 1 ? '' : 's'}: f32 ${g(r.fmaF32.perSecond)} GFLOP/s${r.fmaBf16 ? `, bf16 ${g(r.fmaBf16.perSecond)} GFLOP/s` : ''}, copy ${g(r.copy.perSecond)} GB/s, triad ${g(r.triad.perSecond)} GB/s`);
    return r;
  });
  const roofAt = (threads: number): RoofsAt => roofs.find((r) => r.threads === threads)!;

  const kernels: KernelProfile[] = [];
  for (const p of probes) {
    const runs: KernelRun[] = [];
    let intensity: number | null = null;
    try {
      for (const threads of kernelThreads) {
        await p.prepare?.(threads);
        // After prepare: some probes learn their work there (the encoders' token counts).
        intensity = p.work.flops > 0 && p.work.bytes > 0 ? p.work.flops / p.work.bytes : null;
        const seconds = await timeCalls(() => p.run(threads), quick ? 2 : 5);
        const best = Math.min(...seconds);
        const flopsPerSecond = p.work.flops / best;
        const bytesPerSecond = p.work.bytes / best;
        const roof = roofFor(p.bound, intensity, roofAt(threads));
        const achieved = p.bound === 'memory' ? bytesPerSecond : flopsPerSecond;
        const fraction = roof === null ? null : achieved / roof;
        runs.push({ threads, seconds, rate: p.work.units / best, flopsPerSecond, bytesPerSecond, roof, fraction });
        say(`${p.name} on ${threads} thread${threads === 1 ? '' : 's'}: ${(p.work.units / best).toPrecision(4)} ${p.work.unit}/s${fraction === null ? '' : `, ${(fraction * 100).toFixed(1)}% of its roof`}`);
      }
    } finally {
      await p.close?.();
    }
    const first = runs[0]!;
    const last = runs[runs.length - 1]!;
    kernels.push({
      name: p.name,
      bound: p.bound,
      params: p.params,
      unit: p.work.unit,
      flopsPerCall: p.work.flops,
      bytesPerCall: p.work.bytes,
      intensity,
      runs,
      scaling: runs.length > 1 ? last.rate / first.rate : null,
    });
  }
  return {
    schema: PROFILE_SCHEMA,
    schemaVersion: PROFILE_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    quick,
    machine: { ...stamp, flags: cpuFlags() },
    caches,
    stream: { floatsPerArray: floats, bytesPerArray: floats * 4, note },
    roofs,
    kernels,
    seconds: (Date.now() - started) / 1000,
  };
}
