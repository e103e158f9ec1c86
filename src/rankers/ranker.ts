/**
 * One interface for every ranker (BM25, dense encoders, an external system's run file): index a
 * corpus once, then answer a batch of queries with a {@link RankedRun} — the top k documents per
 * query with scores and per-query timings — which becomes the TREC run of src/data/trec (its `Run`
 * and writer), so every ranker is evaluated by the same code (src/eval) and written the same way.
 *
 * Order: a RankedRun keeps each ranker's own order (for the native rankers: score descending, ties
 * by the lower corpus index, as topk does). `toRun()` hands the rows to RunBuilder, which ranks
 * them the way trec_eval does (score descending as doubles, ties by docno descending in byte
 * order): what evaluation and the written file use. The two differ only within exact ties.
 */
import type { BeirCorpus, BeirQueries } from '../data/beir.js';
import { RunBuilder, type Run } from '../data/trec/run.js';
import { writeRun } from '../data/trec/write.js';
import { positiveInteger } from '../args.js';

export interface CorpusDocument {
  id: string;
  text: string;
  /** Indexed before the text, separated by a space (BEIR's title field); default none. */
  title?: string;
}

/** The text a ranker reads for a document: BEIR's title and text joined by a space (the text alone without a title). */
export function documentText(d: CorpusDocument): string {
  return d.title ? `${d.title} ${d.text}` : d.text;
}

export interface Query {
  id: string;
  text: string;
}

/** Documents one by one (sync or async), or a loaded BEIR corpus. */
export type Corpus = Iterable<CorpusDocument> | AsyncIterable<CorpusDocument> | BeirCorpus;

/** A batch of queries, or loaded BEIR queries. */
export type Queries = readonly Query[] | BeirQueries;

export interface Ranker {
  /** Short name, used as the TREC run tag (one word). */
  readonly name: string;
  /** Builds the ranker's index of the corpus (call once, before search). */
  index(corpus: Corpus): Promise<void>;
  /** The k best documents for each query (k ≥ 1). */
  search(queries: Queries, k: number): Promise<RankedRun>;
}

/** Per-query rankings of one search call. */
export class RankedRun {
  constructor(
    /** Ranker name (the default TREC tag). */
    readonly ranker: string,
    /** Query ids, in the order asked. */
    readonly queryIds: readonly string[],
    /** Query i's rows are offsets[i] … offsets[i+1]−1, best first. */
    readonly offsets: Int32Array,
    /** Document id of each row. */
    readonly docIds: readonly string[],
    /** Score of each row. */
    readonly scores: Float64Array,
    /** Milliseconds spent on each query (what each ranker counts is in its docs). */
    readonly queryMs: Float64Array,
    /** Wall-clock milliseconds of the whole search call. */
    readonly totalMs: number,
    /** Anything the caller should know (queries without results, unknown ids …). */
    readonly notes: readonly string[] = [],
  ) {}

  /** Number of queries. */
  get size(): number {
    return this.queryIds.length;
  }

  /** Query i's ranked document ids and scores. */
  ranking(i: number): { docIds: string[]; scores: number[] } {
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) throw new RangeError(`query index must be in [0, ${this.size}), got ${i}`);
    const lo = this.offsets[i]!;
    const hi = this.offsets[i + 1]!;
    return { docIds: this.docIds.slice(lo, hi), scores: Array.from(this.scores.subarray(lo, hi)) };
  }

  /** Mean, median and 99th percentile of the per-query times. */
  timing(): { queries: number; totalMs: number; meanMs: number; p50Ms: number; p99Ms: number } {
    const t = Float64Array.from(this.queryMs).sort();
    const at = (p: number) => (t.length === 0 ? NaN : t[Math.min(t.length - 1, Math.ceil(p * t.length) - 1)]!);
    const mean = t.length === 0 ? NaN : t.reduce((a, b) => a + b, 0) / t.length;
    return { queries: t.length, totalMs: this.totalMs, meanMs: mean, p50Ms: at(0.5), p99Ms: at(0.99) };
  }

  /** The TREC run (src/data/trec), ranked as trec_eval ranks it. Queries without results are absent. */
  toRun(): Run {
    const b = new RunBuilder();
    for (let q = 0; q < this.size; q++) {
      const qid = this.queryIds[q]!;
      for (let i = this.offsets[q]!; i < this.offsets[q + 1]!; i++) b.add(qid, this.docIds[i]!, this.scores[i]!);
    }
    return b.build();
  }

  /** Writes the TREC run file (`.gz` for gzip); the tag defaults to the ranker's name. */
  async write(path: string, tag: string = this.ranker): Promise<void> {
    await writeRun(path, this.toRun(), tag);
  }
}

/** The documents of a corpus as an async sequence. */
export async function* corpusDocuments(corpus: Corpus): AsyncGenerator<CorpusDocument> {
  if (corpus !== null && typeof corpus === 'object' && 'ids' in corpus && Array.isArray((corpus as BeirCorpus).ids)) {
    const c = corpus as BeirCorpus;
    for (let i = 0; i < c.ids.length; i++) yield { id: c.ids[i]!, title: c.titles[i] ?? '', text: c.texts[i]! };
    return;
  }
  if (corpus === null || typeof corpus !== 'object' || (!(Symbol.iterator in corpus) && !(Symbol.asyncIterator in corpus)))
    throw new TypeError('corpus must be an iterable of {id, text, title?} or a BEIR corpus {ids, titles, texts}');
  let i = 0;
  for await (const d of corpus as AsyncIterable<CorpusDocument>) {
    if (d === null || typeof d !== 'object' || typeof d.id !== 'string' || typeof d.text !== 'string')
      throw new TypeError(`corpus document ${i} must be {id: string, text: string, title?: string}`);
    if (d.title !== undefined && typeof d.title !== 'string') throw new TypeError(`corpus document ${i} ("${d.id}"): title must be a string`);
    i++;
    yield d;
  }
}

/** A query batch as parallel arrays of ids and texts, checked. */
export function queryList(queries: Queries): { ids: string[]; texts: string[] } {
  if (queries !== null && typeof queries === 'object' && !Array.isArray(queries) && 'ids' in queries) {
    const q = queries as BeirQueries;
    return { ids: q.ids.slice(), texts: q.texts.slice() };
  }
  if (!Array.isArray(queries)) throw new TypeError('queries must be an array of {id, text} or BEIR queries {ids, texts}');
  const ids: string[] = [];
  const texts: string[] = [];
  (queries as readonly Query[]).forEach((q, i) => {
    if (q === null || typeof q !== 'object' || typeof q.id !== 'string' || typeof q.text !== 'string')
      throw new TypeError(`queries[${i}] must be {id: string, text: string}`);
    ids.push(q.id);
    texts.push(q.text);
  });
  return { ids, texts };
}

/** k as a search argument: an integer ≥ 1. */
export function checkK(k: unknown): number {
  return positiveInteger(k, 'k');
}
