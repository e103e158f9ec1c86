/**
 * Retrieval quality of a trained dual encoder on a multilingual BEIR dataset laid out like
 * datasets/ddtp-mini (one folder per language, parallel ids): queries of language X against the
 * documents of language Y (X→Y), scored with src/eval (RR@10 = MRR@10 by default; trec_eval
 * semantics: every judged query counts, ties by docno descending).
 */
import path from 'node:path';
import { loadBeir } from '../data/beir.js';
import { evaluate } from '../eval/evaluate.js';
import { DualEncoderRanker } from '../rankers/dual-encoder.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import type { DualEncoder } from './dual-encoder.js';

export interface PairScore {
  queries: string;
  docs: string;
  measure: string;
  value: number;
  queriesEvaluated: number;
}

/** `pairs` as "de-en" (queries in de, documents in en); default measure RR@10. */
export async function evaluateLanguagePairs(
  model: DualEncoder,
  tokenizer: Tokenizer,
  dataset: string,
  pairs: readonly string[],
  options: { threads?: number; maxLength?: number; measure?: string; split?: string } = {},
): Promise<PairScore[]> {
  const measure = options.measure ?? 'RR@10';
  const rankers = new Map<string, DualEncoderRanker>();
  const out: PairScore[] = [];
  for (const pair of pairs) {
    const m = /^([a-z]{2,3})-([a-z]{2,3})$/.exec(pair);
    if (m === null) throw new RangeError(`a language pair must look like "de-en" (queries-documents), got ${JSON.stringify(pair)}`);
    const [, ql, dl] = m as unknown as [string, string, string];
    let ranker = rankers.get(dl);
    if (ranker === undefined) {
      ranker = new DualEncoderRanker(model, tokenizer, { threads: options.threads, maxLength: options.maxLength });
      await ranker.index((await loadBeir(path.join(dataset, dl), { split: options.split ?? 'test' })).corpus);
      rankers.set(dl, ranker);
    }
    const q = await loadBeir(path.join(dataset, ql), { split: options.split ?? 'test' });
    const run = await ranker.search(q.queries, 10);
    const e = evaluate(q.qrels, run.toRun(), measure);
    out.push({ queries: ql, docs: dl, measure, value: e.mean.values().next().value as number, queriesEvaluated: e.queryIds.length });
  }
  return out;
}
