/** C's printf number formatting where trec_eval's output depends on it. */

/**
 * Fixed-point formatting as C's printf("%.Nf") prints it (trec_eval prints values with "%.4f").
 * JavaScript's toFixed rounds an exact tie away from zero, glibc's printf to even: 1/32 = 0.03125
 * prints 0.0313 in JavaScript and 0.0312 in trec_eval. Only exact ties differ, and a tie at N
 * decimals is exactly representable only when the double equals m / (2·10^N) with m odd.
 */
export function printfFixed(x: number, digits = 4): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new RangeError(`digits must be an integer in [0, 20], got ${digits}`);
  if (!Number.isFinite(x)) return String(x);
  const twice = x * 2 * 10 ** digits;
  const five = 5 ** digits;
  // Exact tie ⇔ x = twice/(2·10^N) with twice odd; as a dyadic rational that needs 5^N | twice.
  if (Number.isInteger(twice) && Math.abs(twice) % 2 === 1 && twice % five === 0 && twice / five / 2 ** (digits + 1) === x) {
    const down = (twice - 1) / 2;
    const even = down % 2 === 0 ? down : down + 1;
    return (even / 10 ** digits).toFixed(digits);
  }
  return x.toFixed(digits);
}
