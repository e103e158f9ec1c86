/**
 * A dense ranker over the native dual encoder (src/train/dual-encoder.ts): documents are tokenized
 * and encoded once by `index`, queries per `search` call, and scored by the native exact top-k
 * (inner product of L2-normalised encodings = cosine). Ties follow topk: score descending, then
 * the lower corpus index. Per-query time = the call's tokenization, encoding and search divided
 * evenly over its queries (they run as one batch).
 */
import { performance } from 'node:perf_hooks';
import { topK } from '../search/topk.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import { positiveInteger } from '../args.js';
import { DualEncoder, sequencesFromBatch, type Sequences } from '../train/dual-encoder.js';
import { checkK, corpusDocuments, queryList, RankedRun, type Corpus, type Queries, type Ranker } from './ranker.js';

export interface DualEncoderRankerOptions {
  /** Run tag; default 'dual-encoder'. */
  name?: string;
  /** Tokens kept per text (truncation); default 128. */
  maxLength?: number;
  /** Threads for tokenization, encoding and search; default 1. */
  threads?: number;
}

/** Tokenizes texts into ragged sequences (no special tokens: they would add one constant to every mean). */
export async function tokenizeTexts(tokenizer: Tokenizer, texts: string[], options: { maxLength: number; threads: number }): Promise<Sequences> {
  const batch = await tokenizer.encodeBatch(texts, { addSpecialTokens: false, padding: false, maxLength: options.maxLength, threads: options.threads });
  return sequencesFromBatch(batch);
}

export class DualEncoderRanker implements Ranker {
  readonly name: string;
  readonly model: DualEncoder;
  readonly tokenizer: Tokenizer;
  readonly maxLength: number;
  readonly threads: number;
  private docIds: string[] = [];
  private docs: Float32Array | null = null;
  private state: 'empty' | 'indexing' | 'ready' = 'empty';

  constructor(model: DualEncoder, tokenizer: Tokenizer, options: DualEncoderRankerOptions = {}) {
    if (!(model instanceof DualEncoder)) throw new TypeError('model must be a DualEncoder');
    if (tokenizer === null || typeof tokenizer !== 'object' || typeof (tokenizer as Tokenizer).encodeBatch !== 'function')
      throw new TypeError('tokenizer must be a Tokenizer');
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    this.model = model;
    this.tokenizer = tokenizer;
    this.name = options.name ?? 'dual-encoder';
    if (typeof this.name !== 'string' || !/^\S+$/.test(this.name)) throw new TypeError(`name must be one word, got ${JSON.stringify(this.name)}`);
    this.maxLength = options.maxLength === undefined ? 128 : positiveInteger(options.maxLength, 'maxLength');
    this.threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  }

  /** Tokenizes and encodes the corpus (title and text joined by a space). */
  async index(corpus: Corpus): Promise<void> {
    if (this.state !== 'empty') throw new Error('DualEncoderRanker.index was already called: make a new ranker for another corpus');
    this.state = 'indexing';
    const texts: string[] = [];
    const seen = new Set<string>();
    for await (const d of corpusDocuments(corpus)) {
      if (seen.has(d.id)) throw new RangeError(`corpus document id "${d.id}" appears twice`);
      seen.add(d.id);
      this.docIds.push(d.id);
      texts.push(d.title ? `${d.title} ${d.text}` : d.text);
    }
    const seqs = await tokenizeTexts(this.tokenizer, texts, { maxLength: this.maxLength, threads: this.threads });
    this.docs = await this.model.encode(seqs, { threads: this.threads });
    this.state = 'ready';
  }

  /** The k best documents for each query. */
  async search(queries: Queries, k: number): Promise<RankedRun> {
    const start = performance.now();
    const { ids, texts } = queryList(queries);
    checkK(k);
    if (this.state !== 'ready' || this.docs === null) throw new Error('DualEncoderRanker.search needs index(corpus) to have finished first');
    const n = this.docIds.length;
    const kk = Math.min(k, Math.max(n, 1));
    const seqs = await tokenizeTexts(this.tokenizer, texts, { maxLength: this.maxLength, threads: this.threads });
    const q = await this.model.encode(seqs, { threads: this.threads });
    const offsets = new Int32Array(ids.length + 1);
    const docIds: string[] = [];
    let scores = new Float64Array(0);
    if (n > 0 && ids.length > 0) {
      const r = await topK(q, this.docs, { dim: this.model.outDim, k: kk, threads: this.threads });
      scores = new Float64Array(ids.length * kk);
      let at = 0;
      for (let i = 0; i < ids.length; i++) {
        for (let j = 0; j < kk; j++) {
          const d = r.ids[i * kk + j]!;
          if (d < 0) break;
          docIds.push(this.docIds[d]!);
          scores[at++] = r.scores[i * kk + j]!;
        }
        offsets[i + 1] = at;
      }
      scores = scores.subarray(0, at);
    }
    const total = performance.now() - start;
    const queryMs = new Float64Array(ids.length).fill(ids.length === 0 ? 0 : total / ids.length);
    return new RankedRun(this.name, ids, offsets, docIds, scores, queryMs, total);
  }
}
