/**
 * `xmrbench experiment`: the whole study as one plan of cached steps.
 *
 *   1. train   every dense system's model, per seed (systems with equal training share models);
 *   2. search  every system × seed × setting → a TREC run;
 *   3. probe   every dense system × seed: English queries code-switched at each rate p, and an FGSM
 *              attack on the query embedding at each ε;
 *   4. score   every run (RR@10, nDCG@10, R@100 per query), then tables, tests, report.
 *
 * Steps 1–3 are cached by content hash (see cache.ts), so a re-run recomputes only what changed and
 * an interrupted run resumes; step 4 is cheap and always recomputed.
 */
import { copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRun } from '../data/trec/index.js';
import { RunBuilder } from '../data/trec/run.js';
import { evaluate } from '../eval/evaluate.js';
import { Bm25Ranker } from '../rankers/bm25.js';
import { RankedRun } from '../rankers/ranker.js';
import { topK } from '../search/topk.js';
import { perturb } from '../train/perturb.js';
import { native } from '../native.js';
import type { SettingItem } from '../data/ddtp/settings.js';
import { hashOf, hashTree, PIPELINE_VERSION, ResultCache } from './cache.js';
import type { ExperimentConfig, SystemConfig } from './config.js';
import { buildSharedVocab, loadDenseModel, trainDenseModel, type DenseModel, type TrainReport } from './dense.js';
import { PlanProgress, type PlannedStep } from './progress.js';
import { writeReport } from './report.js';
import { RESULTS_SCHEMA_VERSION, type Results, type RunRecord } from './results.js';
import { codeSwitchQueries, Lexicons, loadSetting, translateQueries, type Setting } from './settings.js';
import { tableStats, type CellInput } from './stats.js';
import { describeSystem, isDense, trainSpec } from './systems.js';

export const MEASURES = ['RR@10', 'nDCG@10', 'R@100'] as const;

export interface ExperimentOptions {
  config: ExperimentConfig;
  out: string;
  cache: string;
  /** Progress line on stderr (default true). */
  progress?: boolean;
  /** Stop cleanly before the next step when this returns true (Ctrl-C). */
  shouldStop?: () => boolean;
}

export class Interrupted extends Error {
  constructor(readonly done: number, readonly total: number) {
    super(`interrupted after ${done} of ${total} steps; run the same command again to resume (finished steps are cached)`);
  }
}

interface Step extends PlannedStep {
  stage: 'train' | 'search' | 'probe';
  run: () => Promise<boolean>;
}

const BM25_SEED = 0;

export async function runExperiment(options: ExperimentOptions): Promise<Results> {
  const { config } = options;
  const started = Date.now();
  const stageSeconds: Record<string, number> = { load: 0, train: 0, search: 0, probe: 0, score: 0, report: 0 };
  const cache = new ResultCache(options.cache);
  const t0 = Date.now();
  const inputs = { dataset: hashTree(config.dataset), lexicons: hashTree(config.lexicons), pipeline: PIPELINE_VERSION, native: native().sourceFingerprint };
  const lexicons = new Lexicons(config.lexicons);
  const settings = new Map(config.settings.map((s) => [s.id, loadSetting(config.dataset, s, config.mixSeed)]));
  stageSeconds.load = (Date.now() - t0) / 1000;

  const dense = config.systems.filter(isDense);
  const models = new Map<string, { key: string; file: string; report?: TrainReport }>(); // `${system}#${seed}`
  const runs: RunRecord[] = [];
  const steps: Step[] = [];
  const modelKey = (s: SystemConfig, seed: number) => hashOf({ inputs, spec: trainSpec(s, config), seed });

  // 1. Training (one step per distinct spec and seed), after the shared vocabulary.
  const vocabKey = hashOf({ inputs, vocab: config.languages.seen });
  const vocabFile = path.join(cache.path('vocab', vocabKey), 'vocab.txt');
  if (dense.length > 0)
    steps.push({
      kind: 'vocab', stage: 'train', label: 'shared vocabulary', estimate: 5,
      run: async () => (await cache.ensure('vocab', vocabKey, (tmp) => buildSharedVocab(config.dataset, lexicons, config.languages.seen, path.join(tmp, 'vocab.txt')))).cached,
    });
  const trained = new Set<string>();
  for (const s of dense) {
    for (const seed of config.seeds) {
      const key = modelKey(s, seed);
      models.set(`${s.id}#${seed}`, { key, file: path.join(cache.path('models', key), 'model.xde') });
      if (trained.has(key)) continue;
      trained.add(key);
      steps.push({
        kind: 'train', stage: 'train', label: `${s.id} seed ${seed}`, estimate: 30,
        run: async () => {
          const r = await cache.ensure('models', key, async (tmp) => {
            const report = await trainDenseModel({ spec: trainSpec(s, config)!, seed, dataset: config.dataset, lexicons, vocabFile, threads: config.threads, outFile: path.join(tmp, 'model.xde') });
            writeFileSync(path.join(tmp, 'report.json'), JSON.stringify(report));
          });
          const report = JSON.parse(readFileSync(path.join(r.path, 'report.json'), 'utf8')) as TrainReport;
          for (const [id, m] of models) if (m.key === key) models.set(id, { ...m, report });
          return r.cached;
        },
      });
    }
  }

  // 2. Search: every system × seed × setting.
  const loaded = new Map<string, DenseModel>();
  const embeddings = new Map<string, Float32Array>(); // model key + corpus id → document embeddings
  const modelFor = async (s: SystemConfig, seed: number): Promise<{ model: DenseModel; key: string }> => {
    const m = models.get(`${s.id}#${seed}`)!;
    let model = loaded.get(m.key);
    if (!model) {
      model = await loadDenseModel(m.file, vocabFile);
      loaded.set(m.key, model);
    }
    return { model, key: m.key };
  };
  const docEmbeddings = async (s: SystemConfig, seed: number, setting: Setting) => {
    const { model, key } = await modelFor(s, seed);
    const id = `${key}|${setting.id}`;
    let e = embeddings.get(id);
    if (!e) {
      e = await model.encode(setting.corpus.map((d) => d.text), config.threads);
      embeddings.set(id, e);
    }
    return { model, docs: e };
  };
  const search = async (s: SystemConfig, seed: number, setting: Setting, queries: SettingItem[]): Promise<RankedRun> => {
    if (!isDense(s)) {
      const single = (langs: readonly string[]) => (langs.length === 1 ? { language: langs[0]! } : { language: 'en', stemmer: 'none' as const, stopwords: 'none' as const });
      const langsOf = (items: readonly SettingItem[]) => [...new Set(items.map((x) => x.lang))];
      const bm25 = new Bm25Ranker({ ...single(langsOf(setting.corpus)), queryAnalysis: single(langsOf(queries)), threads: config.threads });
      await bm25.index(setting.corpus.map((d) => ({ id: d._id, text: d.text })));
      return bm25.search(queries.map((q) => ({ id: q._id, text: q.text })), config.k);
    }
    const { model, docs } = await docEmbeddings(s, seed, setting);
    const q = await model.encode(queries.map((x) => x.text), config.threads);
    return denseRun(s.id, queries, setting, await topK(q, docs, { dim: model.dim, k: Math.min(config.k, setting.corpus.length), threads: config.threads }));
  };
  const runStep = (stage: 'search' | 'probe', s: SystemConfig, seed: number, setting: Setting, probe: RunRecord['probe'], queries: () => Promise<{ queries: SettingItem[]; note?: Record<string, number> }>, ranker?: () => Promise<RankedRun>) => {
    const key = hashOf({ inputs, system: { ...s, id: undefined }, model: isDense(s) ? models.get(`${s.id}#${seed}`)!.key : null, setting: config.settings.find((x) => x.id === setting.id), mixSeed: config.mixSeed, probe, k: config.k });
    // Runs are stored gzipped: a study writes hundreds of 50,000-line runs (~4 MB each as text).
    const record: RunRecord = { system: s.id, seed, setting: setting.id, probe, file: path.join(cache.path('runs', key), 'run.trec.gz'), notes: {} };
    runs.push(record);
    steps.push({
      kind: `${stage}-${isDense(s) ? 'dense' : 'bm25'}`, stage, label: `${s.id} seed ${seed} ${setting.id}${probe ? ` ${probe.kind} ${probe.value}` : ''}`, estimate: isDense(s) ? 1 : 0.5,
      run: async () => {
        const r = await cache.ensure('runs', key, async (tmp) => {
          const { queries: qs, note } = await queries();
          const ranked = ranker ? await ranker() : await search(s, seed, setting, qs);
          await ranked.write(path.join(tmp, 'run.trec.gz'), s.id.replace(/[^\w.+-]/g, '_'));
          writeFileSync(path.join(tmp, 'notes.json'), JSON.stringify({ ...note, rows: ranked.docIds.length }));
        });
        record.notes = JSON.parse(readFileSync(path.join(r.path, 'notes.json'), 'utf8')) as Record<string, number>;
        return r.cached;
      },
    });
  };

  for (const s of config.systems) {
    for (const seed of isDense(s) ? config.seeds : [BM25_SEED]) {
      for (const setting of settings.values()) {
        runStep('search', s, seed, setting, null, async () => {
          if (!s.translateTest) return { queries: setting.queries };
          const t = translateQueries(setting.queries, lexicons);
          return { queries: t.queries, note: { translatedTokens: t.stats.translated, tokens: t.stats.tokens, untranslatableQueries: t.stats.untranslatable } };
        });
      }
    }
  }

  // 3. Probes on the probe setting: code-switched queries, and FGSM on the query embedding.
  const probeSetting = settings.get(config.probes.setting)!;
  for (const s of dense.filter((x) => !x.translateTest)) {
    for (const seed of config.seeds) {
      for (const p of config.probes.csRates) {
        runStep('probe', s, seed, probeSetting, { kind: 'cs', value: p }, async () => {
          const r = codeSwitchQueries(probeSetting.queries, lexicons, config.languages.seen, p, config.mixSeed);
          return { queries: r.queries, note: { switchRatio: r.ratio } };
        });
      }
      for (const eps of config.probes.eps) {
        runStep('probe', s, seed, probeSetting, { kind: 'fgsm', value: eps }, async () => ({ queries: probeSetting.queries }), async () => {
          const { model, docs } = await docEmbeddings(s, seed, probeSetting);
          const q = await model.encode(probeSetting.queries.map((x) => x.text), config.threads);
          const attacked = attackQueries(q, docs, model.dim, probeSetting, eps);
          return denseRun(s.id, probeSetting.queries, probeSetting, await topK(attacked, docs, { dim: model.dim, k: Math.min(config.k, probeSetting.corpus.length), threads: config.threads }));
        });
      }
    }
  }

  // Run the plan.
  const progress = new PlanProgress(steps, process.stderr, options.progress !== false);
  let done = 0;
  let cachedSteps = 0;
  for (const step of steps) {
    if (options.shouldStop?.()) {
      progress.close();
      throw new Interrupted(done, steps.length);
    }
    progress.start(step.stage, step.label);
    const t = Date.now();
    const cached = await step.run();
    if (cached) cachedSteps++;
    const seconds = (Date.now() - t) / 1000;
    stageSeconds[step.stage]! += seconds;
    progress.finish(step.stage, step.label, seconds, cached);
    done++;
  }
  progress.close();

  // 4. Score, test, report.
  const t4 = Date.now();
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
  const probes = tableStats(cellInputs((r) => r.probe !== null), ['RR@10'], testOptions);
  stageSeconds.score = (Date.now() - t4) / 1000;

  // Outputs.
  const t5 = Date.now();
  mkdirSync(path.join(options.out, 'runs'), { recursive: true });
  mkdirSync(path.join(options.out, 'models'), { recursive: true });
  for (const r of runs) {
    const name = `${r.system}.s${r.seed}.${r.setting}${r.probe ? `.${r.probe.kind}-${r.probe.value}` : ''}.trec.gz`.replace(/[^\w.+-]/g, '_');
    linkOrCopy(r.file, path.join(options.out, 'runs', name));
    r.file = `runs/${name}`;
  }
  const modelRecords = [...models].map(([id, m]) => {
    const [system, seed] = id.split('#') as [string, string];
    const name = `${system}.s${seed}.xde`.replace(/[^\w.+-]/g, '_');
    linkOrCopy(m.file, path.join(options.out, 'models', name));
    return { system, seed: Number(seed), file: `models/${name}`, train: m.report ?? null };
  });
  const results: Results = {
    schema: 'xmrbench/experiment-results',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, isa: native().isa },
    config,
    inputs,
    systems: config.systems.map((s) => ({ ...s, description: describeSystem(s, config) })),
    settings: config.settings.map((s) => ({ ...s, queryCount: settings.get(s.id)!.queries.length, documentCount: settings.get(s.id)!.corpus.length })),
    measures: [...MEASURES],
    models: modelRecords,
    runs: runs.map((r) => ({ ...r, perQuery: Object.fromEntries([...perQuery.get(r)!.values].map(([m, v]) => [m, Array.from(v)])), queryIds: perQuery.get(r)!.queryIds })),
    tables: { main, probes },
    seconds: { ...stageSeconds, total: 0 },
    steps: { total: steps.length, cached: cachedSteps },
  };
  writeReport(options.out, results);
  stageSeconds.report = (Date.now() - t5) / 1000;
  results.seconds = { ...stageSeconds, total: (Date.now() - started) / 1000 };
  writeFileSync(path.join(options.out, 'results.json'), JSON.stringify(results, (_, v) => (v instanceof Float64Array ? Array.from(v) : v)) + '\n');
  writeReport(options.out, results);
  return results;
}

function denseRun(name: string, queries: readonly SettingItem[], setting: Setting, r: { ids: Int32Array; scores: Float32Array }): RankedRun {
  const k = r.ids.length / Math.max(1, queries.length);
  const offsets = new Int32Array(queries.length + 1);
  const docIds: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i < queries.length; i++) {
    for (let j = 0; j < k; j++) {
      const d = r.ids[i * k + j]!;
      if (d < 0) break;
      docIds.push(setting.corpus[d]!._id);
      scores.push(r.scores[i * k + j]!);
    }
    offsets[i + 1] = docIds.length;
  }
  return new RankedRun(name, queries.map((q) => q._id), offsets, docIds, Float64Array.from(scores), new Float64Array(queries.length), 0);
}

/**
 * FGSM on each query embedding against its relevant document's score: s = q·d⁺, so ∇_q(−s) = −d⁺ and
 * q' = q + ε·sign(−d⁺) (Goodfellow et al. 2015), through the native perturbation kernel. ε is given
 * relative to the RMS coordinate of a unit vector, 1/√dim.
 */
function attackQueries(q: Float32Array, docs: Float32Array, dim: number, setting: Setting, epsRelative: number): Float32Array {
  if (epsRelative === 0) return q;
  const index = new Map(setting.corpus.map((d, i) => [d._id, i]));
  const grad = new Float32Array(q.length);
  setting.queries.forEach((query, i) => {
    const rel = Object.keys(setting.qrels.toObject()[query._id] ?? {})[0];
    const d = rel === undefined ? undefined : index.get(rel);
    if (d === undefined) return;
    for (let p = 0; p < dim; p++) grad[i * dim + p] = -docs[d * dim + p]!;
  });
  return perturb(q, grad, { eps: epsRelative / Math.sqrt(dim), norm: 'linf' });
}

/** Models are tens of MB each: hard-link the cache's files into the output folder where possible. */
function linkOrCopy(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
