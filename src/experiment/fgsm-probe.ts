/**
 * The FGSM probe of both halves: each query embedding q is pushed against its relevant item's score.
 * With s = q·d⁺, ∇_q(−s) = −d⁺, so q' = q + ε·sign(−d⁺) (Goodfellow et al. 2015), through the native
 * perturbation kernel. ε is relative to the RMS coordinate of a unit vector, 1/√dim.
 */
import { perturb } from '../perturb/perturb.js';

/** `relevant[i]` is query i's relevant row of `docs`, or −1 (the query is left as it is). */
export function fgsmAgainstRelevant(q: Float32Array, docs: Float32Array, dim: number, relevant: Int32Array, epsRelative: number): Float32Array {
  if (epsRelative === 0) return q;
  const grad = new Float32Array(q.length);
  relevant.forEach((d, i) => {
    if (d < 0) return;
    for (let p = 0; p < dim; p++) grad[i * dim + p] = -docs[d * dim + p]!;
  });
  return perturb(q, grad, { eps: epsRelative / Math.sqrt(dim), norm: 'linf' });
}
