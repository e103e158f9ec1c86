/**
 * `xmrbench regress`: did a change make things worse? Performance (two builds' bench workloads,
 * interleaved in fresh processes, decided by src/bench/regress/decision.ts) or, with --accuracy,
 * rankers' effectiveness (a non-inferiority gate on per-query values). Exit status 1 when anything
 * regressed, 2 on a usage error, 0 otherwise — so a CI step fails exactly on a regression.
 */
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { accuracyGate, formatAccuracy, readStudy, type SystemValues } from '../bench/regress/accuracy.js';
import { readBaseline } from '../bench/regress/baseline.js';
import { comparePerformance } from '../bench/regress/performance.js';
import { formatReport, REGRESS_FORMATS, type RegressFormat } from '../bench/regress/report.js';
import { COMPARE_TESTS, type CompareTest } from '../eval/compare.js';
import { evaluate } from '../eval/evaluate.js';
import { P_ADJUST_METHODS, type PAdjustMethod } from '../eval/significance/index.js';
import { packageRoot } from '../native.js';
import { writeFileAtomic } from '../atomic-write.js';
import { runNames } from './compare.js';
import { loadQrelsFile, loadRunFile } from './eval.js';

interface RegressArgs {
  a?: string[];
  b?: string[];
  baseline?: string;
  force: boolean;
  record: boolean;
  workload?: string[];
  driver?: string[];
  threshold: number;
  alpha: number;
  budget: number;
  'min-rounds': number;
  'max-rounds': number;
  warmup: number;
  seed: number;
  resamples: number;
  accuracy: boolean;
  qrels?: string;
  metrics: string;
  margin: number;
  test: CompareTest;
  correction: PAdjustMethod;
  format: RegressFormat;
  out?: string;
  quiet: boolean;
}

const DEFAULT_WORKLOAD = 'topk --docs 20000 --dim 128 --queries 64 --k 10 --threads 1 --time 300 --baseline-queries 1';

function usage(message: string): never {
  throw new XmrError('E_USAGE', message);
}

async function performance(argv: RegressArgs): Promise<number> {
  const a = argv.a ?? [];
  const b = argv.b ?? [packageRoot];
  if (a.length > 1 || b.length > 1) usage('--a and --b each take one folder for a performance comparison');
  const modes = [a.length > 0, argv.baseline !== undefined, argv.record].filter(Boolean).length;
  if (modes !== 1) usage('give exactly one of --a DIR (two builds), --baseline FILE (a saved result) or --record (measure B alone, to save with --out)');
  if (argv.record && argv.out === undefined) usage('--record needs --out FILE to save the measurements');
  const baseline = argv.baseline === undefined ? undefined : { file: argv.baseline, report: readBaseline(argv.baseline), force: argv.force };
  const workloads = argv.workload ?? baseline?.report.workloads ?? [DEFAULT_WORKLOAD];
  const report = await comparePerformance({
    a: a[0] ?? null,
    b: b[0]!,
    baseline,
    workloads,
    drivers: argv.driver ?? [],
    threshold: argv.threshold,
    alpha: argv.alpha,
    seed: argv.seed,
    resamples: argv.resamples,
    budgetSeconds: argv.budget,
    minRounds: argv['min-rounds'],
    maxRounds: argv['max-rounds'],
    warmupRounds: argv.warmup,
    progress: argv.quiet ? undefined : (line) => process.stderr.write(`xmrbench regress: ${line}\n`),
  });
  if (argv.out) writeFileAtomic(argv.out, Buffer.from(formatReport(report, 'json')));
  process.stdout.write(formatReport(report, argv.format));
  return report.decision?.exitCode ?? 0;
}

async function accuracy(argv: RegressArgs): Promise<number> {
  const a = argv.a ?? [];
  const b = argv.b ?? [];
  if (a.length === 0 || b.length === 0) usage('--accuracy needs --a and --b: two results.json, or with --qrels, run files');
  let systemsA: SystemValues[];
  let systemsB: SystemValues[];
  let measures: string[];
  if (argv.qrels === undefined) {
    if (a.length !== 1 || b.length !== 1) usage('--accuracy without --qrels compares two results.json: give one file each to --a and --b (or pass --qrels to compare run files)');
    const sa = readStudy(a[0]!);
    const sb = readStudy(b[0]!);
    systemsA = sa.systems;
    systemsB = sb.systems;
    measures = sa.measures.filter((m) => sb.measures.includes(m));
  } else {
    if (a.length !== b.length) usage(`--a and --b must list as many runs (paired by position), got ${a.length} and ${b.length}`);
    const qrels = await loadQrelsFile(argv.qrels);
    const names = runNames(a);
    const score = async (files: string[]): Promise<SystemValues[]> =>
      Promise.all(
        files.map(async (f, i) => {
          const ev = evaluate(qrels, await loadRunFile(f), argv.metrics, { queries: 'all' });
          for (const w of ev.warnings) process.stderr.write(`xmrbench: warning: ${f}: ${w.message}\n`);
          measures = ev.measures;
          return { name: names[i]!, queryIds: ev.queryIds, perQuery: ev.perQuery };
        }),
      );
    measures = [];
    systemsA = await score(a);
    systemsB = await score(b);
  }
  const gate = accuracyGate(systemsA, systemsB, measures, { margin: argv.margin, test: argv.test, correction: argv.correction, alpha: argv.alpha, seed: argv.seed, resamples: argv.resamples }, { a, b });
  if (argv.out) writeFileAtomic(argv.out, Buffer.from(formatAccuracy(gate, 'json')));
  process.stdout.write(formatAccuracy(gate, argv.format));
  return gate.exitCode;
}

export const regressCommand: CommandModule<object, RegressArgs> = {
  command: 'regress',
  describe: 'Regression check between two builds (timings) or two studies or sets of runs (--accuracy); exit 1 on a regression',
  builder: (y: Argv) =>
    y
      .option('a', { type: 'string', array: true, describe: 'Build A, the baseline: a checkout or installed package folder (with --accuracy: a results.json, or run files with --qrels)' })
      .option('b', { type: 'string', array: true, describe: 'Build B, the change (default: this package; with --accuracy: as --a)' })
      .option('baseline', { type: 'string', describe: 'A saved `regress --out` result whose build B stands in for A (same machine only)' })
      .option('force', { type: 'boolean', default: false, describe: 'Compare with a --baseline measured on another machine' })
      .option('record', { type: 'boolean', default: false, describe: 'Measure build B alone and save it with --out, as a later --baseline' })
      .option('workload', { type: 'string', array: true, describe: `A \`bench\` command line to time, repeatable (default: "${DEFAULT_WORKLOAD}")` })
      .option('driver', { type: 'string', array: true, describe: 'Compare only these drivers of each workload (e.g. "xmrbench f32")' })
      .option('threshold', { type: 'number', default: 0.05, describe: 'Noise band: a change must lie beyond this factor (0.05 = 5%) with its whole 95% interval' })
      .option('alpha', { type: 'number', default: 0.05, describe: 'Significance level of the adjusted p-values' })
      .option('budget', { type: 'number', default: 300, describe: 'Time budget in seconds; no new round starts that would overrun it' })
      .option('min-rounds', { type: 'number', default: 5, describe: 'Measured rounds before the first decision' })
      .option('max-rounds', { type: 'number', default: 30, describe: 'Measured rounds at most' })
      .option('warmup', { type: 'number', default: 1, describe: 'Warm-up rounds, run and discarded' })
      .option('seed', { type: 'number', default: 0, describe: 'Seed of the bootstrap (and the randomization test)' })
      .option('resamples', { type: 'number', default: 10_000, describe: 'Bootstrap resamples' })
      .option('accuracy', { type: 'boolean', default: false, describe: 'Compare effectiveness instead of time: a non-inferiority gate on per-query values' })
      .option('qrels', { type: 'string', describe: '--accuracy: qrels to score the run files of --a and --b on' })
      .option('metrics', { type: 'string', default: 'nDCG@10,RR@10,AP', describe: '--accuracy with --qrels: measures to compare' })
      .option('margin', { type: 'number', default: 0, describe: '--accuracy: fail only when B is significantly worse than A by more than this' })
      .option('test', { choices: COMPARE_TESTS, default: 't' as CompareTest, describe: '--accuracy: the paired test' })
      .option('correction', { choices: P_ADJUST_METHODS, default: 'holm' as PAdjustMethod, describe: 'Correction across workloads (or systems × measures)' })
      .option('format', { choices: REGRESS_FORMATS, default: 'table' as RegressFormat, describe: 'table, markdown (for a CI comment), or json (every sample)' })
      .option('out', { type: 'string', describe: 'Also write the JSON result to this file' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines on stderr' })
      .example('$0 regress --a ../main --b . --workload "topk --docs 20000 --queries 64 --time 300"', 'Two checkouts, one workload')
      .example('$0 regress --record --out base.json', 'Save this build\'s timings as a baseline …')
      .example('$0 regress --baseline base.json --format markdown', '… and compare a later build with it')
      .example('$0 regress --accuracy --a old/results.json --b new/results.json --margin 0.01', 'Two studies: fail when a system lost more than 0.01')
      .example('$0 regress --accuracy --qrels qrels.txt --a old.run --b new.run --metrics RR@10', 'Two runs on the same qrels') as unknown as Argv<RegressArgs>,
  handler: async (argv) => {
    process.exitCode = argv.accuracy ? await accuracy(argv) : await performance(argv);
  },
};
