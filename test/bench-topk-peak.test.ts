/**
 * `bench topk` gives each xmrbench driver's GFLOP/s as a fraction of the FMA peak probed in the
 * same run (the profile's probe and roof choice, src/bench/profile/probes.ts), for the mean call,
 * the fastest, and paired in time with probes; competitors get none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchTopK } from '../src/bench/topk.js';

test('bench topk reports each xmrbench driver as a fraction of the FMA peak probed in the same run', async () => {
  const r = await benchTopK({ docs: 300, dim: 20, queries: 4, k: 5, threads: 1, isa: 'auto', baselineQueries: 1, seed: 3, timeMs: 5 });
  for (const name of ['xmrbench f32', 'xmrbench f32 packed', 'xmrbench bf16']) {
    const d = r.drivers.find((x) => x.driver === name)!;
    assert.equal(typeof d.peakGflops, 'number', name);
    assert.ok((d.peakGflops as number) > 0, name);
    assert.equal(d.ofPeak, (d.gflops as number) / (d.peakGflops as number), name);
    // the fastest call, as the roof is the fastest probe run: never below the mean call
    assert.equal(d.ofPeakBest, (d.bestGflops as number) / (d.peakGflops as number), name);
    assert.ok((d.bestGflops as number) >= (d.gflops as number), name);
    assert.ok(Number.isFinite(d.ofPeakPaired) && (d.ofPeakPaired as number) > 0, name);
  }
  assert.equal(r.drivers.find((x) => x.driver === 'typescript')!.ofPeak, undefined);
  assert.equal(r.drivers.find((x) => x.driver === 'typescript')!.ofPeakBest, undefined);
  assert.equal(r.drivers.find((x) => x.driver === 'typescript')!.ofPeakPaired, undefined);
});

