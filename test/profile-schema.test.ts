/**
 * The profile's JSON (schema xmrbench/profile, version 2): a real quick profile of one kernel
 * passes the schema check after a round trip through JSON, broken ones are refused naming the
 * field; the pure parts (thread counts, STREAM array size, roofs, cache parsing) on hand-worked
 * cases; the roofline SVG and the comparison of a profile with itself (and with a kernel run on other
 * params, marked).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpuListLength, parseGetconf, parseSize } from '../src/bench/profile/caches.js';
import { roofFor, runProfile, streamArrayBytes, threadCounts, type Profile, type RoofsAt } from '../src/bench/profile/profile.js';
import { checkProfile, compareProfiles, profileMarkdown, rooflineSvg } from '../src/bench/profile/render.js';

describe('profile: pure parts', () => {
  it('thread counts: all up to 8, then powers of two, then all cores', () => {
    assert.deepEqual(threadCounts(1), [1]);
    assert.deepEqual(threadCounts(2), [1, 2]);
    assert.deepEqual(threadCounts(12), [1, 2, 3, 4, 5, 6, 7, 8, 12]);
    assert.deepEqual(threadCounts(64), [1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64]);
  });
  it("STREAM arrays: 4 × the last-level cache, at least 32 MiB, capped with a note", () => {
    const MiB = 2 ** 20;
    assert.deepEqual(streamArrayBytes(16 * MiB, 256 * MiB), { bytes: 64 * MiB, note: null });
    assert.deepEqual(streamArrayBytes(2 * MiB, 256 * MiB), { bytes: 32 * MiB, note: null });
    assert.deepEqual(streamArrayBytes(512 * MiB, 256 * MiB), { bytes: 256 * MiB, note: "arrays of 256 MiB, below STREAM's 4 × last-level cache (2048 MiB): some traffic may hit the cache" });
  });
  it('roofs: memory → triad; compute → min(peak, intensity × triad); none → null', () => {
    const rate = (v: number) => ({ perSecond: v, samples: [v] });
    const r: RoofsAt = { threads: 1, fmaF32: rate(100e9), fmaBf16: rate(300e9), copy: rate(20e9), triad: rate(10e9) };
    assert.equal(roofFor('memory', 0.1, r), 10e9);
    assert.equal(roofFor('compute-f32', 1, r), 10e9); // below the ridge at 10 flop/byte
    assert.equal(roofFor('compute-f32', 64, r), 100e9);
    assert.equal(roofFor('compute-bf16', 64, r), 300e9);
    assert.equal(roofFor('compute-f32', null, r), 100e9);
    assert.equal(roofFor('none', null, r), null);
  });
  it('cache sizes from sysfs strings and getconf output', () => {
    assert.equal(parseSize('48K'), 49152);
    assert.equal(parseSize('32M\n'), 32 * 2 ** 20);
    assert.equal(cpuListLength('0-3,8,10-11'), 7);
    assert.deepEqual(parseGetconf('LEVEL1_ICACHE_SIZE                 32768\nLEVEL1_DCACHE_SIZE                 49152\nLEVEL2_CACHE_SIZE                  1048576\nLEVEL4_CACHE_SIZE                  \n'), [
      { level: 1, type: 'Instruction', bytes: 32768, sharedBy: null },
      { level: 1, type: 'Data', bytes: 49152, sharedBy: null },
      { level: 2, type: 'Unified', bytes: 1048576, sharedBy: null },
    ]);
  });
});

describe('profile: a real quick run of one kernel', () => {
  let profile: Profile;
  const lines: string[] = [];
  before(async () => {
    profile = JSON.parse(JSON.stringify(await runProfile({ quick: true, kernels: ['perturb-linf'], progress: (l) => lines.push(l) })));
  });

  it('passes the schema check after a JSON round trip, with a stamp, roofs and the kernel', () => {
    assert.equal(checkProfile(profile, 'p.json'), profile);
    assert.equal(profile.schema, 'xmrbench/profile');
    assert.equal(profile.schemaVersion, 2);
    assert.match(profile.machine.addonFingerprint, /^[0-9a-f]{12}$/);
    assert.deepEqual(profile.roofs.map((r) => r.threads), threadCounts(profile.machine.cores));
    assert.equal(profile.roofs.every((r) => (r.fmaBf16 === null) === (profile.machine.isa !== 'avx512-bf16')), true);
    assert.deepEqual(profile.kernels.map((k) => k.name), ['perturb-linf']);
    const k = profile.kernels[0]!;
    assert.equal(k.bound, 'memory');
    assert.equal(k.intensity, 2 / 12);
    for (const run of k.runs) assert.equal(run.fraction, run.bytesPerSecond / run.roof!);
  });

  it('prints a progress line per step', () => {
    assert.equal(lines.length, profile.roofs.length + profile.kernels[0]!.runs.length);
    assert.match(lines[0]!, /^\[1\/\d+\] roofs at 1 thread: f32 [\d.]+ GFLOP\/s/);
  });

  it('refuses a broken profile, naming the field', () => {
    assert.throws(() => checkProfile({ ...profile, schema: 'x' }, 'p.json'), { name: 'XmrError', message: 'p.json: not an xmrbench profile: schema "x", expected xmrbench/profile' });
    assert.throws(() => checkProfile({ ...profile, schemaVersion: 1 }, 'p.json'), { message: 'p.json: not an xmrbench profile: schema version 1, this xmrbench reads 2' });
    const bad = JSON.parse(JSON.stringify(profile)) as Profile;
    bad.kernels[0]!.runs[0]!.rate = Number.NaN;
    assert.throws(() => checkProfile(bad, 'p.json'), { message: 'p.json: not an xmrbench profile: kernels[0].runs[0].rate must be a finite number' });
  });

  it('renders a deterministic roofline and summary, and compares itself at 1.00×', () => {
    const svg = rooflineSvg(profile);
    assert.equal(svg, rooflineSvg(profile));
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(svg.match(/<circle /g)!.length, profile.kernels[0]!.runs.length + 1);
    assert.match(profileMarkdown(profile, 'xmrbench profile --quick'), /\| perturb-linf \| 1 \|/);
    const cmp = compareProfiles(profile, profile, 'table');
    assert.match(cmp, /FMA f32 .* 1\.00× .* 1\.00×/);
    assert.match(cmp, /perturb-linf .* 1\.00×/);
    assert.doesNotMatch(cmp, /other params/);
    const other = JSON.parse(JSON.stringify(profile)) as Profile;
    other.kernels[0]!.params.floats = 1024;
    const marked = compareProfiles(profile, other, 'markdown');
    assert.match(marked, /\| perturb-linf † \|/);
    assert.match(marked, /† run on other params in A and B \(e\.g\. --quick beside a full profile\): other work, so its ratio is not the machines' alone\./);
  });
});
