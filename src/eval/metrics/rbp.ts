/**
 * Rank-biased precision — `RBP(p=x)`, trec_eval `rbp` at p = 0.9 (Moffat & Zobel, "Rank-Biased
 * Precision for Measurement of Retrieval Effectiveness", TOIS 27(1), 2008; m_rbp.c) — and its
 * residual `RBPResid(p=x)`, trec_eval `rbp_resid` (m_rbp_resid.c):
 *
 *   RBP      = (1 − p) · Σ_i g_i · p^i,   g_i = level / L when the query's highest level L > 1, else the level
 *   RBPResid = p^n + (1 − p) · Σ_{i unjudged} p^i   when some retrieved document is unjudged, else 0
 *
 * (levels ≤ 0 and unjudged documents gain 0; unjudged: absent from the qrels or judged negative).
 * trec_eval normalises its gains to [0, 1] by (g − min) / (max − min) over the levels 0 … L when
 * they leave it: min = 0, max = L. (m_rbp.c leaves min and max uninitialised before taking them
 * over the levels; this is what its own test outputs, out.test.a*, show.)
 */
export function rbpKernel(labels: Int32Array, n: number, p: number, highest: number): number {
  let sum = 0;
  let weight = 1; // p^i
  for (let i = 0; i < n; i++) {
    const level = labels[i]!;
    if (level > 0) sum += (highest > 1 ? level / highest : level) * weight;
    weight *= p;
  }
  return (1 - p) * sum;
}

export function rbpResidKernel(labels: Int32Array, n: number, p: number): number {
  let unjudged = 0;
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < n; i++) {
    if (labels[i]! < 0) {
      unjudged++;
      sum += weight;
    }
    weight *= p;
  }
  return unjudged === 0 ? 0 : weight + (1 - p) * sum;
}
