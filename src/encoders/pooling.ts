/**
 * Pooling of per-token outputs into one vector per text, and L2 normalisation, as
 * sentence-transformers computes them (sentence_transformers/models/Pooling.py, Normalize.py):
 *
 *   mean:  p = Σ_t m_t·h_t / max(Σ_t m_t, 1e-9)      (m: the attention mask, h: last_hidden_state)
 *   cls:   p = h_0                                   (the first token, [CLS] or <s>)
 *   lasttoken: p = h_t, t the last position with m_t = 1 (0 when there is none)
 *                                                    (decoder embedders: Qwen3-Embedding, gte-Qwen2)
 *   l2:    e = p / max(‖p‖₂, 1e-12)                  (torch.nn.functional.normalize's eps)
 *
 * Sums run in double, in token order.
 */

export const POOLING_MODES = ['mean', 'cls', 'lasttoken'] as const;
export type PoolingMode = (typeof POOLING_MODES)[number];

/**
 * Pools `hidden` (rows × cols × dim, row-major) under `mask` (rows × cols, nonzero = a real token)
 * into rows × dim.
 */
export function pool(mode: PoolingMode, hidden: Float32Array, mask: BigInt64Array | Int32Array, rows: number, cols: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  const acc = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const base = r * cols * dim;
    if (mode === 'cls') {
      out.set(hidden.subarray(base, base + dim), r * dim);
      continue;
    }
    if (mode === 'lasttoken') {
      let t = cols - 1;
      while (t >= 0 && Number(mask[r * cols + t]) === 0) t--;
      if (t >= 0) out.set(hidden.subarray(base + t * dim, base + (t + 1) * dim), r * dim);
      continue;
    }
    acc.fill(0);
    let count = 0;
    for (let c = 0; c < cols; c++) {
      if (Number(mask[r * cols + c]) === 0) continue;
      count++;
      const at = base + c * dim;
      for (let j = 0; j < dim; j++) acc[j] = acc[j]! + hidden[at + j]!;
    }
    const denom = Math.max(count, 1e-9);
    for (let j = 0; j < dim; j++) out[r * dim + j] = acc[j]! / denom;
  }
  return out;
}

/** Divides each row of `x` (rows of `dim`) by max(‖row‖₂, 1e-12), in place; returns x. */
export function l2NormalizeRows(x: Float32Array, dim: number): Float32Array {
  for (let at = 0; at < x.length; at += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[at + j]! * x[at + j]!;
    const scale = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < dim; j++) x[at + j] = x[at + j]! * scale;
  }
  return x;
}
