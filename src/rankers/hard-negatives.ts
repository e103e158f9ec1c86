/**
 * Hard negatives for training (src/train/train.ts takes this as its `negativeMiner`): BM25 on the
 * training texts, and for each query the best-ranked document that is not its positive. It lives
 * with the rankers so that training never imports a ranker.
 */
import type { BeirCorpus } from '../data/beir.js';
import { Bm25Ranker } from './bm25.js';

/** Training pairs (src/train/train.ts's TrainingPairs): query texts and each one's positive document. */
export interface PairsWithPositives {
  queries: readonly string[];
  corpus: BeirCorpus;
  /** positives[i]: index into corpus of query i's positive. */
  positives: Int32Array;
}

/** For each query, the best BM25-ranked document other than its positive (or its positive when none). */
export async function mineHardNegatives(pairs: PairsWithPositives, threads: number): Promise<Int32Array> {
  const bm25 = new Bm25Ranker({ threads });
  await bm25.index(pairs.corpus);
  const docIndex = new Map(pairs.corpus.ids.map((id, i) => [id, i] as const));
  const run = await bm25.search(pairs.queries.map((text, i) => ({ id: String(i), text })), 5);
  const out = new Int32Array(pairs.queries.length);
  for (let i = 0; i < pairs.queries.length; i++) {
    out[i] = pairs.positives[i]!;
    for (const id of run.ranking(i).docIds) {
      const d = docIndex.get(id)!;
      if (d !== pairs.positives[i]) {
        out[i] = d;
        break;
      }
    }
  }
  return out;
}
