import assert from 'node:assert/strict';
import type { Reference } from '../../src/search/brute-force.js';

/**
 * Asserts the same ranking as the reference wherever neighbouring reference scores are more than
 * `tol` (relative) apart — closer scores may swap under another summation order — and scores
 * within `tol`.
 */
export function assertSameRanking(ref: Reference, got: { ids: Int32Array; scores: Float32Array }, k: number, tol: number, label: string): void {
  assert.equal(got.ids.length, ref.ids.length, `${label}: ids length`);
  const m = ref.ids.length / k;
  const close = (a: number, b: number) => Math.abs(a - b) <= tol * (1 + Math.abs(b));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      const x = i * k + j;
      const rs = ref.scores[x]!;
      const gs = got.scores[x]!;
      if (ref.ids[x] === -1) {
        assert.ok(got.ids[x] === -1 && gs === -Infinity, `${label}: padding at query ${i} rank ${j}`);
        continue;
      }
      assert.ok(Number.isNaN(rs) ? Number.isNaN(gs) : close(gs, rs), `${label}: score ${gs} vs ${rs} at query ${i} rank ${j}`);
      const prev = j > 0 ? ref.scores[x - 1]! : NaN;
      const nxt = j + 1 < k ? ref.scores[x + 1]! : ref.next[i]!;
      const nearTie = close(prev, rs) || close(nxt, rs);
      if (!nearTie) assert.equal(got.ids[x], ref.ids[x], `${label}: id at query ${i} rank ${j}`);
    }
  }
}
