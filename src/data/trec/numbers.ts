/**
 * Number parsing straight from bytes, with the results C's strtod/atol would give (trec_eval reads
 * scores with atof, relevance with atol), but strict: anything that is not a whole number literal is
 * rejected (NaN / null) instead of being read as 0, so a malformed line becomes an error.
 */

/** Exact powers of ten (10^0 … 10^22: every one is a double). */
export const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const latin1 = new TextDecoder('latin1');
const FLOAT_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A decimal floating-point literal `[+-]digits[.digits][e[+-]digits]` → double, correctly rounded;
 * NaN when the bytes are not such a literal. Fast path (Clinger 1990): when the digits form an
 * integer m < 2^53 and the decimal exponent e has |e| ≤ 22, m·10^e (or m/10^−e) is one IEEE operation
 * on two exact doubles, hence correctly rounded — the same double strtod returns. Otherwise the
 * literal is handed to V8's (also correctly rounded) string-to-number conversion.
 */
export function parseDecimal(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  const c0 = b[i];
  if (c0 === 45 /* - */ || c0 === 43 /* + */) {
    neg = c0 === 45;
    i++;
  }
  let mant = 0;
  let digits = 0; // significant digits (leading zeros excluded): mant < 10^digits
  let anyDigit = false;
  let scale = 0;
  let sawDot = false;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) {
      anyDigit = true;
      if (mant !== 0 || c !== 48) digits++;
      mant = mant * 10 + (c - 48);
      if (sawDot) scale--;
    } else if (c === 46 /* . */ && !sawDot) {
      sawDot = true;
    } else break;
  }
  if (i < end || digits > 15 || scale < -22) return slowDecimal(b, start, end);
  if (!anyDigit) return NaN;
  const v = scale === 0 ? mant : mant / POW10[-scale]!;
  return neg ? -v : v;
}

function slowDecimal(b: Uint8Array, start: number, end: number): number {
  return decimalText(latin1.decode(b.subarray(start, end)));
}

/**
 * The same for a string: a finite decimal literal's double, else NaN. (JavaScript's Number() also
 * takes hex, binary and octal literals, "Infinity" and an empty string as 0, which no text format of
 * numbers written by C's printf or Python's repr holds.)
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
