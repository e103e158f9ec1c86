/**
 * A dense ranker over any text {@link Encoder} (src/encoders): documents are encoded once by
 * `index`, queries per `search` call, and scored by the native exact top-k (inner product; with an
 * L2-normalised encoder that is the cosine). Ties follow topk: score descending, then the lower
 * corpus index. Per-query time = the call's encoding and search divided evenly over its queries
 * (they run as one batch).
 */
import { performance } from 'node:perf_hooks';
import { positiveInteger } from '../args.js';
import type { Encoder } from '../encoders/encoder.js';
import { topK, type TopKResult } from '../search/topk.js';
import { checkK, corpusDocuments, documentText, queryList, RankedRun, type Corpus, type CorpusDocument, type Queries, type Ranker } from './ranker.js';

export interface DenseRankerOptions {
  /** Run tag; default 'dense'. */
  name?: string;
  /** Threads for encoding and search; default 1. */
  threads?: number;
}

/**
 * The ranked run of a top-k result: row i of `result` (k = ids.length / queryIds.length slots,
 * padded with id −1 when fewer documents exist) ranks documents of `docIds` for `queryIds[i]`.
 */
export function rankedRunFromTopK(name: string, queryIds: readonly string[], docIds: readonly string[], result: Pick<TopKResult, 'ids' | 'scores'>, totalMs = 0): RankedRun {
  const k = queryIds.length === 0 ? 0 : result.ids.length / queryIds.length;
  const offsets = new Int32Array(queryIds.length + 1);
  const ranked: string[] = [];
  const scores = new Float64Array(result.ids.length);
  let at = 0;
  for (let i = 0; i < queryIds.length; i++) {
    for (let j = 0; j < k; j++) {
      const d = result.ids[i * k + j]!;
      if (d < 0) break;
      ranked.push(docIds[d]!);
      scores[at++] = result.scores[i * k + j]!;
    }
    offsets[i + 1] = at;
  }
  const queryMs = new Float64Array(queryIds.length).fill(queryIds.length === 0 ? 0 : totalMs / queryIds.length);
  return new RankedRun(name, [...queryIds], offsets, ranked, scores.subarray(0, at), queryMs, totalMs);
}

export class DenseRanker implements Ranker {
  readonly name: string;
  readonly threads: number;
  private docIds: string[] = [];
  private docs: Float32Array | null = null;
  private state: 'empty' | 'indexing' | 'ready' = 'empty';

  constructor(
    readonly encoder: Encoder<string>,
    options: DenseRankerOptions = {},
  ) {
    if (encoder === null || typeof encoder !== 'object' || typeof (encoder as Encoder<string>).encode !== 'function' || (encoder as Encoder<string>).modality !== 'text')
      throw new TypeError('encoder must be an Encoder of texts');
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    this.name = options.name ?? 'dense';
    if (typeof this.name !== 'string' || !/^\S+$/.test(this.name)) throw new TypeError(`name must be one word, got ${JSON.stringify(this.name)}`);
    this.threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  }

  /** Encodes the corpus (title and text joined by a space). */
  async index(corpus: Corpus): Promise<void> {
    if (this.state !== 'empty') throw new Error('DenseRanker.index was already called: make a new ranker for another corpus');
    this.state = 'indexing';
    const texts: string[] = [];
    const seen = new Set<string>();
    for await (const d of corpusDocuments(corpus)) {
      if (seen.has(d.id)) throw new RangeError(`corpus document id "${d.id}" appears twice`);
      seen.add(d.id);
      this.docIds.push(d.id);
      texts.push(documentText(d));
    }
    this.docs = await this.encoder.encode(texts, { role: 'document', threads: this.threads });
    this.state = 'ready';
  }

  /** The corpus encodings (documents × dim, row-major), once `index` has finished. */
  get documentVectors(): Float32Array {
    return this.ready();
  }

  /** The k best documents for each query. */
  async search(queries: Queries, k: number): Promise<RankedRun> {
    const start = performance.now();
    const { ids, texts } = queryList(queries);
    checkK(k);
    this.ready();
    const q = await this.encoder.encode(texts, { role: 'query', threads: this.threads });
    return this.searchVectors(ids, q, k, start);
  }

  /** The k best documents for query encodings given directly (e.g. perturbed ones), row i for queryIds[i]. */
  async searchVectors(queryIds: readonly string[], vectors: Float32Array, k: number, start = performance.now()): Promise<RankedRun> {
    checkK(k);
    const docs = this.ready();
    const n = this.docIds.length;
    const dim = this.encoder.dim;
    if (vectors.length !== queryIds.length * dim) throw new RangeError(`vectors must hold queryIds.length × dim = ${queryIds.length * dim} floats, got ${vectors.length}`);
    const result = n > 0 && queryIds.length > 0 ? await topK(vectors, docs, { dim, k: Math.min(k, n), threads: this.threads }) : { ids: new Int32Array(0), scores: new Float32Array(0) };
    return rankedRunFromTopK(this.name, queryIds, this.docIds, result, performance.now() - start);
  }

  private ready(): Float32Array {
    if (this.state !== 'ready' || this.docs === null) throw new Error('DenseRanker.search needs index(corpus) to have finished first');
    return this.docs;
  }
}
