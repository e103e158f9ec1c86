/**
 * `xmrbench experiment`: the study's plan (plan.ts) executed step by step through the executors
 * registered per kind (step-executors.ts), then every run scored (RR@10, nDCG@10, R@100 per query),
 * tested and reported.
 *
 * Plan steps are cached by content hash (see cache.ts), so a re-run recomputes only what changed and
 * an interrupted run resumes; scoring is cheap and always recomputed (run-scores.ts: a run made in
 * this process is scored as it is made, one from the cache read back from its file).
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { copyFileAtomic, removeOrphanedTemporaries, writeFileAtomic } from '../atomic-write.js';
import os from 'node:os';
import path from 'node:path';
import { native } from '../native.js';
import { hashOf, ResultCache } from './cache.js';
import { partition, shareOf, type Shard } from './shard.js';
import { XmrError } from '../errors.js';
import { studySystems, type ExperimentConfig } from './config.js';
import { Lexicons } from './lexicons.js';
import { lexiconSourceSummaries } from './lexicon-report.js';
import { buildPlan, runSteps, type Plan, type Step } from './plan.js';
import { estimateSeconds } from './plan-summary.js';
import { PlanProgress } from './progress.js';
import { writeReport } from './report.js';
import { PROBE_MEASURES, RESULTS_SCHEMA_VERSION, tableContrasts, type Results, type RunRecord } from './results.js';
import { MEASURES, scoreRunFiles, type RunScore } from './run-scores.js';
import { loadSetting } from './settings.js';
import { tableStats, type CellInput } from './stats.js';
import { STEP_EXECUTORS, StudyContext } from './step-executors.js';
import { describeSystem } from './systems.js';
import { imageTextModelFiles, scoreImageText } from './image-text/score.js';

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

/** What every entry point needs before steps run: the plan, the cache, lexicons and settings read once. */
function openStudy(options: Pick<ExperimentOptions, 'config' | 'cache' | 'warn' | 'signal'>) {
  const { config } = options;
  const stageSeconds: Record<string, number> = { load: 0, train: 0, search: 0, probe: 0, score: 0, report: 0 };
  const cache = new ResultCache(options.cache, options.warn);
  const t0 = Date.now();
  const plan = buildPlan(config);
  const lexicons = new Lexicons(config.lexicons, config.lexiconSources);
  // Read before any step runs, so a malformed bli.json stops the study at once rather than at the report.
  const lexiconSources = lexiconSourceSummaries(config, studySystems(config));
  const settings = new Map(config.settings.map((s) => [s.id, loadSetting(config.dataset, s, config.mixSeed)]));
  stageSeconds.load = (Date.now() - t0) / 1000;
  return { plan, cache, stageSeconds, lexiconSources, settings, ctx: new StudyContext(config, cache, lexicons, settings, options.signal) };
}

/**
 * Runs the study: plan, execute, score, write results.json and the report into `options.out`. With
 * `merge`, computes nothing: every step must be in the cache already (the shards' work,
 * {@link runExperimentShard}), else it refuses listing what is missing.
 */
export async function runExperiment(options: ExperimentOptions & { merge?: boolean }): Promise<Results> {
  const { config } = options;
  const started = Date.now();
  // What a writer killed in an earlier run of this study left beside its outputs (runs/, models/, figures/).
  removeOrphanedTemporaries(options.out, 3);
  const { plan, cache, stageSeconds, lexiconSources, settings, ctx } = openStudy(options);
  if (options.merge) checkShardsDone(plan, cache);
  let cachedSteps: number;
  try {
    cachedSteps = await executeSteps(plan.steps, ctx, stageSeconds, options);
  } finally {
    await ctx.close();
  }

  const t4 = Date.now();
  const steps = runSteps(plan);
  const runs: RunRecord[] = steps.map((step) => ({ ...step.inputs.run, file: ctx.runFile(step.cache.key), notes: ctx.runNotes.get(step.cache.key)! }));
  await scoreRunFiles(
    steps.map((step, i) => ({ key: step.cache.key, file: runs[i]!.file, rows: runs[i]!.notes.rows!, qrels: settings.get(step.inputs.run.setting)!.qrels })),
    ctx.runScores,
  );
  const perQuery = new Map(runs.map((r, i) => [r, ctx.runScores.get(steps[i]!.cache.key)!]));
  const { main, probes } = scoreTables(config, runs, perQuery);
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
    runs: runs.map((r) => ({ ...r, perQuery: Object.fromEntries([...perQuery.get(r)!.perQuery].map(([m, v]) => [m, Array.from(v)])), queryIds: perQuery.get(r)!.queryIds })),
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

export interface ShardReport {
  shard: Shard;
  /** The plan's steps; this share's own; those run here (own and what they read); of those, how many were cached. */
  steps: { plan: number; own: number; run: number; cached: number };
  seconds: number;
  /** The marker file `--merge` reads. */
  marker: string;
}

/**
 * One task of a study spread over a scheduler (shard.ts): runs this share's steps into the shared
 * cache, then writes its marker `CACHE/shards/N/I.json` (atomically; with the plan's hash, so a
 * marker of another plan does not count). No scoring, no report: `--merge` does that once.
 */
export async function runExperimentShard(options: ExperimentOptions & { shard: Shard }): Promise<ShardReport> {
  const started = Date.now();
  const { shard } = options;
  const { plan, cache, stageSeconds, ctx } = openStudy(options);
  const owners = partition(plan, shard.count);
  const share = shareOf(plan, owners, shard.index);
  let cached: number;
  try {
    cached = await executeSteps(share, ctx, stageSeconds, options);
  } finally {
    await ctx.close();
  }
  const report: ShardReport = {
    shard,
    steps: { plan: plan.steps.length, own: plan.steps.filter((s) => owners.get(s.id) === shard.index).length, run: share.length, cached },
    seconds: (Date.now() - started) / 1000,
    marker: shardMarker(options.cache, shard),
  };
  mkdirSync(path.dirname(report.marker), { recursive: true });
  writeFileAtomic(report.marker, JSON.stringify({ ...report, plan: planHash(plan), host: os.hostname(), finishedAt: new Date().toISOString() }, null, 2) + '\n');
  return report;
}

const shardMarker = (cacheDir: string, s: Shard): string => path.join(cacheDir, 'shards', String(s.count), `${s.index}.json`);
const planHash = (plan: Plan): string => hashOf(plan.steps.map((s) => s.cache.key));

/**
 * `--merge`'s check: every step's entry is in the cache and sound. Otherwise an E_MISSING naming
 * the shards whose marker for this plan is absent (for every shard count that left markers) and the
 * first missing steps.
 */
function checkShardsDone(plan: Plan, cache: ResultCache): void {
  const missing = plan.steps.filter((s) => !cache.has(s.cache.kind, s.cache.key));
  if (missing.length === 0) return;
  const hash = planHash(plan);
  const shardsDir = path.join(cache.dir, 'shards');
  const lines: string[] = [];
  for (const count of existsSync(shardsDir) ? readdirSync(shardsDir).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b) : []) {
    const unfinished: number[] = [];
    for (let index = 0; index < count; index++) {
      const file = shardMarker(cache.dir, { index, count });
      let done = false;
      try {
        done = (JSON.parse(readFileSync(file, 'utf8')) as { plan?: string }).plan === hash;
      } catch {
        done = false;
      }
      if (!done) unfinished.push(index);
    }
    if (unfinished.length > 0) lines.push(`shards not finished for this plan (of ${count}): ${unfinished.map((i) => `${i}/${count}`).join(', ')}`);
  }
  const shown = missing.slice(0, 10).map((s) => `${s.id} (${s.cache.kind}/${s.cache.key.slice(0, 12)})`);
  if (missing.length > shown.length) shown.push(`… and ${missing.length - shown.length} more`);
  lines.push(`missing steps: ${shown.join('; ')}`);
  throw new XmrError('E_MISSING', `--merge: ${missing.length} of ${plan.steps.length} steps are not in the cache ${cache.dir}; run the missing shards (or the study without --merge) first. ${lines.join('. ')}`);
}

/**
 * Steps of these kinds run side by side, up to `config.threads` at once with the threads shared
 * between them. A model trains to the same bits on any thread count
 * (test/train-threads-determinism.test.ts), so this changes no result; it pays because one model's
 * training scales about 1.2× from 1 to 2 threads (the README's profile: the step's barriers and
 * its JavaScript side leave a core idle), where two models side by side keep both cores busy. The
 * image–text half's CLIP and LiT trainings run on the same native trainer (and the image tower sums
 * its gradients in a fixed order too), so they run side by side as well
 * (test/experiment-image-text-side-by-side.test.ts). Search and probe steps do not: consecutive
 * ones share a model, and a native model runs one encoding call at a time ("the dual encoder is
 * busy").
 */
const SIDE_BY_SIDE: ReadonlySet<string> = new Set(['train', 'it-clip', 'it-lit']);

/**
 * Runs the steps (the plan's, or a shard's share of them) through their kinds' executors in plan order — consecutive side-by-side steps
 * (SIDE_BY_SIDE) in a window of `config.threads` — and returns how many were cached. Finished steps
 * are reported in plan order; a stop request or a failure lets the steps already started finish
 * (their entries are complete, so a resume reuses them) before it ends the plan.
 */
async function executeSteps(steps: readonly Step[], ctx: StudyContext, stageSeconds: Record<string, number>, options: ExperimentOptions): Promise<number> {
  const progress = new PlanProgress(
    steps.map((s) => ({ kind: s.kind, label: s.label, estimate: estimateSeconds(s.kind) })),
    process.stderr,
    options.progress !== false,
  );
  let done = 0;
  let cachedSteps = 0;
  ctx.expectSteps(steps);
  // Asked once before each step starts, as "stop cleanly before the next step" promises.
  const stopAsked = (): boolean => options.shouldStop?.() === true || options.signal?.aborted === true;
  const interrupted = (): Interrupted => {
    progress.close();
    return new Interrupted(done, steps.length);
  };
  const run = async (step: Step, threads: number) => {
    const executor = STEP_EXECUTORS[step.kind];
    if (executor === undefined) throw new Error(`no executor for plan steps of kind "${step.kind}"`);
    progress.start(step.stage, step.label);
    const t = Date.now();
    const entry = await ctx.cache.ensure(step.cache.kind, step.cache.key, (tmp) => executor.make(step, ctx, tmp, threads));
    executor.read(step, ctx, entry.path);
    return { cached: entry.cached, seconds: (Date.now() - t) / 1000 };
  };
  const finish = (step: Step, r: { cached: boolean; seconds: number }): void => {
    if (r.cached) cachedSteps++;
    ctx.stepDone(step);
    progress.finish(step.stage, step.label, r.seconds, r.cached);
    done++;
  };
  const threads = ctx.config.threads;
  try {
    for (let i = 0; i < steps.length; ) {
      const step = steps[i]!;
      let end = i + 1;
      if (SIDE_BY_SIDE.has(step.kind)) while (end < steps.length && steps[end]!.kind === step.kind) end++;
      const width = Math.min(threads, end - i);
      if (width === 1) {
        if (stopAsked()) throw interrupted();
        const r = await run(step, threads);
        stageSeconds[step.stage] = (stageSeconds[step.stage] ?? 0) + r.seconds;
        finish(step, r);
        i++;
        continue;
      }
      // A window of `width` steps, `threads / width` threads each (the first `threads % width` slots one more).
      const t = Date.now();
      const running: { step: Step; result: Promise<{ cached: boolean; seconds: number }> }[] = [];
      let next = i;
      let stopping = false;
      const launch = (): void => {
        if (stopping || next >= end) return;
        if (stopAsked()) {
          stopping = true;
          return;
        }
        const s = steps[next]!;
        const share = Math.floor(threads / width) + ((next - i) % width < threads % width ? 1 : 0);
        const result = run(s, share);
        result.catch(() => undefined); // awaited in order below; a failure must not be an unhandled rejection meanwhile
        running.push({ step: s, result });
        next++;
      };
      try {
        while (running.length < width && next < end && !stopping) launch();
        while (running.length > 0) {
          const { step: s, result } = running.shift()!;
          finish(s, await result);
          launch();
        }
      } finally {
        // Let what started finish, so no step is abandoned half-written in its temporary folder.
        await Promise.allSettled(running.map((r) => r.result));
        stageSeconds[step.stage] = (stageSeconds[step.stage] ?? 0) + (Date.now() - t) / 1000;
      }
      if (stopping) throw interrupted();
      i = end;
    }
  } catch (e) {
    // A step stopped by the signal fails; its temporary entry is gone (cache.ts), the finished ones stay.
    if (options.signal?.aborted && !(e instanceof Interrupted)) throw interrupted();
    throw e;
  }
  progress.close();
  return cachedSteps;
}

/** Each run's mean per measure, then the main table (all measures) and the probe table (RR@10) with their tests. */
function scoreTables(config: ExperimentConfig, runs: RunRecord[], perQuery: ReadonlyMap<RunRecord, RunScore>) {
  for (const r of runs) r.mean = Object.fromEntries(perQuery.get(r)!.mean);
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
      perSeed: new Map(MEASURES.map((m) => [m, rs.map((r) => perQuery.get(r)!.perQuery.get(m)!)])),
    }));
  };
  const baseline = config.systems.find((s) => s.kind === 'zero-shot' && !s.translateTest)!.id;
  const testOptions = { baseline, test: config.test, correction: config.correction, alpha: config.alpha, seed: 0 };
  const main = tableStats(cellInputs((r) => r.probe === null), MEASURES, testOptions);
  const probes = tableStats(cellInputs((r) => r.probe !== null), PROBE_MEASURES, testOptions);
  return { main, probes };
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
