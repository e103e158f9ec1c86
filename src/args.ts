/**
 * Argument checks shared by every wrapper of a native call: the messages name the argument, and
 * the error types follow JavaScript's convention (TypeError for a wrong type, RangeError for a
 * value out of range), so tests can pin them.
 */

/** An integer ≥ 1, or a TypeError/RangeError naming `name`. */
export function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
  return value;
}

/** A safe integer ≥ 0, or a TypeError/RangeError naming `name`. */
export function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be an integer ≥ 0, got ${value}`);
  return value;
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
