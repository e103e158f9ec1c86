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

/** A number strictly between 0 and 1 (a level, a fraction), or a TypeError/RangeError naming `name`. */
export function openUnitInterval(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!(value > 0 && value < 1)) throw new RangeError(`${name} must be in (0, 1), got ${value}`);
  return value;
}
