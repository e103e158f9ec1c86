/**
 * Multiple-comparison adjustment of p-values.
 *
 * With m p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎:
 * - `bonferroni`: p̃ᵢ = min(1, m·pᵢ) (controls the family-wise error rate).
 * - `holm` (Holm 1979, step-down): p̃₍ᵢ₎ = min(1, maxⱼ≤ᵢ (m − j + 1)·p₍ⱼ₎), monotone in i (FWER).
 * - `bh` (Benjamini & Hochberg 1995): p̃₍ᵢ₎ = min(1, minⱼ≥ᵢ p₍ⱼ₎·m/j) (false discovery rate), as
 *   `scipy.stats.false_discovery_control(method='bh')` and R's `p.adjust(method='BH')`.
 * - `none`: the p-values unchanged.
 *
 * NaN p-values (from degenerate tests, e.g. a t-test on identical runs) stay NaN and are not counted
 * in m, as R's `p.adjust` does. Results come back in the input order.
 */

export type PAdjustMethod = 'bonferroni' | 'holm' | 'bh' | 'none';

export const P_ADJUST_METHODS: readonly PAdjustMethod[] = ['bonferroni', 'holm', 'bh', 'none'];

/**
 * Adjusts p-values for multiple comparisons.
 * @throws TypeError when `pValues` is not an array of numbers; RangeError for a value outside [0, 1]
 *   or an unknown method.
 */
export function adjustPValues(pValues: ArrayLike<number>, method: PAdjustMethod): number[] {
  const fn = 'adjustPValues';
  if (!P_ADJUST_METHODS.includes(method)) {
    throw new RangeError(`${fn}: method must be one of ${P_ADJUST_METHODS.join(', ')}, got ${String(method)}`);
  }
  if (pValues === null || typeof pValues !== 'object' || typeof pValues.length !== 'number') {
    throw new TypeError(`${fn}: pValues must be an array of numbers`);
  }
  const p = Array.from(pValues);
  p.forEach((v, i) => {
    if (typeof v !== 'number') throw new TypeError(`${fn}: pValues[${i}] must be a number, got ${typeof v}`);
    if (!Number.isNaN(v) && !(v >= 0 && v <= 1)) throw new RangeError(`${fn}: pValues[${i}] must be in [0, 1], got ${v}`);
  });
  const out = p.slice();
  // Indices of the non-NaN p-values, ascending by p (stable for ties).
  const order = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i])).sort((i, j) => (p[i] as number) - (p[j] as number) || i - j);
  const m = order.length;
  const at = (k: number): number => p[order[k] as number] as number;
  if (method === 'bonferroni') {
    for (const i of order) out[i] = Math.min(1, m * (p[i] as number));
  } else if (method === 'holm') {
    let running = 0;
    order.forEach((i, k) => {
      running = Math.max(running, Math.min(1, (m - k) * at(k)));
      out[i] = running;
    });
  } else if (method === 'bh') {
    let running = 1;
    for (let k = m - 1; k >= 0; k--) {
      running = Math.min(running, at(k) * (m / (k + 1)));
      out[order[k] as number] = running;
    }
  }
  return out;
}
