/**
 * BM25 over a native inverted index — the lexical baseline BEIR reports (Anserini/Pyserini's
 * "flat" BM25, k1 = 0.9, b = 0.4).
 *
 * Scoring (Lucene ≥ 8 BM25Similarity, which Anserini runs on; Robertson & Zaragoza 2009):
 *
 *   score(q, d) = Σ_{t ∈ q} qtf_t · idf_t · tf / (tf + k1·(1 − b + b·dl/avgdl))
 *   idf_t = ln(1 + (N − df_t + 0.5)/(df_t + 0.5))
 *
 * without the classic (k1 + 1) factor in the numerator (Lucene dropped it in 8.0, LUCENE-8563: it
 * scales every score by the same constant, so rankings are unchanged). qtf_t counts a term repeated
 * in the query (Anserini's bag-of-words query boosts it so). N counts the documents with at least
 * one indexed token, avgdl = Σ dl / N, dl = indexed tokens (after stopword removal).
 * Document lengths: `lengths: 'lucene'` (default) quantises dl as Lucene stores it (one byte,
 * SmallFloat.intToByte4: exact below 24, then 4 significant bits), so scores match Anserini's;
 * `'exact'` uses dl itself. Float arithmetic follows Lucene's scorer (float per term, the sum in double).
 *
 * Work split: analysis (words, lowercase, stopwords, stemming: analysis.ts) and the vocabulary
 * (term → integer id) live in TypeScript; the postings, scoring and top-k selection in C++
 * (native/src/bm25/bm25.cc), multi-threaded over the query batch, one crossing per batch of documents
 * or queries. Results per query: documents containing at least one query term, score descending,
 * ties by the lower corpus index (at most k).
 */
import { performance } from 'node:perf_hooks';
import { native, type NativeBm25Index, type NativeBm25Stats } from '../native.js';
import { createAnalyzer, type Analyzer, type AnalyzerOptions } from './analysis.js';
import { checkK, corpusDocuments, documentText, queryList, RankedRun, type Corpus, type Queries, type Ranker } from './ranker.js';
import { positiveInteger, probability } from '../args.js';

export interface Bm25Options extends AnalyzerOptions {
  /** Term-frequency saturation, ≥ 0; default 0.9 (Anserini's BEIR setting). */
  k1?: number;
  /** Length normalisation in [0, 1]; default 0.4 (Anserini's BEIR setting). */
  b?: number;
  /** Document lengths as Lucene stores them ('lucene', default) or exact ('exact'). */
  lengths?: 'lucene' | 'exact';
  /** Threads for query evaluation (≥ 1); default 1. */
  threads?: number;
  /** Analysis of the queries, when it differs from the documents' (e.g. another language); default the same. */
  queryAnalysis?: AnalyzerOptions;
  /** Documents handed to the native index per call; default 8192. */
  batchDocs?: number;
}


/** Growable Uint32Array. */
class U32Buffer {
  a = new Uint32Array(1 << 12);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Uint32Array {
    return this.a.subarray(0, this.n);
  }
}

export class Bm25Ranker implements Ranker {
  readonly name = 'bm25';
  readonly k1: number;
  readonly b: number;
  readonly lengths: 'lucene' | 'exact';
  readonly threads: number;
  /** The documents' analyzer. */
  readonly analyzer: Analyzer;
  /** The queries' analyzer (the documents' unless `queryAnalysis` was given). */
  readonly queryAnalyzer: Analyzer;
  private readonly batchDocs: number;
  private readonly vocab = new Map<string, number>();
  private docIds: string[] = [];
  private handle: NativeBm25Index | null = null;
  private state: 'empty' | 'indexing' | 'ready' = 'empty';

  constructor(options: Bm25Options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    const k1 = options.k1 ?? 0.9;
    const b = options.b ?? 0.4;
    if (typeof k1 !== 'number') throw new TypeError(`k1 must be a number, got ${typeof k1}`);
    if (!(k1 >= 0) || !Number.isFinite(k1)) throw new RangeError(`k1 must be a finite number ≥ 0, got ${k1}`);
    probability(b, 'b');
    const lengths = options.lengths ?? 'lucene';
    if (lengths !== 'lucene' && lengths !== 'exact') throw new TypeError(`lengths must be 'lucene' or 'exact', got ${String(lengths)}`);
    this.k1 = k1;
    this.b = b;
    this.lengths = lengths;
    this.threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
    this.batchDocs = options.batchDocs === undefined ? 8192 : positiveInteger(options.batchDocs, 'batchDocs');
    this.analyzer = createAnalyzer({ language: options.language, stemmer: options.stemmer, stopwords: options.stopwords });
    this.queryAnalyzer = options.queryAnalysis === undefined ? this.analyzer : createAnalyzer(options.queryAnalysis);
  }

  /** Analyses and indexes the corpus (once per ranker). Document order gives the tie-break. */
  async index(corpus: Corpus): Promise<void> {
    if (this.state !== 'empty') throw new Error('Bm25Ranker.index was already called: make a new ranker for another corpus');
    this.state = 'indexing';
    const handle = new (native().Bm25Index)();
    const terms = new U32Buffer();
    const offsets = new Uint32Array(this.batchDocs + 1); // offsets[0] stays 0: each batch starts afresh
    let inBatch = 0;
    const flush = () => {
      if (inBatch === 0) return;
      handle.add(terms.view(), offsets.subarray(0, inBatch + 1));
      terms.n = 0;
      inBatch = 0;
    };
    const seen = new Set<string>();
    for await (const doc of corpusDocuments(corpus)) {
      if (seen.has(doc.id)) throw new RangeError(`corpus document id "${doc.id}" appears twice`);
      seen.add(doc.id);
      this.docIds.push(doc.id);
      for (const term of this.analyzer.analyze(documentText(doc))) {
        let id = this.vocab.get(term);
        if (id === undefined) {
          id = this.vocab.size;
          this.vocab.set(term, id);
        }
        terms.push(id);
      }
      inBatch++;
      offsets[inBatch] = terms.n;
      if (inBatch === this.batchDocs) flush();
    }
    flush();
    handle.finish(this.vocab.size);
    this.handle = handle;
    this.state = 'ready';
  }

  private ready(): NativeBm25Index {
    if (this.state !== 'ready' || this.handle === null) throw new Error('Bm25Ranker.search needs index(corpus) to have finished first');
    return this.handle;
  }

  /** Analyses the queries into the native CSR form, timing each. */
  private encodeQueries(texts: readonly string[]): { terms: Uint32Array; offsets: Uint32Array; ms: Float64Array; unknownTerms: number } {
    const terms = new U32Buffer();
    const offsets = new Uint32Array(texts.length + 1);
    const ms = new Float64Array(texts.length);
    let unknownTerms = 0;
    texts.forEach((text, i) => {
      const t0 = performance.now();
      for (const term of this.queryAnalyzer.analyze(text)) {
        const id = this.vocab.get(term);
        if (id === undefined) unknownTerms++;
        else terms.push(id);
      }
      offsets[i + 1] = terms.n;
      ms[i] = performance.now() - t0;
    });
    return { terms: terms.view(), offsets, ms, unknownTerms };
  }

  /**
   * The k best documents per query, evaluated on worker threads (`threads`). Per-query time =
   * its analysis in TypeScript + its evaluation and top-k selection in C++.
   */
  async search(queries: Queries, k: number): Promise<RankedRun> {
    const start = performance.now();
    const { ids, texts } = queryList(queries);
    checkK(k);
    const handle = this.ready();
    const q = this.encodeQueries(texts);
    const r = await handle.search(q.terms, q.offsets, k, this.k1, this.b, this.lengths, this.threads);
    return this.toRankedRun(ids, k, r.ids, r.scores, r.nanos, q.ms, performance.now() - start);
  }

  /** {@link search} on the calling thread (same results), for scripts and microbenchmarks. */
  searchSync(queries: Queries, k: number): RankedRun {
    const start = performance.now();
    const { ids, texts } = queryList(queries);
    checkK(k);
    const handle = this.ready();
    const q = this.encodeQueries(texts);
    const r = handle.searchSync(q.terms, q.offsets, k, this.k1, this.b, this.lengths, this.threads);
    return this.toRankedRun(ids, k, r.ids, r.scores, r.nanos, q.ms, performance.now() - start);
  }

  private toRankedRun(queryIds: string[], k: number, ids: Int32Array, scores: Float32Array, nanos: Float64Array, analysisMs: Float64Array, totalMs: number): RankedRun {
    const m = queryIds.length;
    const offsets = new Int32Array(m + 1);
    const docIds: string[] = [];
    const rowScores: number[] = [];
    let empty = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) {
        const d = ids[i * k + j]!;
        if (d < 0) break;
        docIds.push(this.docIds[d]!);
        rowScores.push(scores[i * k + j]!);
      }
      offsets[i + 1] = docIds.length;
      if (offsets[i + 1] === offsets[i]) empty++;
    }
    const queryMs = new Float64Array(m);
    for (let i = 0; i < m; i++) queryMs[i] = analysisMs[i]! + nanos[i]! / 1e6;
    const notes = empty > 0 ? [`${empty} of ${m} queries matched no document (no query term is in the index)`] : [];
    return new RankedRun(this.name, queryIds, offsets, docIds, Float64Array.from(rowScores), queryMs, totalMs, notes);
  }

  /** Index statistics: documents, N (documents with ≥ 1 token), Σ dl, avgdl, vocabulary, postings, bytes. */
  get stats(): NativeBm25Stats & { analyzer: { language: string; stemmer: string; stopwords: string } } {
    const s = this.ready().stats;
    const a = this.analyzer;
    return { ...s, analyzer: { language: a.language, stemmer: a.stemmer, stopwords: a.stopwords } };
  }

  /** Number of documents containing the analysed term `term` (0 when it is not in the index). */
  docFreq(term: string): number {
    const id = this.vocab.get(term);
    return id === undefined ? 0 : this.ready().docFreq(id);
  }

  /** Indexed tokens of document `index` (corpus order). */
  docLength(index: number): number {
    return this.ready().docLength(index);
  }
}
