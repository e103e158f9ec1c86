/**
 * Integer parsing straight from bytes, with the result C's atol would give (trec_eval reads relevance
 * with atol), but strict: anything that is not a whole integer literal is rejected (null) instead of
 * being read as 0, so a malformed line becomes an error; and decimal literals in text (the .vec
 * reader), as strictly. (Run scores are parsed natively, as strtod does: native/src/trec/run_parse.cc.)
 */

const FLOAT_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A decimal floating-point literal `[+-]digits[.digits][e[+-]digits]` as a string → its double
 * (V8's conversion, correctly rounded as strtod), or NaN when it is not such a literal or not finite.
 * (JavaScript's Number() also takes hex, binary and octal literals, "Infinity" and an empty string as
 * 0, which no text format of numbers written by C's printf or Python's repr holds.)
 */
export function decimalText(s: string): number {
  if (!FLOAT_LITERAL.test(s)) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

/** `[+-]digits` → integer in [−2^31+1, 2^31−1], or null when the bytes are not an integer literal. */
export function parseInteger(b: Uint8Array, start: number, end: number): number | null {
  let i = start;
  let neg = false;
  if (b[i] === 45 || b[i] === 43) {
    neg = b[i] === 45;
    i++;
  }
  if (i === end || end - i > 10) return null;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  if (neg) v = -v;
  return v >= -2147483647 && v <= 2147483647 ? v : null;
}
