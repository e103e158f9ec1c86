/**
 * What each kind of plan step does (plan.ts lists the steps): an executor writes the step's cache
 * entry into a temporary folder (`make`, skipped when the entry exists) and reads back what the rest
 * of the study needs from the finished entry (`read`). execute.ts looks executors up by kind here,
 * so a new kind of step registers an executor and touches nothing else.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import path from 'node:path';
import type { SettingItem } from '../data/ddtp/settings.js';
import { writeRun } from '../data/trec/write.js';
import type { Encoder } from '../encoders/encoder.js';
import { openTextEncoder, type OpenedTextEncoder } from '../encoders/open-text-encoder.js';
import { Bm25Ranker } from '../rankers/bm25.js';
import { DenseRanker } from '../rankers/dense.js';
import type { RankedRun } from '../rankers/ranker.js';
import type { ResultCache } from './cache.js';
import type { ExperimentConfig } from './config.js';
import { fgsmAgainstRelevant } from './fgsm-probe.js';
import { buildSharedVocab, loadDenseModel, trainDenseModel, type TrainReport } from './dense-models.js';
import type { Lexicons } from './lexicons.js';
import type { RunInputs, Step, TrainInputs, VocabInputs } from './plan.js';
import { codeSwitchQueries, translateQueries } from './query-transforms.js';
import { scoreRun, type RunScore } from './run-scores.js';
import { IMAGE_TEXT_EXECUTORS } from './image-text/executors.js';
import type { Setting } from './settings.js';
import { UseCountedCache } from './use-counted-cache.js';

/** What executors share while a plan runs: loaded data, models and what finished steps reported. */
export class StudyContext {
  /** Model key → its encoder: a trained native model, or an external one (closed by {@link close}). */
  private readonly encoders = new Map<string, Encoder<string>>();
  private readonly external: { close(): Promise<void> }[] = [];
  /** `model|setting` → its dense ranker, dropped after the last step that searches with it. */
  private readonly denseRankers = new UseCountedCache<DenseRanker>();
  /** Model key → its training report. */
  readonly trainReports = new Map<string, TrainReport>();
  /** Run key → what its step noted (Translate-Test coverage, switch ratio, rows). */
  readonly runNotes = new Map<string, Record<string, number>>();
  /** Run key → its per-query scores, for the runs made in this process (run-scores.ts). */
  readonly runScores = new Map<string, RunScore>();

  constructor(
    readonly config: ExperimentConfig,
    readonly cache: ResultCache,
    readonly lexicons: Lexicons,
    readonly settings: ReadonlyMap<string, Setting>,
    /** Ctrl-C: training steps stop at their next chunk of steps (execute.ts). */
    readonly signal?: AbortSignal,
  ) {}

  vocabFile(vocabKey: string): string {
    return path.join(this.cache.path('vocab', vocabKey), 'vocab.txt');
  }

  modelFile(modelKey: string): string {
    return path.join(this.cache.path('models', modelKey), 'model.xde');
  }

  runFile(runKey: string): string {
    // Runs are stored gzipped: a study writes hundreds of 50,000-line runs (~4 MB each as text).
    return path.join(this.cache.path('runs', runKey), 'run.trec.gz');
  }

  /**
   * A dense ranker of a run step's model over the setting's corpus, encoded once per model and
   * setting: the trained model of `model` and `vocab`, or the external `encoder` (opened as
   * `xmrbench search --ranker dense --model` opens it).
   */
  async denseRanker(inputs: Pick<RunInputs, 'model' | 'vocab' | 'encoder'>, settingId: string): Promise<DenseRanker> {
    const modelKey = inputs.model!;
    const id = rankerKey(modelKey, settingId);
    let ranker = this.denseRankers.get(id);
    if (!ranker) {
      let encoder = this.encoders.get(modelKey);
      if (!encoder) {
        if (inputs.encoder) {
          const { onnx, ...options } = inputs.encoder;
          const opened = await openTextEncoder(onnx, { ...options, threads: this.config.threads });
          this.external.push(opened);
          encoder = opened;
        } else encoder = await loadDenseModel(this.modelFile(modelKey), this.vocabFile(inputs.vocab!));
        this.encoders.set(modelKey, encoder);
      }
      ranker = new DenseRanker(encoder, { threads: this.config.threads });
      await ranker.index(this.settings.get(settingId)!.corpus.map((d) => ({ id: d._id, text: d.text })));
      this.denseRankers.set(id, ranker);
    }
    return ranker;
  }

  /** Announces the steps about to run, so that each dense ranker is dropped after its last one. */
  expectSteps(steps: readonly Step[]): void {
    for (const s of steps) {
      const key = stepRankerKey(s);
      if (key !== undefined) this.denseRankers.expect(key);
    }
  }

  /** A step finished (made or read from the cache). */
  stepDone(step: Step): void {
    const key = stepRankerKey(step);
    if (key !== undefined) this.denseRankers.done(key);
  }

  /** Registers an external encoder opened elsewhere (the image–text half's) to be closed by {@link close}. */
  keepOpen<E extends { close(): Promise<void> }>(encoder: E): E {
    this.external.push(encoder);
    return encoder;
  }

  /** Closes the external encoders (their onnxruntime sessions run in worker threads). */
  async close(): Promise<void> {
    await Promise.all(this.external.splice(0).map((e) => e.close()));
  }
}

export interface StepExecutor {
  /**
   * Writes the step's cache entry into `tmpDir` (renamed into place when this succeeds). `threads`:
   * what the step may use — `config.threads`, or its share when steps run side by side (execute.ts).
   */
  make(step: Step, ctx: StudyContext, tmpDir: string, threads: number): Promise<void>;
  /** Reads what the study needs from the step's finished entry. */
  read(step: Step, ctx: StudyContext, entryDir: string): void;
}

const RUN_FILE = 'run.trec.gz';

/**
 * An executor of a run step: `rank` answers the step's queries; the run is written with the system
 * id as its tag, beside notes.json (the query transform's note and the number of rows), and scored
 * from memory (run-scores.ts).
 */
function runExecutor(rank: (step: Step<RunInputs>, ctx: StudyContext, setting: Setting) => Promise<{ run: RankedRun; note?: Record<string, number> }>): StepExecutor {
  return {
    async make(step, ctx, tmp) {
      const s = step as Step<RunInputs>;
      const setting = ctx.settings.get(s.inputs.run.setting)!;
      const { run, note } = await rank(s, ctx, setting);
      const trec = run.toRun();
      await writeRun(path.join(tmp, RUN_FILE), trec, s.inputs.run.system.replace(/[^\w.+-]/g, '_'));
      writeFileAtomic(path.join(tmp, 'notes.json'), JSON.stringify({ ...note, rows: run.docIds.length }));
      ctx.runScores.set(step.cache.key, scoreRun(setting.qrels, trec));
    },
    read(step, ctx, dir) {
      ctx.runNotes.set(step.cache.key, JSON.parse(readFileSync(path.join(dir, 'notes.json'), 'utf8')) as Record<string, number>);
    },
  };
}

/** The step kinds whose executors (below) search with `ctx.denseRanker(step.inputs, step.inputs.run.setting)`. */
const DENSE_RANKER_KINDS: ReadonlySet<string> = new Set(['search-dense', 'probe-cs', 'probe-fgsm']);

const rankerKey = (modelKey: string, settingId: string): string => `${modelKey}|${settingId}`;

function stepRankerKey(step: Step): string | undefined {
  if (!DENSE_RANKER_KINDS.has(step.kind)) return undefined;
  const inputs = (step as Step<RunInputs>).inputs;
  return rankerKey(inputs.model!, inputs.run.setting);
}

/** The setting's queries, translated term by term into English for Translate-Test systems. */
function searchQueries(step: Step<RunInputs>, ctx: StudyContext, setting: Setting): { queries: SettingItem[]; note?: Record<string, number> } {
  if (!step.inputs.translateTest) return { queries: setting.queries };
  const t = translateQueries(setting.queries, ctx.lexicons);
  return { queries: t.queries, note: { translatedTokens: t.stats.translated, tokens: t.stats.tokens, untranslatableQueries: t.stats.untranslatable } };
}

const asQueries = (items: readonly SettingItem[]) => items.map((q) => ({ id: q._id, text: q.text }));

/** BM25 analyses one language as that language; mixed languages with neither stemming nor stopwords. */
async function bm25Run(ctx: StudyContext, setting: Setting, queries: SettingItem[]): Promise<RankedRun> {
  const single = (langs: readonly string[]) => (langs.length === 1 ? { language: langs[0]! } : { language: 'en', stemmer: 'none' as const, stopwords: 'none' as const });
  const langsOf = (items: readonly SettingItem[]) => [...new Set(items.map((x) => x.lang))];
  const bm25 = new Bm25Ranker({ ...single(langsOf(setting.corpus)), queryAnalysis: single(langsOf(queries)), threads: ctx.config.threads });
  await bm25.index(asQueries(setting.corpus));
  return bm25.search(asQueries(queries), ctx.config.k);
}

async function denseRun(step: Step<RunInputs>, ctx: StudyContext, queries: SettingItem[]): Promise<RankedRun> {
  const ranker = await ctx.denseRanker(step.inputs, step.inputs.run.setting);
  return ranker.search(asQueries(queries), ctx.config.k);
}

/** FGSM on each query embedding against its relevant document's score (fgsm-probe.ts). */
function attackQueries(q: Float32Array, docs: Float32Array, dim: number, setting: Setting, epsRelative: number): Float32Array {
  const index = new Map(setting.corpus.map((d, i) => [d._id, i]));
  const qrels = setting.qrels.toObject();
  const relevant = Int32Array.from(setting.queries, (query) => {
    const rel = Object.keys(qrels[query._id] ?? {})[0];
    return (rel === undefined ? undefined : index.get(rel)) ?? -1;
  });
  return fgsmAgainstRelevant(q, docs, dim, relevant, epsRelative);
}

/** Executors by step kind (plan.ts). */
export const STEP_EXECUTORS: Readonly<Record<string, StepExecutor>> = {
  ...IMAGE_TEXT_EXECUTORS,
  vocab: {
    async make(step, ctx, tmp) {
      const { langs } = (step as Step<VocabInputs>).inputs;
      await buildSharedVocab(ctx.config.dataset, ctx.lexicons, langs, path.join(tmp, 'vocab.txt'));
    },
    read() {},
  },
  train: {
    async make(step, ctx, tmp, threads) {
      const { spec, seed, vocab } = (step as Step<TrainInputs>).inputs;
      const report = await trainDenseModel({ spec, seed, dataset: ctx.config.dataset, lexicons: ctx.lexicons, vocabFile: ctx.vocabFile(vocab), threads, outFile: path.join(tmp, 'model.xde'), signal: ctx.signal });
      writeFileAtomic(path.join(tmp, 'report.json'), JSON.stringify(report));
    },
    read(step, ctx, dir) {
      ctx.trainReports.set(step.cache.key, JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TrainReport);
    },
  },
  'search-bm25': runExecutor(async (step, ctx, setting) => {
    const { queries, note } = searchQueries(step, ctx, setting);
    return { run: await bm25Run(ctx, setting, queries), note };
  }),
  'search-dense': runExecutor(async (step, ctx, setting) => {
    const { queries, note } = searchQueries(step, ctx, setting);
    return { run: await denseRun(step, ctx, queries), note };
  }),
  'probe-cs': runExecutor(async (step, ctx, setting) => {
    const { config } = ctx;
    const r = codeSwitchQueries(setting.queries, ctx.lexicons, config.languages.seen, step.inputs.run.probe!.value, config.mixSeed);
    return { run: await denseRun(step, ctx, r.queries), note: { switchRatio: r.ratio } };
  }),
  'probe-fgsm': runExecutor(async (step, ctx, setting) => {
    const ranker = await ctx.denseRanker(step.inputs, step.inputs.run.setting);
    const q = await ranker.encoder.encode(setting.queries.map((x) => x.text), { role: 'query', threads: ctx.config.threads });
    const attacked = attackQueries(q, ranker.documentVectors, ranker.encoder.dim, setting, step.inputs.run.probe!.value);
    return { run: await ranker.searchVectors(setting.queries.map((x) => x._id), attacked, ctx.config.k) };
  }),
};
