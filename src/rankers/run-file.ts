/**
 * An external system's TREC run used as a ranker, so that anything (Anserini, a neural system, a
 * reranker run elsewhere) can be compared with xmrbench's own rankers through the same interface.
 *
 * `index` reads the run (src/data/trec's reader: `.gz` allowed, malformed lines are E_PARSE errors
 * naming the file and line) and ignores the corpus; `search` returns, for each asked query id, the
 * stored ranking cut at k, in the order the run is held (trec_eval's: score descending, ties by
 * docno descending). A query the run does not have gets an empty ranking and is named in the notes.
 * Timings are the lookup times here, not the original system's.
 */
import { performance } from 'node:perf_hooks';
import { readRun } from '../data/trec/read.js';
import type { Run } from '../data/trec/run.js';
import { checkK, queryList, RankedRun, type Corpus, type Queries, type Ranker } from './ranker.js';

const encoder = new TextEncoder();

export class RunFileRanker implements Ranker {
  readonly name: string;
  private run: Run | null;
  private readonly path: string | null;

  /** `source`: a TREC run file path, or a Run already loaded. `name` (one word) defaults to 'run'. */
  constructor(source: string | Run, options: { name?: string } = {}) {
    const name = options.name ?? 'run';
    if (typeof name !== 'string' || !/^\S+$/.test(name)) throw new TypeError(`name must be one word without spaces, got ${JSON.stringify(name)}`);
    this.name = name;
    if (typeof source === 'string') {
      if (source === '') throw new TypeError('the run file path must be a non-empty string');
      this.path = source;
      this.run = null;
    } else if (source !== null && typeof source === 'object' && 'offsets' in source && 'docnos' in source) {
      this.path = null;
      this.run = source;
    } else {
      throw new TypeError('source must be a TREC run file path or a Run');
    }
  }

  /** Reads the run file (the corpus is not needed: the run already names documents). */
  async index(_corpus?: Corpus): Promise<void> {
    if (this.run === null && this.path !== null) this.run = await readRun(this.path);
  }

  async search(queries: Queries, k: number): Promise<RankedRun> {
    const start = performance.now();
    const { ids } = queryList(queries);
    checkK(k);
    if (this.run === null) await this.index();
    const run = this.run!;
    const offsets = new Int32Array(ids.length + 1);
    const docIds: string[] = [];
    const scores: number[] = [];
    const queryMs = new Float64Array(ids.length);
    const missing: string[] = [];
    ids.forEach((qid, i) => {
      const t0 = performance.now();
      const bytes = encoder.encode(qid);
      const q = run.queries.lookup(bytes, 0, bytes.length);
      if (q < 0) missing.push(qid);
      else {
        const lo = run.offsets[q]!;
        const hi = Math.min(run.offsets[q + 1]!, lo + k);
        for (let r = lo; r < hi; r++) {
          docIds.push(run.docnos.get(r));
          scores.push(run.scores[r]!);
        }
      }
      offsets[i + 1] = docIds.length;
      queryMs[i] = performance.now() - t0;
    });
    const notes =
      missing.length > 0 ? [`${missing.length} of ${ids.length} queries are not in the run (e.g. ${missing.slice(0, 5).join(', ')}): empty rankings`] : [];
    return new RankedRun(this.name, ids, offsets, docIds, Float64Array.from(scores), queryMs, performance.now() - start, notes);
  }
}
