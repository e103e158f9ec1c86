/**
 * trec_eval's -l, -M and -J as flags (`--level`, `--max-docs`, `--judged-only`), shared by the
 * commands that evaluate runs against qrels — `eval` and `compare` — so both read them alike.
 */
import type { Argv } from 'yargs';
import { positiveInteger } from '../args.js';

export interface TrecEvalArgs {
  level: number;
  'max-docs'?: number;
  'judged-only': boolean;
}

/** What the flags ask of the evaluation: the level for parseMeasures, the rest for evaluate(). */
export interface TrecEvalSettings {
  level: number;
  maxDocs?: number;
  judgedOnly: boolean;
}

/** Adds --level, --max-docs and --judged-only to a command. */
export function trecEvalOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('level', { type: 'number', default: 1, describe: 'Relevance level ℓ of every measure that names none: rel ≥ ℓ is relevant (trec_eval -l); P(rel=2)@5 names its own' })
    .option('max-docs', { type: 'number', describe: "Only the first N documents of each query's ranking count (trec_eval -M)" })
    .option('judged-only', { type: 'boolean', default: false, describe: 'Drop the documents the qrels do not judge (absent or negative) before measuring (trec_eval -J)' }) as unknown as Argv<T>;
}

/** The flags' values, checked. */
export function trecEvalSettings(a: TrecEvalArgs): TrecEvalSettings {
  return {
    level: positiveInteger(a.level, '--level'),
    ...(a['max-docs'] === undefined ? {} : { maxDocs: positiveInteger(a['max-docs'], '--max-docs') }),
    judgedOnly: a['judged-only'],
  };
}
