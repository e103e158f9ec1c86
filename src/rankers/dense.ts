/**
 * A dense ranker over any text {@link Encoder} (issue 10): the corpus is encoded once with the
 * document role, each query batch with the query role, and scored by the native exact top-k (inner
 * product; the cosine when the encoder normalises). Ties follow topk: score descending, then the
 * lower corpus index. Per-query time = the call's encoding and search divided evenly over its queries.
 */
import { performance } from 'node:perf_hooks';
import { positiveInteger } from '../args.js';
import type { Encoder } from '../encoders/encoder.js';
import { topK } from '../search/topk.js';
import { checkK, corpusDocuments, queryList, RankedRun, type Corpus, type Queries, type Ranker } from './ranker.js';

export class DenseRanker implements Ranker {
  readonly name: string;
  readonly threads: number;
  private readonly docIds: string[] = [];
  private docs: Float32Array | null = null;

  constructor(
    readonly encoder: Encoder<string>,
    options: { name?: string; threads?: number } = {},
  ) {
    if (encoder === null || typeof encoder !== 'object' || typeof encoder.encode !== 'function' || encoder.modality !== 'text') throw new TypeError('encoder must be an Encoder of texts');
    this.name = options.name ?? 'dense';
    if (typeof this.name !== 'string' || !/^\S+$/.test(this.name)) throw new TypeError(`name must be one word, got ${JSON.stringify(this.name)}`);
    this.threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  }

  /** Encodes the corpus (title and text joined by a space). */
  async index(corpus: Corpus): Promise<void> {
    if (this.docs !== null || this.docIds.length > 0) throw new Error('DenseRanker.index was already called: make a new ranker for another corpus');
    const texts: string[] = [];
    const seen = new Set<string>();
    for await (const d of corpusDocuments(corpus)) {
      if (seen.has(d.id)) throw new RangeError(`corpus document id "${d.id}" appears twice`);
      seen.add(d.id);
      this.docIds.push(d.id);
      texts.push(d.title ? `${d.title} ${d.text}` : d.text);
    }
    this.docs = await this.encoder.encode(texts, { role: 'document', threads: this.threads });
  }

  async search(queries: Queries, k: number): Promise<RankedRun> {
    const start = performance.now();
    const { ids, texts } = queryList(queries);
    checkK(k);
    if (this.docs === null) throw new Error('DenseRanker.search needs index(corpus) to have finished first');
    const offsets = new Int32Array(ids.length + 1);
    const ranked: string[] = [];
    const scores: number[] = [];
    const n = this.docIds.length;
    if (n > 0 && ids.length > 0) {
      const kk = Math.min(k, n);
      const q = await this.encoder.encode(texts, { role: 'query', threads: this.threads });
      const r = await topK(q, this.docs, { dim: this.encoder.dim, k: kk, threads: this.threads });
      for (let i = 0; i < ids.length; i++) {
        for (let j = 0; j < kk; j++) {
          const d = r.ids[i * kk + j]!;
          if (d < 0) break;
          ranked.push(this.docIds[d]!);
          scores.push(r.scores[i * kk + j]!);
        }
        offsets[i + 1] = ranked.length;
      }
    }
    const total = performance.now() - start;
    return new RankedRun(this.name, ids, offsets, ranked, Float64Array.from(scores), new Float64Array(ids.length).fill(ids.length === 0 ? 0 : total / ids.length), total);
  }
}
