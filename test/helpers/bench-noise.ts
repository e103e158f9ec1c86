/**
 * Synthetic benchmark timings with noise like this shared 2-core machine's: one value per child
 * process (its median time), multiplicatively lognormal, some processes hit by contention that adds
 * an exponential share of the time, and a drift over the rounds that A and B share because their
 * rounds are interleaved (one period per 12 rounds).
 */
import type { MachineStamp } from '../../src/bench/machine.js';
import type { BenchResult } from '../../src/bench/workload.js';
import { rng } from '../../src/random.js';

export interface NoiseModel {
  sigma: number;
  spikeRate: number;
  spikeMean: number;
  drift: number;
}

/** Moderately loaded: σ = 8%, 10% of processes +30% on average, drift ±10%. */
export const SHARED_MACHINE: NoiseModel = { sigma: 0.08, spikeRate: 0.1, spikeMean: 0.3, drift: 0.1 };

/**
 * Heavily loaded, as measured: per-process medians of `bench topk` (xmrbench f32, 20k × 128 docs,
 * 64 queries, 1 thread) over a real 20-round A-against-A run at load average 21 on this 2-core
 * machine had sd(log) 0.64 and 0.68 (bf16: 1.0–1.4).
 */
export const HEAVY_LOAD: NoiseModel = { sigma: 0.65, spikeRate: 0.1, spikeMean: 0.5, drift: 0.1 };

/** `rounds` interleaved A and B measurements of a workload taking `base` ms, B slower by `factor`. */
export function interleaved(rounds: number, seed: number, factor = 1, base = 10, noise: NoiseModel = SHARED_MACHINE): { a: number[]; b: number[] } {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const one = (round: number, scale: number) => {
    const drift = 1 + noise.drift * Math.sin((2 * Math.PI * round) / 12);
    const spike = u() < noise.spikeRate ? 1 - noise.spikeMean * Math.log(1 - u()) : 1;
    return base * scale * drift * spike * Math.exp(noise.sigma * normal());
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(one(r, 1));
    b.push(one(r, factor));
  }
  return { a, b };
}

/**
 * A stand-in for `runTrial`: answers each trial with one measurement of driver `d` drawn from the
 * noise model, B (the bin under a folder named `b`) slower by `factor`; the round, for the shared
 * drift, is the number of A–B pairs answered so far. `calls` records which build ran when.
 */
export function fakeTrials(seed: number, factor: number, machine: Record<string, unknown> = {}, noise: NoiseModel = SHARED_MACHINE) {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const calls: string[] = [];
  const trial = async (bin: string, workload: string) => {
    const build = /[/\\]b[/\\]bin[/\\]/.test(bin) ? 'b' : 'a';
    const round = Math.floor(calls.length / 2);
    calls.push(build);
    const drift = 1 + noise.drift * Math.sin((2 * Math.PI * round) / 12);
    const spike = u() < noise.spikeRate ? 1 - noise.spikeMean * Math.log(1 - u()) : 1;
    const ms = 10 * (build === 'b' ? factor : 1) * drift * spike * Math.exp(noise.sigma * normal());
    const stamp = { cpu: 'test cpu', cores: 2, memoryGiB: 8, platform: 'linux-x64', node: 'v20', isa: 'avx2', ...machine } as unknown as MachineStamp;
    return { measurements: { d: ms }, machine: stamp, seconds: 0, result: { workload } as unknown as BenchResult };
  };
  return { trial, calls };
}
