/**
 * Precision measured against R — trec_eval `relative_P_k` (`RelP@k`) and `Rprec_mult_m`
 * (`RprecMult@m`), m_rel_P.c and m_Rprec_mult.c. With R the judged documents with rel ≥ ℓ and
 * hits(k) the relevant ones among the first min(k, n) retrieved:
 *
 *   RelP@k      = hits(k) / min(k, R), 0 when R = 0: P@k up to k = R, R@k beyond it
 *   RprecMult@m = hits(c) / c,  c = ⌊m·R + 0.9⌋, 0 when c = 0: precision at a multiple of R
 *
 * (RprecMult@1 is Rprec.) trec_eval truncates m·R + 0.9 here where it rounds with lround for
 * iprec_at_recall and 11pt_avg; both are kept as it has them.
 */
export function relativePKernel(labels: Int32Array, n: number, k: number, level: number, numRel: number): number {
  if (numRel === 0) return 0;
  return hits(labels, n < k ? n : k, level) / (k > numRel ? numRel : k);
}

export function rprecMultKernel(labels: Int32Array, n: number, multiple: number, level: number, numRel: number): number {
  const c = Math.trunc(multiple * numRel + 0.9);
  return c === 0 ? 0 : hits(labels, n < c ? n : c, level) / c;
}

function hits(labels: Int32Array, m: number, level: number): number {
  let h = 0;
  for (let i = 0; i < m; i++) if (labels[i]! >= level) h++;
  return h;
}
