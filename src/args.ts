/**
 * The one home of argument checks and their wording (the model is sharp's lib/is.js): every public
 * function checks its arguments here, once, at the boundary. Messages name the argument, and the
 * error types follow JavaScript's convention (TypeError for a wrong type, RangeError for a value out
 * of range), so tests can pin them. Errors in files (configs, tokenizer.json) are XmrErrors naming
 * the file and field instead (src/json-fields.ts); the native side keeps cheap guards of its own.
 */

/** Instruction-set paths of the kernels, least to most capable: the one list, for checks and CLI choices. */
export const ISA_NAMES = ['scalar', 'avx2', 'avx512', 'avx512-bf16'] as const;
export type IsaName = (typeof ISA_NAMES)[number];
/** What an `isa` option accepts: a path, or 'auto' (the best the CPU supports). */
export const ISA_CHOICES: readonly (IsaName | 'auto')[] = ['auto', ...ISA_NAMES];

/** A value's kind for a message: 'null', the typed-array class (Float64Array…), or typeof. */
export function describe(value: unknown): string {
  return value === null ? 'null' : ArrayBuffer.isView(value) ? value.constructor.name : typeof value;
}

/** A Float32Array, or a TypeError naming `name`. */
export function float32(value: unknown, name: string): Float32Array {
  if (!(value instanceof Float32Array)) throw new TypeError(`${name} must be a Float32Array, got ${describe(value)}`);
  return value;
}

function number(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  return value;
}

/** An integer ≥ 1, or a TypeError/RangeError naming `name`. */
export function positiveInteger(value: unknown, name: string): number {
  const v = number(value, name);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${v}`);
  return v;
}

/**
 * A benchmark's count option (queries, threads, …): an integer ≥ 1, or a RangeError naming `name` in
 * the benchmarks' wording, "a positive integer" (their messages predate {@link positiveInteger}).
 */
export function positiveCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** A safe integer ≥ 0, or a TypeError/RangeError naming `name`. */
export function nonNegativeInteger(value: unknown, name: string): number {
  const v = number(value, name);
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be an integer ≥ 0, got ${v}`);
  return v;
}

/**
 * A seed of the seeded generators (src/random.ts) and the native trainer: a safe integer ≥ 0. One
 * rule for every seed, so a seed that works in one command works in all.
 */
export function checkSeed(value: unknown, name = 'seed'): number {
  return nonNegativeInteger(value, name);
}

/** A probability or rate in [0, 1] (NaN rejected), or a TypeError/RangeError naming `name`. */
export function probability(value: unknown, name: string): number {
  const v = number(value, name);
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
  return v;
}

/** An `isa` option: 'auto' or one of {@link ISA_NAMES}, or a TypeError. */
export function isaChoice(value: unknown, name = 'isa'): IsaName | 'auto' {
  return oneOf(value, name, ISA_CHOICES);
}

/** A number strictly between 0 and 1 (a level, a fraction), or a TypeError/RangeError naming `name`. */
export function openUnitInterval(value: unknown, name: string): number {
  const v = number(value, name);
  if (!(v > 0 && v < 1)) throw new RangeError(`${name} must be in (0, 1), got ${v}`);
  return v;
}

/** A boolean, or a TypeError naming `name`. */
export function booleanArg(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${typeof value}`);
  return value;
}

/** A string, or a TypeError naming `name`. */
export function stringArg(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${typeof value}`);
  return value;
}

/** One of `choices`, or a TypeError naming `name` and the choices. */
export function oneOf<T extends string>(value: unknown, name: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) throw new TypeError(`${name} must be one of ${choices.join(', ')}, got ${String(value)}`);
  return value as T;
}

/** A finite number > 0 (a rate, a scale), or a TypeError/RangeError naming `name`. */
export function positiveNumber(value: unknown, name: string): number {
  const v = number(value, name);
  if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
  return v;
}

/** A finite number ≥ 0 (a threshold that 0 switches off), or a TypeError/RangeError naming `name`. */
export function nonNegativeNumber(value: unknown, name: string): number {
  const v = number(value, name);
  if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${name} must be a finite number ≥ 0, got ${v}`);
  return v;
}
