/**
 * `xmrbench eval`: scores a run against qrels with trec_eval 10's semantics (see src/eval/evaluate.ts)
 * and prints means, optionally per query, as a table, JSON, CSV or trec_eval's own layout.
 */
import type { Argv, CommandModule } from 'yargs';
import { readQrels, readQrelsJson, readRun, readRunJson } from '../data/trec/index.js';
import { lastRunTag } from '../data/trec/run-tag.js';
import type { Qrels } from '../data/trec/qrels.js';
import type { Run } from '../data/trec/run.js';
import { evaluate, type Evaluation } from '../eval/evaluate.js';
import { evaluateRunFile, type EvaluateFileOptions } from '../eval/evaluate-file.js';
import { asksRunId, compareTrecEvalNames, KNOWN_MEASURES, parseMeasure, parseMeasures, relStringAsked, summaryOnly, trecEvalPrintedName } from '../eval/measures.js';
import { trecEvalFormat } from '../eval/trec-eval-output.js';
import { csvCell } from '../eval/csv.js';
import { trecEvalOptions, trecEvalSettings, type TrecEvalArgs } from './trec-eval-options.js';

export type EvalFormat = 'table' | 'json' | 'csv' | 'trec';
export const EVAL_FORMATS: readonly EvalFormat[] = ['table', 'json', 'csv', 'trec'];

export interface EvalArgs extends TrecEvalArgs {
  qrels: string;
  run: string;
  metrics: string;
  'per-query': boolean;
  format: EvalFormat;
  intersection: boolean;
}

const isJson = (p: string): boolean => /\.json(\.gz)?$/.test(p);

export async function loadRunFile(path: string): Promise<Run> {
  return isJson(path) ? readRunJson(path) : readRun(path);
}

export async function loadQrelsFile(path: string): Promise<Qrels> {
  return isJson(path) ? readQrelsJson(path) : readQrels(path);
}

/**
 * What `xmrbench eval` computes: the qrels file read, then the run file (TREC or JSON) evaluated
 * against it — a plain TREC run in windows of whole queries (eval/evaluate-file.ts).
 */
export async function evaluateFiles(qrelsPath: string, runPath: string, measures: string | readonly string[], options: EvaluateFileOptions & { level?: number }): Promise<Evaluation> {
  const ms = parseMeasures(measures, { level: options.level }); // a misspelt measure fails before any file is read
  const qrels = await loadQrelsFile(qrelsPath);
  return isJson(runPath) ? evaluate(qrels, await readRunJson(runPath), ms, options) : evaluateRunFile(qrels, runPath, ms, options);
}

/** What the trec format prints beside the values, as trec_eval does when asked. */
export interface TrecEvalStrings {
  /** The run's tag: a `runid` line first among the `all` lines. */
  runId?: string;
  /** The name of relstring's lines (`relstring`, `relstring_20`, …), printed per query from ev.relStrings. */
  relString?: string;
  /** trec_eval's -l: measures at this level print under trec_eval's names (default 1). */
  level?: number;
}

/** Renders an evaluation; every format ends with a newline. */
export function formatEvaluation(ev: Evaluation, format: EvalFormat, perQuery: boolean, strings: TrecEvalStrings = {}): string {
  const rows = (fmt: (v: number, m: string) => string): string[][] => {
    const out: string[][] = [];
    if (perQuery) ev.queryIds.forEach((qid, i) => out.push([qid, ...ev.measures.map((m) => fmt(ev.perQuery.get(m)![i]!, m))]));
    out.push(['all', ...ev.measures.map((m) => fmt(ev.mean.get(m)!, m))]);
    return out;
  };
  // Each measure's printf, decided once (not per value: a run may have 10,000s of queries).
  const formats = new Map(ev.measures.map((m) => [m, trecEvalFormat(m)]));
  const printed = (v: number, m: string): string => formats.get(m)!(v);
  switch (format) {
    case 'json': {
      const obj: Record<string, unknown> = { querySet: ev.querySet, queries: ev.queryIds.length, mean: Object.fromEntries(ev.mean) };
      if (perQuery) obj['perQuery'] = Object.fromEntries(ev.queryIds.map((qid, i) => [qid, Object.fromEntries(ev.measures.map((m) => [m, ev.perQuery.get(m)![i]!]))]));
      obj['warnings'] = ev.warnings;
      return JSON.stringify(obj, null, 2) + '\n';
    }
    case 'csv':
      return [['qid', ...ev.measures], ...rows(String)].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
    case 'trec': {
      // trec_eval's "%-22s\t%s\t%.4f": per query (with -q) grouped by query, then the `all` lines.
      // Measures trec_eval prints at its defaults come under its names and in its order, so that
      // the output is trec_eval's byte for byte (scripts that read it read this); those it would
      // need a flag for (`RR@10`: -M 10) follow under xmrbench's names, as asked.
      // relstring (a string per query, m_relstring.c: "'%s'") has its place in trec_eval's order too.
      const relString = strings.relString !== undefined && ev.relStrings !== undefined ? [{ m: undefined, trec: strings.relString }] : [];
      const trec = [...ev.measures.map((m) => ({ m, trec: trecEvalPrintedName(parseMeasure(m), strings.level) })), ...relString];
      const ordered = [
        ...trec.filter((x) => x.trec !== undefined).sort((a, b) => compareTrecEvalNames(a.trec!, b.trec!)),
        ...trec.filter((x) => x.trec === undefined),
      ].map((x) => ({ m: x.m, name: (x.trec ?? x.m!).padEnd(22) }));
      const lines: string[] = [];
      // trec_eval prints num_q and gm_map for `all` only (m_num_q.c, m_gm_map.c: te_print_single_meas_empty), relstring per query only.
      const perQueryLines = ordered.filter(({ m }) => m === undefined || !summaryOnly(parseMeasure(m).family));
      const value = (m: string | undefined, i: number): string => (m === undefined ? `'${ev.relStrings![i]!}'` : printed(ev.perQuery.get(m)![i]!, m));
      if (perQuery) ev.queryIds.forEach((qid, i) => perQueryLines.forEach(({ m, name }) => lines.push(`${name}\t${qid}\t${value(m, i)}`)));
      if (strings.runId !== undefined) lines.push(`${'runid'.padEnd(22)}\tall\t${strings.runId}`);
      ordered.forEach(({ m, name }) => {
        if (m !== undefined) lines.push(`${name}\tall\t${printed(ev.mean.get(m)!, m)}`);
      });
      return lines.join('\n') + '\n';
    }
    case 'table': {
      const body = rows(printed);
      const table = [['qid', ...ev.measures], ...body];
      const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
      const text = table.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
      return `${text}\n(${ev.queryIds.length} queries, ${ev.querySet === 'all' ? 'every qrels query (trec_eval -c)' : 'qrels ∩ run'})\n`;
    }
  }
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval',
  describe: 'Score a run against qrels (trec_eval 10 semantics, ir_measures names)',
  builder: (y: Argv) =>
    trecEvalOptions(y)
      .option('qrels', { type: 'string', demandOption: true, describe: 'Qrels: TREC `qid iter docno rel` (.gz ok) or JSON {qid: {docno: rel}}' })
      .option('run', { type: 'string', demandOption: true, describe: 'Run: TREC `qid Q0 docno rank score tag` (.gz ok) or JSON {qid: {docno: score}}' })
      .option('metrics', { type: 'string', default: 'nDCG@10,RR@10,R@100', describe: `Comma-separated measures: ${KNOWN_MEASURES}` })
      .option('per-query', { type: 'boolean', default: false, describe: 'Also print every query\'s values' })
      .option('format', { choices: EVAL_FORMATS, default: 'table' as EvalFormat, describe: 'table, json, csv, or trec (trec_eval\'s measure<TAB>qid<TAB>value layout, `all` last, under trec_eval\'s names and order where it has the measure without -l/-M)' })
      .option('intersection', { type: 'boolean', default: false, describe: 'Average over queries in both qrels and run (BEIR) instead of every qrels query, missing ones scoring 0 (trec_eval -c)' })
      .example('$0 eval --qrels qrels.txt --run run.txt', 'nDCG@10, RR@10 and R@100 means')
      .example("$0 eval --qrels qrels.txt --run run.txt --metrics 'AP,P(rel=2)@5' --per-query --format trec", 'per-query values in trec_eval -q layout')
      .example('$0 eval --qrels qrels.txt --run run.txt --metrics ndcg_cut.10,P.5,10,map', "trec_eval's measure names (-m ndcg_cut.10 -m P.5,10 -m map)")
      .example('$0 eval --qrels qrels.txt --run run.txt --metrics official --format trec --intersection', "what `trec_eval qrels.txt run.txt` prints, byte for byte (add -q: --per-query; -c: drop --intersection)")
      .example('$0 eval --qrels qrels.txt --run run.txt --metrics all_trec --format trec --per-query --level 2 --max-docs 100', 'what `trec_eval -q -c -l 2 -M 100 -m all_trec qrels.txt run.txt` prints (-J: --judged-only)')
      .epilog('Ranking: score descending, ties by docno descending in byte order (trec_eval); the rank column is ignored.') as unknown as Argv<EvalArgs>,
  handler: async (argv) => {
    const { ev, text } = await runEval(argv);
    for (const w of ev.warnings) process.stderr.write(`xmrbench: warning: ${w.message}\n`);
    process.stdout.write(text);
  },
};

/** `xmrbench eval` but for its writes: the evaluation and the text it prints. */
export async function runEval(argv: EvalArgs): Promise<{ ev: Evaluation; text: string }> {
  const settings = trecEvalSettings(argv);
  // trec_eval's relstring lines: per query, in its layout
  const relString = argv.format === 'trec' && argv['per-query'] ? relStringAsked(argv.metrics) : undefined;
  const ev = await evaluateFiles(argv.qrels, argv.run, argv.metrics, {
    queries: argv.intersection ? 'intersection' : 'all',
    ...settings,
    ...(relString === undefined ? {} : { relString }),
  });
  // trec_eval's runid line: only in its layout, and only a TREC run has a tag
  const runId = argv.format === 'trec' && asksRunId(argv.metrics) && !isJson(argv.run) ? await lastRunTag(argv.run) : undefined;
  return { ev, text: formatEvaluation(ev, argv.format, argv['per-query'], { runId, relString: relString?.name, level: settings.level }) };
}
