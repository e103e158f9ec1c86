/**
 * Retrieval quality of a text encoder on a multilingual BEIR dataset laid out like
 * datasets/ddtp-mini (one folder per language, parallel ids): queries of language X against the
 * documents of language Y (X→Y), scored with src/eval (RR@10 = MRR@10 by default; trec_eval
 * semantics: every judged query counts, ties by docno descending).
 */
import path from 'node:path';
import { loadBeir } from '../data/beir.js';
import type { Encoder } from '../encoders/encoder.js';
import { DenseRanker } from '../rankers/dense.js';
import { evaluate } from './evaluate.js';
import { parseMeasure } from './measures.js';

export interface PairScore {
  queries: string;
  docs: string;
  measure: string;
  value: number;
  queriesEvaluated: number;
}

/**
 * How deep a measure needs the ranking: its cutoff k, or the whole corpus for a measure without one
 * (AP, RR, nDCG and R-prec read every retrieved document, as trec_eval does on a full run).
 */
export function searchDepth(measure: string, corpusSize: number): number {
  const { cutoff } = parseMeasure(measure);
  return Math.max(1, cutoff === undefined ? corpusSize : Math.min(cutoff, corpusSize));
}

/** `pairs` as "de-en" (queries in de, documents in en); default measure RR@10. */
export async function evaluateLanguagePairs(
  encoder: Encoder<string>,
  dataset: string,
  pairs: readonly string[],
  options: { threads?: number; measure?: string; split?: string } = {},
): Promise<PairScore[]> {
  const measure = options.measure ?? 'RR@10';
  const rankers = new Map<string, { ranker: DenseRanker; size: number }>();
  const out: PairScore[] = [];
  for (const pair of pairs) {
    const m = /^([a-z]{2,3})-([a-z]{2,3})$/.exec(pair);
    if (m === null) throw new RangeError(`a language pair must look like "de-en" (queries-documents), got ${JSON.stringify(pair)}`);
    const [, ql, dl] = m as unknown as [string, string, string];
    let r = rankers.get(dl);
    if (r === undefined) {
      const ranker = new DenseRanker(encoder, { threads: options.threads });
      const { corpus } = await loadBeir(path.join(dataset, dl), { split: options.split ?? 'test' });
      await ranker.index(corpus);
      r = { ranker, size: corpus.ids.length };
      rankers.set(dl, r);
    }
    const q = await loadBeir(path.join(dataset, ql), { split: options.split ?? 'test' });
    const run = await r.ranker.search(q.queries, searchDepth(measure, r.size));
    const e = evaluate(q.qrels, run.toRun(), measure);
    out.push({ queries: ql, docs: dl, measure, value: e.mean.values().next().value as number, queriesEvaluated: e.queryIds.length });
  }
  return out;
}
