/**
 * The native machine probes behind `xmrbench profile` (native/src/profile/): the work they report
 * is the work their loops do on each ISA path (12 chains × lanes × 2 flops per step; STREAM's
 * byte counts), the TypeScript rates are positive and best-of-repeats, the roof a kernel is put under,
 * and bad calls are refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computePeak, fmaPeaks, fmaRate, streamRate } from '../src/bench/profile/probes.js';
import { native, type IsaName } from '../src/native.js';

const best = native().isa;
const paths: IsaName[] = (['scalar', 'avx2', 'avx512', 'avx512-bf16'] as IsaName[]).slice(0, ['scalar', 'avx2', 'avx512', 'avx512-bf16'].indexOf(best) + 1);
const lanes: Record<IsaName, number> = { scalar: 1, avx2: 8, avx512: 16, 'avx512-bf16': 16 };

describe('profile probes', () => {
  for (const isa of paths) {
    it(`FMA f32 on ${isa}: 12 chains × ${lanes[isa]} lanes × 2 flops per step and thread`, () => {
      const t = native().profileFmaSync('f32', 1000, 2, isa);
      assert.equal(t.flops, 12 * lanes[isa] * 2 * 1000 * 2);
      assert.ok(t.seconds > 0);
    });
  }

  it('FMA bf16: 12 × 64 flops per step (VDPBF16PS), 4 × 16,384 on AMX tiles, or refused below the avx512-bf16 path', { skip: best === 'avx512-bf16' ? false : 'no avx512-bf16 on this CPU' }, () => {
    const perStep = native().amx ? 4 * 16 * 16 * 32 * 2 : 12 * 64;
    assert.equal(native().profileFmaSync('bf16', 1000, 1, 'avx512-bf16').flops, perStep * 1000);
    assert.throws(() => native().profileFmaSync('bf16', 10, 1, 'avx512'), { name: 'RangeError', message: 'the bf16 FMA probe needs the avx512-bf16 path' });
  });

  it('STREAM counts 8 bytes per element for copy and 12 for triad, one timing per repeat', () => {
    const copy = native().profileStreamSync('copy', 100_003, 3, 2, 'auto');
    const triad = native().profileStreamSync('triad', 100_003, 2, 1, 'scalar');
    assert.equal(copy.bytes, 8 * 100_003);
    assert.equal(triad.bytes, 12 * 100_003);
    assert.equal(copy.seconds.length, 3);
    assert.equal(triad.seconds.length, 2);
  });

  it('rates are the best repeat', () => {
    const f = fmaRate('f32', 1, { seconds: 0.01, repeats: 2 });
    assert.equal(f.samples.length, 2);
    assert.equal(f.perSecond, Math.max(...f.samples));
    const s = streamRate('triad', 1 << 16, 1, { repeats: 2 });
    assert.equal(s.perSecond, Math.max(...s.samples));
    assert.ok(s.perSecond > 0);
  });

  it('the compute roof of a bf16 kernel is the bf16 probe where AVX512-BF16 exists, else the f32 one', () => {
    const rate = (perSecond: number) => ({ perSecond, samples: [perSecond] });
    assert.equal(computePeak({ f32: rate(1), bf16: rate(2) }, 'bf16'), 2);
    assert.equal(computePeak({ f32: rate(1), bf16: rate(2) }, 'f32'), 1);
    assert.equal(computePeak({ f32: rate(1), bf16: null }, 'bf16'), 1);
    const quick = { seconds: 0.005, repeats: 1 };
    assert.equal(fmaPeaks(1, { ...quick, isa: 'scalar' }).bf16, null);
    assert.equal(fmaPeaks(1, quick).bf16 === null, best !== 'avx512-bf16');
  });

  it('refuses bad arguments with messages naming them', () => {
    assert.throws(() => native().profileFmaSync('f64' as 'f32', 1, 1, 'auto'), { name: 'TypeError', message: "kind must be 'f32' or 'bf16'" });
    assert.throws(() => native().profileStreamSync('copy', 0, 1, 1, 'auto'), { name: 'RangeError', message: 'n must be an integer ≥ 1' });
    assert.throws(() => fmaRate('f32', 0), { name: 'RangeError', message: 'threads must be an integer ≥ 1, got 0' });
  });
});
