/**
 * Integer parsing straight from bytes, with the result C's atol would give (trec_eval reads relevance
 * with atol), but strict: anything that is not a whole integer literal is rejected (null) instead of
 * being read as 0, so a malformed line becomes an error. (Run scores are parsed natively, as strtod
 * does: native/src/trec/run_parse.cc.)
 */

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
