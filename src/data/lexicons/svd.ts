/**
 * Singular value decomposition of a small square matrix by one-sided Jacobi rotations (Hestenes 1958;
 * see Demmel & Veselić 1992 for its accuracy): columns of A are rotated pairwise until orthogonal, the
 * rotations accumulate in V, and then A·V = U·Σ. Float64; meant for d×d with d up to a few hundred.
 */
import { positiveInteger } from '../../args.js';

export interface Svd {
  /** n×n row-major, orthonormal columns. */
  u: Float64Array;
  s: Float64Array;
  /** n×n row-major, orthogonal. */
  v: Float64Array;
}

export function jacobiSvd(a: Float64Array, n: number, maxSweeps = 60): Svd {
  positiveInteger(n, 'n');
  if (a.length !== n * n) throw new RangeError(`a.length (${a.length}) must be n*n (${n * n})`);
  const u = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const eps = 1e-15;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const up = u[i * n + p]!;
          const uq = u[i * n + q]!;
          alpha += up * up;
          beta += uq * uq;
          gamma += up * uq;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const up = u[i * n + p]!;
          const uq = u[i * n + q]!;
          u[i * n + p] = c * up - s * uq;
          u[i * n + q] = s * up + c * uq;
          const vp = v[i * n + p]!;
          const vq = v[i * n + q]!;
          v[i * n + p] = c * vp - s * vq;
          v[i * n + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += u[i * n + j]! ** 2;
    norm = Math.sqrt(norm);
    s[j] = norm;
    if (norm > 0) for (let i = 0; i < n; i++) u[i * n + j]! /= norm;
  }
  return { u, s, v };
}
