import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** A TREC run file as topK's arrays: k rows per query (queries in `qids` order), docs numbered by `docIds`; the rank k+1 score as `next` when the file has it. */
export function runArrays(file: string, qids: string[], docIds: string[], k: number) {
  const perQuery = new Map<string, { doc: string; score: number }[]>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const [q, , d, , s] = line.split(' ');
    (perQuery.get(q!) ?? perQuery.set(q!, []).get(q!)!).push({ doc: d!, score: Number(s) });
  }
  const ids = new Int32Array(qids.length * k).fill(-1);
  const scores = new Float64Array(qids.length * k).fill(-Infinity);
  const next = new Float64Array(qids.length).fill(-Infinity);
  qids.forEach((q, i) => {
    (perQuery.get(q) ?? []).forEach((r, j) => {
      if (j < k) {
        ids[i * k + j] = docIds.indexOf(r.doc);
        scores[i * k + j] = r.score;
      } else if (j === k) next[i] = r.score;
    });
  });
  return { ids, scores, next };
}
