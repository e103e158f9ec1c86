/**
 * `xmrbench compare`: evaluates several runs on the same qrels (every qrels query, trec_eval -c, so
 * the per-query values line up) and prints a ranx-style comparison table with paired significance
 * tests (see src/eval/compare.ts).
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { COMPARE_FORMATS, COMPARE_TESTS, compareSystems, formatComparison, type CompareFormat, type CompareTest, type SystemScores } from '../eval/compare.js';
import { evaluate } from '../eval/evaluate.js';
import { KNOWN_MEASURES, parseMeasures } from '../eval/measures.js';
import { trecEvalOptions, trecEvalSettings, type TrecEvalArgs } from './trec-eval-options.js';
import { P_ADJUST_METHODS, type PAdjustMethod } from '../eval/significance/index.js';
import { loadQrelsFile, loadRunFile } from './eval.js';

interface CompareArgs extends TrecEvalArgs {
  qrels: string;
  runs: string[];
  metrics: string;
  test: CompareTest;
  correction: PAdjustMethod;
  alpha: number;
  baseline?: string;
  format: CompareFormat;
  permutations: number;
  seed: number;
  resamples: number;
}

/**
 * Display names of run files: the file name without a trailing .gz and extension; the whole path as
 * given when two names would collide.
 */
export function runNames(files: readonly string[]): string[] {
  const short = files.map((f) => path.basename(f).replace(/\.gz$/, '').replace(/\.[^.]+$/, ''));
  return short.map((s, i) => (short.indexOf(s) === short.lastIndexOf(s) ? s : files[i]!));
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'Compare runs on the same qrels with paired significance tests (a ranx-style table)',
  builder: (y: Argv) =>
    trecEvalOptions(y)
      .option('qrels', { type: 'string', demandOption: true, describe: 'Qrels: TREC `qid iter docno rel` (.gz ok) or JSON {qid: {docno: rel}}' })
      .option('runs', { type: 'string', array: true, demandOption: true, describe: 'Two to 26 runs (TREC or JSON), lettered a, b, c … in this order' })
      .option('metrics', { type: 'string', default: 'nDCG@10,RR@10,AP', describe: `Comma-separated measures: ${KNOWN_MEASURES}` })
      .option('test', { choices: COMPARE_TESTS, default: 't' as CompareTest, describe: 'Paired test: t (Student), wilcoxon (signed-rank, scipy conventions), randomization (sign flips), mcnemar (exact, on 0/1 measures such as Success@k), mcnemar-midp' })
      .option('correction', { choices: P_ADJUST_METHODS, default: 'holm' as PAdjustMethod, describe: 'Multiple-comparison correction over each measure\'s comparisons (bh = Benjamini–Hochberg)' })
      .option('alpha', { type: 'number', default: 0.05, describe: 'Significance level for the adjusted p-values' })
      .option('baseline', { type: 'string', describe: 'Compare every run against this one only (its name, e.g. run-a, or its path as given)' })
      .option('format', { choices: COMPARE_FORMATS, default: 'table' as CompareFormat, describe: 'table, markdown, latex, or json (every p-value, adjusted p-value, effect size and bootstrap interval)' })
      .option('permutations', { type: 'number', default: 10_000, describe: 'Randomization test: random sign flips (all 2^n are enumerated when 2^n is not larger)' })
      .option('seed', { type: 'number', default: 0, describe: 'Seed of the randomization test and the bootstrap' })
      .option('resamples', { type: 'number', default: 10_000, describe: 'JSON only: bootstrap resamples for the 95% BCa intervals of the mean difference' })
      .example('$0 compare --qrels qrels.txt --runs bm25.txt dense.txt cs.txt', 'all pairs, paired t-test, Holm')
      .example('$0 compare --qrels qrels.txt --runs zs.txt cs.txt adv.txt --baseline zs --test randomization --format markdown', 'each run against zero-shot')
      .example('$0 compare --qrels t2i.qrels --runs clip.t2i.run mclip.t2i.run --metrics Success@1,Success@5 --test mcnemar', 'image–text hit/miss per query')
      .epilog('Per-query values cover every qrels query (trec_eval -c): a query missing from a run scores 0.') as unknown as Argv<CompareArgs>,
  handler: async (argv) => {
    const names = runNames(argv.runs);
    if (argv.runs.length < 2) throw new XmrError('E_CONFIG', `--runs needs at least two runs, got ${argv.runs.length}`);
    let baseline = argv.baseline;
    if (baseline !== undefined) {
      const byPath = argv.runs.indexOf(baseline);
      if (byPath >= 0) baseline = names[byPath];
      else if (!names.includes(baseline)) throw new XmrError('E_CONFIG', `--baseline ${baseline} is not one of the runs (${names.join(', ')})`);
    }
    const { level, ...trecEval } = trecEvalSettings(argv);
    const ms = parseMeasures(argv.metrics, { level }); // a misspelt measure fails before any file is read
    const [qrels, ...runs] = await Promise.all([loadQrelsFile(argv.qrels), ...argv.runs.map((f) => loadRunFile(f))]);
    const systems: SystemScores[] = [];
    let measures: string[] = [];
    runs.forEach((run, i) => {
      // Every qrels query, in byte order, for every run: index i is the same query in each.
      const ev = evaluate(qrels!, run, ms, { queries: 'all', ...trecEval });
      for (const w of ev.warnings) process.stderr.write(`xmrbench: warning: ${names[i]}: ${w.message}\n`);
      measures = ev.measures;
      systems.push({ name: names[i]!, perQuery: ev.perQuery });
    });
    const comparison = compareSystems(systems, measures, {
      test: argv.test,
      correction: argv.correction,
      alpha: argv.alpha,
      baseline,
      permutations: argv.permutations,
      seed: argv.seed,
      resamples: argv.format === 'json' ? argv.resamples : 0,
    });
    process.stdout.write(formatComparison(comparison, argv.format));
  },
};
