/**
 * `xmrbench experiment`: the study's plan (plan.ts) executed step by step through the executors
 * registered per kind (step-executors.ts), then every run scored (RR@10, nDCG@10, R@100 per query),
 * tested and reported.
 *
 * Plan steps are cached by content hash (see cache.ts), so a re-run recomputes only what changed and
 * an interrupted run resumes; scoring is cheap and always recomputed.
 */
import { linkSync, mkdirSync, rmSync } from 'node:fs';
import { copyFileAtomic, removeOrphanedTemporaries, writeFileAtomic } from '../atomic-write.js';
import os from 'node:os';
import path from 'node:path';
import { readRun } from '../data/trec/index.js';
import { RunBuilder } from '../data/trec/run.js';
import { evaluate } from '../eval/evaluate.js';
import { native } from '../native.js';
import { ResultCache } from './cache.js';
import { studySystems, type ExperimentConfig } from './config.js';
import { Lexicons } from './lexicons.js';
import { lexiconSourceSummaries } from './lexicon-report.js';
import { buildPlan, runSteps, type Plan } from './plan.js';
import { estimateSeconds } from './plan-summary.js';
import { PlanProgress } from './progress.js';
import { writeReport } from './report.js';
import { PROBE_MEASURES, RESULTS_SCHEMA_VERSION, tableContrasts, type Results, type RunRecord } from './results.js';
import { loadSetting } from './settings.js';
import { tableStats, type CellInput } from './stats.js';
import { STEP_EXECUTORS, StudyContext } from './step-executors.js';
import { describeSystem } from './systems.js';
import { imageTextModelFiles, scoreImageText } from './image-text/score.js';

export const MEASURES = ['RR@10', 'nDCG@10', 'R@100'] as const;

export interface ExperimentOptions {
  config: ExperimentConfig;
  out: string;
  cache: string;
  /** Progress line on stderr (default true). */
  progress?: boolean;
  /** Stop cleanly before the next step when this returns true. */
  shouldStop?: () => boolean;
  /** Ctrl-C: stop before the next step, and stop a step in training at its next chunk of steps (its entry is not written). */
  signal?: AbortSignal;
  /** Receives warnings, e.g. a damaged cache entry being recomputed (default: a line on stderr). */
  warn?: (message: string) => void;
}

export class Interrupted extends Error {
  constructor(readonly done: number, readonly total: number) {
    super(`interrupted after ${done} of ${total} steps; run the same command again to resume (finished steps are cached)`);
  }
}

/** Runs the study: plan, execute, score, write results.json and the report into `options.out`. */
export async function runExperiment(options: ExperimentOptions): Promise<Results> {
  const { config } = options;
  const started = Date.now();
  const stageSeconds: Record<string, number> = { load: 0, train: 0, search: 0, probe: 0, score: 0, report: 0 };
  const cache = new ResultCache(options.cache, options.warn);
  // What a writer killed in an earlier run of this study left beside its outputs (runs/, models/, figures/).
  removeOrphanedTemporaries(options.out, 3);
  const t0 = Date.now();
  const plan = buildPlan(config);
  const lexicons = new Lexicons(config.lexicons, config.lexiconSources);
  // Read before any step runs, so a malformed bli.json stops the study at once rather than at the report.
  const lexiconSources = lexiconSourceSummaries(config, studySystems(config));
  const settings = new Map(config.settings.map((s) => [s.id, loadSetting(config.dataset, s, config.mixSeed)]));
  stageSeconds.load = (Date.now() - t0) / 1000;

  const ctx = new StudyContext(config, cache, lexicons, settings, options.signal);
  let cachedSteps: number;
  try {
    cachedSteps = await executePlan(plan, ctx, stageSeconds, options);
  } finally {
    await ctx.close();
  }

  const t4 = Date.now();
  const runs: RunRecord[] = runSteps(plan).map((step) => ({ ...step.inputs.run, file: ctx.runFile(step.cache.key), notes: ctx.runNotes.get(step.cache.key)! }));
  const { perQuery, main, probes } = await scoreRuns(config, settings, runs);
  stageSeconds.score = (Date.now() - t4) / 1000;
  const tIt = Date.now();
  const imageText = config.halves.includes('image-text') ? scoreImageText(plan, ctx) : null;
  if (imageText) stageSeconds['it-score'] = (Date.now() - tIt) / 1000;

  const t5 = Date.now();
  mkdirSync(path.join(options.out, 'runs'), { recursive: true });
  mkdirSync(path.join(options.out, 'models'), { recursive: true });
  for (const r of runs) {
    const name = `${r.system}.s${r.seed}.${r.setting}${r.probe ? `.${r.probe.kind}-${r.probe.value}` : ''}.trec.gz`.replace(/[^\w.+-]/g, '_');
    linkOrCopy(r.file, path.join(options.out, 'runs', name));
    r.file = `runs/${name}`;
  }
  const modelRecords = plan.models.map(({ system, seed, key }) => {
    const name = `${system}.s${seed}.xde`.replace(/[^\w.+-]/g, '_');
    linkOrCopy(ctx.modelFile(key), path.join(options.out, 'models', name));
    return { system, seed, file: `models/${name}`, train: ctx.trainReports.get(key) ?? null };
  });
  if (imageText) for (const { from, to } of imageTextModelFiles(plan, ctx)) linkOrCopy(from, path.join(options.out, to));
  const results: Results = {
    schema: 'xmrbench/experiment-results',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, isa: native().isa },
    config,
    inputs: plan.inputs,
    systems: studySystems(config).map((s) => ({ ...s, description: describeSystem(s, config) })),
    settings: config.settings.map((s) => ({ ...s, queryCount: settings.get(s.id)!.queries.length, documentCount: settings.get(s.id)!.corpus.length })),
    measures: [...MEASURES],
    models: modelRecords,
    runs: runs.map((r) => ({ ...r, perQuery: Object.fromEntries([...perQuery.get(r)!.values].map(([m, v]) => [m, Array.from(v)])), queryIds: perQuery.get(r)!.queryIds })),
    tables: { main, probes },
    lexiconSources,
    imageText,
    seconds: { ...stageSeconds, total: 0 },
    steps: { total: plan.steps.length, cached: cachedSteps },
  };
  results.contrasts = tableContrasts(results.systems, results.tables);
  writeReport(options.out, results);
  stageSeconds.report = (Date.now() - t5) / 1000;
  results.seconds = { ...stageSeconds, total: (Date.now() - started) / 1000 };
  writeFileAtomic(path.join(options.out, 'results.json'), JSON.stringify(results, (_, v) => (v instanceof Float64Array ? Array.from(v) : v)) + '\n');
  writeReport(options.out, results);
  return results;
}

/** Runs every step through its kind's executor, in plan order; returns how many were cached. */
async function executePlan(plan: Plan, ctx: StudyContext, stageSeconds: Record<string, number>, options: ExperimentOptions): Promise<number> {
  const progress = new PlanProgress(
    plan.steps.map((s) => ({ kind: s.kind, label: s.label, estimate: estimateSeconds(s.kind) })),
    process.stderr,
    options.progress !== false,
  );
  let done = 0;
  let cachedSteps = 0;
  for (const step of plan.steps) {
    if (options.shouldStop?.() || options.signal?.aborted) {
      progress.close();
      throw new Interrupted(done, plan.steps.length);
    }
    const executor = STEP_EXECUTORS[step.kind];
    if (executor === undefined) throw new Error(`no executor for plan steps of kind "${step.kind}"`);
    progress.start(step.stage, step.label);
    const t = Date.now();
    let entry;
    try {
      entry = await ctx.cache.ensure(step.cache.kind, step.cache.key, (tmp) => executor.make(step, ctx, tmp));
    } catch (e) {
      // A step stopped by the signal fails; its temporary entry is gone (cache.ts), the finished ones stay.
      if (!options.signal?.aborted) throw e;
      progress.close();
      throw new Interrupted(done, plan.steps.length);
    }
    executor.read(step, ctx, entry.path);
    if (entry.cached) cachedSteps++;
    const seconds = (Date.now() - t) / 1000;
    stageSeconds[step.stage] = (stageSeconds[step.stage] ?? 0) + seconds;
    progress.finish(step.stage, step.label, seconds, entry.cached);
    done++;
  }
  progress.close();
  return cachedSteps;
}

/** Scores every run per query, then the main table (all measures) and the probe table (RR@10) with their tests. */
async function scoreRuns(config: ExperimentConfig, settings: ReadonlyMap<string, { qrels: Parameters<typeof evaluate>[0] }>, runs: RunRecord[]) {
  const perQuery = new Map<RunRecord, { queryIds: string[]; values: Map<string, Float64Array> }>();
  for (const r of runs) {
    const setting = settings.get(r.setting)!;
    // A system that retrieves nothing for any query (BM25 across scripts) writes an empty run, which
    // the TREC reader rightly rejects as a file; here it is a valid outcome that scores 0.
    const run = r.notes.rows === 0 ? new RunBuilder().build() : await readRun(r.file);
    const ev = evaluate(setting.qrels, run, [...MEASURES]);
    perQuery.set(r, { queryIds: ev.queryIds, values: ev.perQuery });
    r.mean = Object.fromEntries(ev.mean);
  }
  const cellInputs = (filter: (r: RunRecord) => boolean): CellInput[] => {
    const groups = new Map<string, RunRecord[]>();
    for (const r of runs.filter(filter)) {
      const k = `${r.system}\u0000${r.setting}\u0000${r.probe ? `${r.probe.kind}=${r.probe.value}` : ''}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    return [...groups.values()].map((rs) => ({
      system: rs[0]!.system,
      setting: rs[0]!.probe ? `${rs[0]!.probe.kind}=${rs[0]!.probe.value}` : rs[0]!.setting,
      queryIds: perQuery.get(rs[0]!)!.queryIds,
      perSeed: new Map(MEASURES.map((m) => [m, rs.map((r) => perQuery.get(r)!.values.get(m)!)])),
    }));
  };
  const baseline = config.systems.find((s) => s.kind === 'zero-shot' && !s.translateTest)!.id;
  const testOptions = { baseline, test: config.test, correction: config.correction, alpha: config.alpha, seed: 0 };
  const main = tableStats(cellInputs((r) => r.probe === null), MEASURES, testOptions);
  const probes = tableStats(cellInputs((r) => r.probe !== null), PROBE_MEASURES, testOptions);
  return { perQuery, main, probes };
}

/** Models are tens of MB each: hard-link the cache's files into the output folder where possible. */
function linkOrCopy(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileAtomic(from, to);
  }
}
