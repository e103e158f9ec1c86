/**
 * This machine's roofs, measured: peak multiply-add rate (float32, bf16) and STREAM bandwidth
 * (copy, triad) on a given number of threads, through the native probes (xmr/profile.h).
 *
 * - FMA: the iteration count is calibrated so one run lasts about `seconds`; the best of
 *   `repeats` runs is the rate (a peak is a maximum: slower runs met interference).
 * - STREAM: arrays of `floats` floats each, `repeats` passes, the best pass's rate, as STREAM
 *   itself reports (McCalpin 1995: "best rate", first pass included here since the arrays were
 *   already first-touched).
 */
import { positiveInteger } from '../../args.js';
import { native, type IsaName } from '../../native.js';

export interface Rate {
  /** operations (flop) or bytes per second, best of the repeats */
  perSecond: number;
  /** every repeat's rate */
  samples: number[];
}

/**
 * A calibrated FMA probe: the iteration count is grown until a run takes a tenth of `seconds`,
 * then scaled to about `seconds`; each call of the returned function is one more run, its rate.
 */
export function fmaProbe(kind: 'f32' | 'bf16', threads: number, options: { seconds?: number; isa?: IsaName | 'auto' } = {}): () => number {
  positiveInteger(threads, 'threads');
  const { seconds = 0.2, isa = 'auto' } = options;
  const binding = native();
  let iterations = 1 << 14;
  for (;;) {
    const t = binding.profileFmaSync(kind, iterations, threads, isa);
    if (t.seconds >= seconds / 10 || iterations > 2 ** 40) {
      iterations = Math.max(1, Math.round((iterations * seconds) / Math.max(t.seconds, 1e-9)));
      break;
    }
    iterations *= 4;
  }
  return () => {
    const t = binding.profileFmaSync(kind, iterations, threads, isa);
    return t.flops / t.seconds;
  };
}

export function fmaRate(kind: 'f32' | 'bf16', threads: number, options: { seconds?: number; repeats?: number; isa?: IsaName | 'auto' } = {}): Rate {
  const { repeats = 3 } = options;
  positiveInteger(repeats, 'repeats');
  const run = fmaProbe(kind, threads, options);
  const samples = Array.from({ length: repeats }, run);
  return { perSecond: Math.max(...samples), samples };
}

/** The FMA roofs of one thread count: float32, and bf16 where the ISA path has AVX512-BF16 (AMX's where `native().amx`). */
export interface FmaPeaks {
  f32: Rate;
  bf16: Rate | null;
}

/** Probes both FMA roofs at `threads` on `isa` ('auto': the best path this CPU has). */
export function fmaPeaks(threads: number, options: { seconds?: number; repeats?: number; isa?: IsaName | 'auto' } = {}): FmaPeaks {
  const isa = options.isa ?? 'auto';
  const hasBf16 = (isa === 'auto' ? native().isa : isa) === 'avx512-bf16';
  return { f32: fmaRate('f32', threads, options), bf16: hasBf16 ? fmaRate('bf16', threads, options) : null };
}

/**
 * The compute roof of a kernel whose arithmetic is `kind`: bf16 kernels run VDPBF16PS (or AMX
 * tiles) where it exists and widen to float32 FMAs where it does not, so their roof is then the
 * float32 one.
 */
export function computePeak(peaks: FmaPeaks, kind: 'f32' | 'bf16'): number {
  return (kind === 'bf16' ? peaks.bf16 : peaks.f32)?.perSecond ?? peaks.f32.perSecond;
}

export function streamRate(kind: 'copy' | 'triad', floats: number, threads: number, options: { repeats?: number; isa?: IsaName | 'auto' } = {}): Rate {
  positiveInteger(floats, 'floats');
  positiveInteger(threads, 'threads');
  const { repeats = 5, isa = 'auto' } = options;
  positiveInteger(repeats, 'repeats');
  const r = native().profileStreamSync(kind, floats, repeats, threads, isa);
  const samples = Array.from(r.seconds, (s) => r.bytes / s);
  return { perSecond: Math.max(...samples), samples };
}
