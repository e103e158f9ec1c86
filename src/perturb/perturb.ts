/**
 * Adversarial perturbations of embeddings, on flat Float32Arrays, by the native kernel
 * (multi-threaded, AVX-512 / AVX2 / scalar chosen at run time). Usable on any embeddings: token
 * embeddings of a batch of sequences, pooled sentence vectors, image patches.
 *
 * Forms (DESIGN.md, "Adversarial perturbations"):
 * - `linf` — FGSM (Goodfellow et al. 2015): δ = ε·sign(∇ₓL), element by element, with sign(±0) = 0,
 *   so a zero gradient leaves its element unchanged.
 * - `l2` — Miyato et al. 2017: δ = ε·g/‖g‖₂, the norm taken over a whole group of `groupSize` floats
 *   (one sequence's embeddings, tokens × dim), so each group's δ has norm ε; a group whose gradient
 *   is all zero gets δ = 0.
 * - {@link project} — the projection of PGD (Madry et al. 2018) and FreeLB (Zhu et al. 2020) onto the
 *   ε-ball: `linf` clamps every element to [−ε, ε]; `l2` rescales a group whose norm exceeds ε to
 *   norm ε and leaves the others unchanged. A PGD step is `project(perturb(δ, g, {eps: α, …}), {eps, …})`.
 *
 * What is returned: {@link perturb} gives the adversarial embeddings x + δ (each element rounded once
 * to float32: x + ε·sign(g) exactly as `Math.fround(x + ε·sign(g))`), {@link perturbation} gives δ alone.
 * Both, and {@link project}, allocate a new array unless `out` is given: `out` may be a fresh array
 * (allocation-free loops) or one of the inputs itself (in place), never a partly overlapping view.
 *
 * Padding: with `mask` (one byte per row of `rowSize` floats, 0 = padding), padding rows take no part:
 * they are left out of every l2 norm and get δ = 0 (perturb returns x unchanged there; project
 * writes 0 there, so the result is a perturbation of the real tokens only).
 *
 * Precision: ε is rounded to float32; l2 norms are accumulated in double (no overflow or underflow
 * of squares); x + s·g is one fused multiply–add. Results are identical on every ISA path except
 * the l2 norm's summation order, which can move a scale factor by one float32 ulp. NaN in a
 * gradient gives NaN (in its element for linf, in its group for l2): never silently zero.
 *
 * Throughput: one pass over memory for linf (reads x and g, writes the output), two for l2 (the
 * group's gradient is read once for its norm, then again with x, from cache for groups of up to
 * about 1 MiB); outputs of 16 MiB or more are written with non-temporal stores, like a large memcpy.
 */
import { native, type IsaName, type PerturbNormName } from '../native.js';
import { describe, float32, isaChoice, positiveInteger } from '../args.js';

export type PerturbNorm = PerturbNormName;

export interface ProjectOptions {
  /** Radius of the ball (≥ 0, finite; rounded to float32). */
  eps: number;
  norm: PerturbNorm;
  /** Floats per group: required for `l2` (tokens × dim of one sequence); for `linf` only checked. */
  groupSize?: number;
  /** Floats per mask row (one token's embedding, i.e. dim); required with `mask`. */
  rowSize?: number;
  /** One byte per row, 0 = padding (excluded from norms, δ = 0). */
  mask?: Uint8Array;
  /** Where to write (a Float32Array of the same length, or an input itself); default a new array. */
  out?: Float32Array;
  /** Threads for this call (≥ 1); default 1. */
  threads?: number;
  /** Instruction-set path; default 'auto'. */
  isa?: IsaName | 'auto';
}

export type PerturbOptions = ProjectOptions;


/** True when two views share bytes but do not start at the same place (in-place use is fine). */
function partlyOverlap(a: Float32Array, b: Float32Array): boolean {
  if (a.buffer !== b.buffer || a.byteOffset === b.byteOffset) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

function sameShape(a: Float32Array, aName: string, b: Float32Array, bName: string): void {
  if (a.length !== b.length) throw new RangeError(`${bName}.length (${b.length}) must equal ${aName}.length (${a.length})`);
  if (partlyOverlap(a, b)) throw new RangeError(`${bName} must not partially overlap ${aName}`);
}

interface Checked {
  eps: number;
  norm: PerturbNorm;
  groupSize: number;
  rowSize: number;
  mask: Uint8Array | null;
  threads: number;
  isa: IsaName | 'auto';
}

function checkOptions(options: ProjectOptions | undefined, n: number, arrayName: string): Checked {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with eps and norm');
  const { eps, norm } = options;
  if (typeof eps !== 'number') throw new TypeError(`eps must be a number, got ${typeof eps}`);
  if (!(eps >= 0) || !Number.isFinite(Math.fround(eps))) throw new RangeError(`eps must be a finite number ≥ 0, got ${eps}`);
  if (norm !== 'linf' && norm !== 'l2') throw new TypeError(`norm must be 'linf' or 'l2', got ${String(norm)}`);
  let groupSize = 0;
  if (options.groupSize !== undefined) {
    groupSize = positiveInteger(options.groupSize, 'groupSize');
    if (n % groupSize !== 0) throw new RangeError(`${arrayName}.length (${n}) is not a multiple of groupSize (${groupSize})`);
  } else if (norm === 'l2') {
    throw new TypeError("groupSize is required for norm 'l2' (the floats of one sequence: tokens × dim)");
  }
  let rowSize = 0;
  let mask: Uint8Array | null = null;
  if (options.mask !== undefined) {
    if (!(options.mask instanceof Uint8Array)) throw new TypeError(`mask must be a Uint8Array, got ${describe(options.mask)}`);
    if (options.rowSize === undefined) throw new TypeError('rowSize is required with mask (the floats of one row, e.g. dim)');
    rowSize = positiveInteger(options.rowSize, 'rowSize');
    if (n % rowSize !== 0) throw new RangeError(`${arrayName}.length (${n}) is not a multiple of rowSize (${rowSize})`);
    if (groupSize !== 0 && groupSize % rowSize !== 0) throw new RangeError(`groupSize (${groupSize}) is not a multiple of rowSize (${rowSize})`);
    if (options.mask.length !== n / rowSize) throw new RangeError(`mask.length (${options.mask.length}) must equal the number of rows (${n} / ${rowSize} = ${n / rowSize})`);
    mask = options.mask;
  } else if (options.rowSize !== undefined) {
    rowSize = positiveInteger(options.rowSize, 'rowSize');
    if (n % rowSize !== 0) throw new RangeError(`${arrayName}.length (${n}) is not a multiple of rowSize (${rowSize})`);
  }
  const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  const isa = isaChoice(options.isa ?? 'auto');
  return { eps, norm, groupSize, rowSize, mask, threads, isa };
}

function outputFor(options: ProjectOptions, like: Float32Array, likeName: string): Float32Array {
  if (options.out === undefined) return new Float32Array(like.length);
  const out = float32(options.out, 'out');
  sameShape(like, likeName, out, 'out');
  return out;
}

/**
 * The adversarial embeddings x + δ, δ computed from `gradients` (∇ₓL, same length) as described
 * above. Returns `options.out` when given, else a new array.
 */
export function perturb(embeddings: Float32Array, gradients: Float32Array, options: PerturbOptions): Float32Array {
  const x = float32(embeddings, 'embeddings');
  const g = float32(gradients, 'gradients');
  sameShape(x, 'embeddings', g, 'gradients');
  const c = checkOptions(options, g.length, 'gradients');
  const out = outputFor(options, g, 'gradients');
  if (partlyOverlap(x, out)) throw new RangeError('out must not partially overlap embeddings');
  return native().perturbSync(x, g, out, c.eps, c.norm, c.groupSize, c.rowSize, c.mask, c.threads, c.isa);
}

/** δ alone (ε·sign(g) or ε·g/‖g‖₂ per group): {@link perturb} of zero embeddings, without reading them. */
export function perturbation(gradients: Float32Array, options: PerturbOptions): Float32Array {
  const g = float32(gradients, 'gradients');
  const c = checkOptions(options, g.length, 'gradients');
  const out = outputFor(options, g, 'gradients');
  return native().perturbSync(null, g, out, c.eps, c.norm, c.groupSize, c.rowSize, c.mask, c.threads, c.isa);
}

/**
 * Π_ε(δ): `delta` projected onto the ε-ball (per group for l2). Idempotent bit for bit: an l2 group
 * outside the ball is scaled by ε/‖δ‖·(1 − 2⁻²²), so that its float32 result lies inside even after
 * rounding (a relative shortfall of 2.4·10⁻⁷), and a group inside the ball is copied unchanged.
 */
export function project(delta: Float32Array, options: ProjectOptions): Float32Array {
  const d = float32(delta, 'delta');
  const c = checkOptions(options, d.length, 'delta');
  const out = outputFor(options, d, 'delta');
  return native().projectSync(d, out, c.eps, c.norm, c.groupSize, c.rowSize, c.mask, c.threads, c.isa);
}

/**
 * dst.set(src) by the native kernel's thread split and a plain memcpy: the reference perturb's
 * throughput is measured against (src/bench/perturb.ts).
 */
export function copyFloats(src: Float32Array, dst: Float32Array, options: { threads?: number } = {}): Float32Array {
  const s = float32(src, 'src');
  const d = float32(dst, 'dst');
  sameShape(s, 'src', d, 'dst');
  const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  return native().copyFloatsSync(s, d, threads);
}
