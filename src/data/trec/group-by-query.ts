/**
 * Grouping rows by query: rows arrive in file order with a dense query id each; `groupOrder` finds
 * per-query segments with a counting sort, and returns no permutation at all when the input already
 * lists each query in one block (as nearly every run and qrels file does).
 */

/** Per-query segments: query q's rows are `offsets[q] … offsets[q+1]−1`; `order[j]` is the input row now at j (null: unchanged). */
export interface Grouping {
  offsets: Int32Array;
  order: Int32Array | null;
}

export function groupOrder(q: Int32Array, n: number, numQueries: number): Grouping {
  const offsets = new Int32Array(numQueries + 1);
  let contiguous = true; // ids are assigned in order of first appearance, so blocks ⇔ non-decreasing ids
  for (let i = 0; i < n; i++) {
    const qi = q[i]!;
    offsets[qi + 1]!++;
    if (i > 0 && qi < q[i - 1]!) contiguous = false;
  }
  for (let k = 0; k < numQueries; k++) offsets[k + 1]! += offsets[k]!;
  if (contiguous) return { offsets, order: null };
  const next = offsets.slice(0, numQueries);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[q[i]!]!++] = i;
  return { offsets, order };
}

type Column = Int32Array | Uint32Array | Float64Array;

/** The first n values of `a`, reordered by `order` (or a view of them: no copy when unchanged). */
export function applyOrder<T extends Column>(a: T, n: number, order: Int32Array | null): T {
  if (order === null) return a.subarray(0, n) as T;
  const out = new (a.constructor as new (n: number) => T)(n);
  for (let j = 0; j < n; j++) out[j] = a[order[j]!]!;
  return out;
}
