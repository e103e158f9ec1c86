/**
 * The study's runs scored per query: RR@10, nDCG@10 and R@100 against their setting's qrels, as
 * trec_eval scores them (eval/evaluate.ts).
 *
 * A run step scores the run it has just made from the Run in memory (step-executors.ts), so a study
 * never reads back the runs it writes — reading the default study's 542 gzip runs back took about
 * 22 s of its 45 s of scoring (issue 16). That is exact: the file holds the same rows in the same
 * order, with each score printed in its shortest round-trip form (data/trec/write.ts), so the Run
 * read back from it is the one written (test/experiment-run-scores.test.ts). Runs taken from the
 * cache are read after the steps ({@link scoreRunFiles}).
 */
import { readRun } from '../data/trec/read.js';
import { RunBuilder, type Run } from '../data/trec/run.js';
import type { Qrels } from '../data/trec/qrels.js';
import { evaluate } from '../eval/evaluate.js';

export const MEASURES = ['RR@10', 'nDCG@10', 'R@100'] as const;

export interface RunScore {
  /** The qrels' query ids, in byte order. */
  queryIds: string[];
  /** Measure → one value per query, aligned with queryIds. */
  perQuery: Map<string, Float64Array>;
  /** Measure → mean over the queries. */
  mean: Map<string, number>;
}

export function scoreRun(qrels: Qrels, run: Run): RunScore {
  const ev = evaluate(qrels, run, [...MEASURES]);
  return { queryIds: ev.queryIds, perQuery: ev.perQuery, mean: ev.mean };
}

/** A run file to score: its run key, file, number of rows (notes.json) and its setting's qrels. */
export interface RunFile {
  key: string;
  file: string;
  rows: number;
  qrels: Qrels;
}

/**
 * Scores the runs of `files` that `scores` lacks (by key) from their files, into `scores`. The next
 * file is read while the current one is scored: its gzip is inflated on libuv's pool meanwhile.
 * Reading them all at once was slower (contention: 33 s against 22 s one after another, issue 16).
 */
export async function scoreRunFiles(files: readonly RunFile[], scores: Map<string, RunScore>): Promise<void> {
  const todo = files.filter((f) => !scores.has(f.key));
  // A system that retrieves nothing for any query (BM25 across scripts) writes an empty run, which
  // the TREC reader rightly rejects as a file; here it is a valid outcome that scores 0.
  const read = (f: RunFile): Promise<Run> => (f.rows === 0 ? Promise.resolve(new RunBuilder().build()) : readRun(f.file));
  let next = todo.length > 0 ? read(todo[0]!) : null;
  for (let i = 0; i < todo.length; i++) {
    const run = await next!;
    next = i + 1 < todo.length ? read(todo[i + 1]!) : null;
    // Awaited in the next turn; a failure must not be an unhandled rejection while this run is scored.
    next?.catch(() => undefined);
    scores.set(todo[i]!.key, scoreRun(todo[i]!.qrels, run));
  }
}
