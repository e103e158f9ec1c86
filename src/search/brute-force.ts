/**
 * Top-k in plain TypeScript: float64 scores and a full sort under the documented order (score
 * descending, ties by lower index, NaN last; padding −1/−Infinity). It is the reference the native
 * kernel is tested against and the pure-TypeScript baseline `xmrbench bench topk` times.
 */
export interface Reference {
  ids: Int32Array;
  scores: Float64Array;
  /** Per query, the score ranked k + 1 (NaN when there is none). */
  next: Float64Array;
}

export function bruteForceTopK(q: Float32Array, d: Float32Array, dim: number, k: number, metric: 'ip' | 'cosine'): Reference {
  const m = q.length / dim;
  const n = d.length / dim;
  const ids = new Int32Array(m * k);
  const scores = new Float64Array(m * k);
  const next = new Float64Array(m);
  const norm = (a: Float32Array, i: number) => {
    let s = 0;
    for (let p = 0; p < dim; p++) s += a[i * dim + p]! * a[i * dim + p]!;
    return Math.sqrt(s);
  };
  for (let i = 0; i < m; i++) {
    const qn = norm(q, i);
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < dim; p++) s += q[i * dim + p]! * d[j * dim + p]!;
      if (metric === 'cosine') {
        const dn = norm(d, j);
        s = qn > 0 && dn > 0 ? s / (qn * dn) : 0;
      }
      all.push([s, j]);
    }
    all.sort((a, b) => {
      const na = Number.isNaN(a[0]);
      const nb = Number.isNaN(b[0]);
      if (na || nb) return na === nb ? a[1] - b[1] : na ? 1 : -1;
      return b[0] - a[0] || a[1] - b[1];
    });
    for (let j = 0; j < k; j++) {
      ids[i * k + j] = j < n ? all[j]![1] : -1;
      scores[i * k + j] = j < n ? all[j]![0] : -Infinity;
    }
    next[i] = k < n ? all[k]![0] : NaN;
  }
  return { ids, scores, next };
}
