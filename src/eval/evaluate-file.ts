/**
 * Evaluation straight from a run file: what `xmrbench eval` and `bench eval` run. A plain TREC file
 * is read in windows of whole queries, each scored as it arrives (data/trec/run-windows.ts says why:
 * memory re-used instead of ~700 MB touched once); a file that cannot be read so (queries not in one
 * block each, gzip, a malformed line) is read whole with readRun. The values are evaluate()'s either way.
 */
import { readRun } from '../data/trec/read.js';
import type { Qrels } from '../data/trec/qrels.js';
import { readRunInWindows } from '../data/trec/run-windows.js';
import { evaluate, Evaluator, type EvaluateOptions, type Evaluation } from './evaluate.js';
import type { Measure } from './measures.js';

export interface EvaluateFileOptions extends EvaluateOptions {
  /** Threads to parse the run with (default: the machine's available parallelism). */
  threads?: number;
  /** Bytes per window of the run (default 16 MiB; see data/trec/run-windows.ts). */
  windowBytes?: number;
}

/** Evaluates the TREC run file at `runPath` against `qrels` (see evaluate()). */
export async function evaluateRunFile(qrels: Qrels, runPath: string, measures: string | readonly (string | Measure)[], options: EvaluateFileOptions = {}): Promise<Evaluation> {
  const evaluator = new Evaluator(qrels, measures, options);
  const windowed = await readRunInWindows(runPath, (run) => evaluator.add(run), { threads: options.threads, windowBytes: options.windowBytes });
  if (windowed) return evaluator.finish();
  return evaluate(qrels, await readRun(runPath, { threads: options.threads }), measures, options);
}
