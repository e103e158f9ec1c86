/**
 * The study as data: `buildPlan(config)` lists every expensive step — its kind, its inputs, the
 * cache entry it produces (kind and content key, see cache.ts) and the steps whose outputs it
 * reads — without running anything. execute.ts runs the steps through the executors registered
 * per kind (step-executors.ts); `xmrbench experiment --dry-run` prints the plan (plan-summary.ts).
 *
 *   1. train   the shared vocabulary, then every dense system's model per seed (systems with equal
 *              training share models);
 *   2. search  every system × seed × setting → a TREC run;
 *   3. probe   every dense system × seed: English queries code-switched at each rate p, and an FGSM
 *              attack on the query embedding at each ε.
 *
 * The plan is pure: the same config (and the same bytes of data, lexicons and code, which the keys
 * hash) gives the same steps with the same keys. A new kind of step is a planner in PLANNERS plus
 * an executor registered under its kind — no edit to a long function or to the execution loop.
 */
import { existsSync } from 'node:fs';
import { XmrError } from '../errors.js';
import { native } from '../native.js';
import { hashOf, hashTree, PIPELINE_VERSION } from './cache.js';
import { studySystems, type EncoderConfig, type ExperimentConfig, type StudySystem } from './config.js';
import type { RunRecord } from './results.js';
import { isDense, isTrained, trainSpec, type TrainSpec } from './systems.js';
import { IT_CACHE, planImageText } from './image-text/plan.js';
import { lexiconContent } from './lexicons.js';

/** The text half's stages, then the image–text half's (image-text/plan.ts). */
export type Stage = 'train' | 'search' | 'probe' | 'it-train' | 'it-eval' | 'it-probe';

/** What every key hashes: the bytes of the dataset and lexicons, and the code's versions. */
export interface StudyInputs {
  dataset: string;
  lexicons: string;
  pipeline: number;
  native: string;
}

export interface Step<Inputs = unknown> {
  /** Unique within the plan: the stage and the label. */
  id: string;
  /** Selects the executor (step-executors.ts) and the time estimate. */
  kind: string;
  stage: Stage;
  label: string;
  /** The cache entry the step produces: folder kind and content key. */
  cache: { kind: 'vocab' | 'models' | 'runs' | typeof IT_CACHE; key: string };
  /** What the executor needs, JSON-serialisable. */
  inputs: Inputs;
  /** Ids of the steps whose outputs this step reads (they come earlier in the plan). */
  after: string[];
}

export interface VocabInputs {
  langs: string[];
}
export interface TrainInputs {
  system: string;
  seed: number;
  spec: TrainSpec;
  vocab: string;
}
/**
 * Every run step: which run it writes, and for dense systems the model it reads — a trained model
 * (its key, and the vocabulary's) or an external encoder (its content key, and how to open it).
 */
export interface RunInputs {
  run: Pick<RunRecord, 'system' | 'seed' | 'setting' | 'probe'>;
  translateTest: boolean;
  model: string | null;
  vocab: string | null;
  encoder: EncoderConfig | null;
}

export interface Plan {
  inputs: StudyInputs;
  steps: Step[];
  /** Every trained model a dense system × seed uses (shared models appear once per system). */
  models: { system: string; seed: number; key: string }[];
}

/** Systems not trained here (BM25, external encoders) are deterministic: their runs carry seed 0. */
export const BM25_SEED = 0;

export function studyInputs(config: ExperimentConfig): StudyInputs {
  // The lexicons folder's own files (FreeDict); other sources' (subfolders) enter the keys of the models that read them.
  return { dataset: hashTree(config.dataset), lexicons: hashTree(config.lexicons, { subfolders: false }), pipeline: PIPELINE_VERSION, native: native().sourceFingerprint };
}

/** What the planners share: the config, the key inputs, and the models planned so far. */
export interface PlanContext {
  config: ExperimentConfig;
  /** The systems with their sweeps expanded (config.ts, studySystems). */
  systems: StudySystem[];
  inputs: StudyInputs;
  /** The shared vocabulary's step (planned only when a system is trained). */
  vocab: Step<VocabInputs>;
  /** The content key of a dense system's model for a seed (an external encoder's: of its files and options). */
  modelKey(s: StudySystem, seed: number): string;
  /** The bytes of a code-switching system's lexicon files when not in `lexicons` itself (lexicons.ts lexiconContent); checks they exist. */
  lexiconKey(s: StudySystem): string | undefined;
  /** Model key → id of the step that trains it. */
  trainStepOf: Map<string, string>;
  models: Plan['models'];
}

/** A planner appends the steps of one stage; a new kind of study step adds a planner to {@link PLANNERS}. */
export type Planner = (ctx: PlanContext) => Step[];

/** 1. Training (one step per distinct spec and seed), after the shared vocabulary. */
export const planTraining: Planner = ({ config, systems, vocab, modelKey, trainStepOf, models }) => {
  const dense = systems.filter(isTrained);
  const steps: Step[] = dense.length > 0 ? [vocab] : [];
  for (const s of dense) {
    for (const seed of config.seeds) {
      const key = modelKey(s, seed);
      models.push({ system: s.id, seed, key });
      if (trainStepOf.has(key)) continue;
      const label = `${s.id} seed ${seed}`;
      trainStepOf.set(key, `train ${label}`);
      const step: Step<TrainInputs> = { id: `train ${label}`, kind: 'train', stage: 'train', label, cache: { kind: 'models', key }, inputs: { system: s.id, seed, spec: trainSpec(s, config)!, vocab: vocab.cache.key }, after: [vocab.id] };
      steps.push(step);
    }
  }
  return steps;
};

/** A step producing a TREC run of system `s` (seed) on a setting, maybe under a probe. */
export function runStep(ctx: PlanContext, kind: string, stage: Stage, s: StudySystem, seed: number, setting: string, probe: RunRecord['probe']): Step<RunInputs> {
  const { config, inputs, vocab } = ctx;
  const model = isDense(s) ? ctx.modelKey(s, seed) : null;
  const trained = isTrained(s);
  const key = hashOf({ inputs, system: { ...s, id: undefined }, model, setting: config.settings.find((x) => x.id === setting), mixSeed: config.mixSeed, probe, k: config.k });
  const label = `${s.id} seed ${seed} ${setting}${probe ? ` ${probe.kind} ${probe.value}` : ''}`;
  return {
    id: `${stage} ${label}`,
    kind,
    stage,
    label,
    cache: { kind: 'runs', key },
    inputs: { run: { system: s.id, seed, setting, probe }, translateTest: s.translateTest === true, model, vocab: trained ? vocab.cache.key : null, encoder: s.encoder ?? null },
    after: trained ? [vocab.id, ctx.trainStepOf.get(model!)!] : [],
  };
}

/** 2. Search: every system × seed × setting. */
export const planSearches: Planner = (ctx) => {
  const { config } = ctx;
  const steps: Step[] = [];
  for (const s of ctx.systems)
    for (const seed of isTrained(s) ? config.seeds : [BM25_SEED])
      for (const setting of config.settings) steps.push(runStep(ctx, isDense(s) ? 'search-dense' : 'search-bm25', 'search', s, seed, setting.id, null));
  return steps;
};

/** 3. Probes on the probe setting: code-switched queries, and FGSM on the query embedding. */
export const planProbes: Planner = (ctx) => {
  const { config } = ctx;
  const steps: Step[] = [];
  for (const s of ctx.systems.filter((x) => isDense(x) && !x.translateTest)) {
    for (const seed of isTrained(s) ? config.seeds : [BM25_SEED]) {
      for (const p of config.probes.csRates) steps.push(runStep(ctx, 'probe-cs', 'probe', s, seed, config.probes.setting, { kind: 'cs', value: p }));
      for (const eps of config.probes.eps) steps.push(runStep(ctx, 'probe-fgsm', 'probe', s, seed, config.probes.setting, { kind: 'fgsm', value: eps }));
    }
  }
  return steps;
};

/** The study's planners, in execution order: the text half's, then the image–text half's. */
export const PLANNERS: readonly Planner[] = [planTraining, planSearches, planProbes];
export const IMAGE_TEXT_PLANNERS: readonly Planner[] = [planImageText];

/** An external encoder's key: its options and the bytes of its files (hashed once per plan). */
function encoderKey(encoder: EncoderConfig, known: Map<string, string>): string {
  let content = known.get(encoder.onnx);
  if (content === undefined) {
    if (!existsSync(encoder.onnx)) throw new XmrError('E_MISSING', 'no such encoder: expected an ONNX model folder or .onnx file (systems[].encoder.onnx)', { file: encoder.onnx });
    content = hashTree(encoder.onnx);
    known.set(encoder.onnx, content);
  }
  return hashOf({ encoder, content });
}

/** The study's steps in execution order (see the module comment). */
export function buildPlan(config: ExperimentConfig, inputs: StudyInputs = studyInputs(config)): Plan {
  const vocabKey = hashOf({ inputs, vocab: config.languages.seen });
  const encoderKeys = new Map<string, string>();
  const lexiconKeys = new Map<string, string>();
  const lexiconKey = (s: StudySystem): string | undefined => {
    const cs = trainSpec(s, config)?.cs;
    return cs ? lexiconContent(config.lexicons, config.lexiconSources, { system: s.id, source: cs.lexicon ?? 'freedict', langs: cs.langs }, lexiconKeys) : undefined;
  };
  const ctx: PlanContext = {
    config,
    systems: studySystems(config),
    inputs,
    vocab: { id: 'train shared vocabulary', kind: 'vocab', stage: 'train', label: 'shared vocabulary', cache: { kind: 'vocab', key: vocabKey }, inputs: { langs: [...config.languages.seen] }, after: [] },
    modelKey: (s, seed) => (s.encoder ? encoderKey(s.encoder, encoderKeys) : hashOf({ inputs, spec: trainSpec(s, config), seed, lexicon: lexiconKey(s) })),
    lexiconKey,
    trainStepOf: new Map(),
    models: [],
  };
  const planners = [...(config.halves.includes('text') ? PLANNERS : []), ...(config.halves.includes('image-text') ? IMAGE_TEXT_PLANNERS : [])];
  return { inputs, steps: planners.flatMap((plan) => plan(ctx)), models: ctx.models };
}

/** The run steps of a plan (every step whose cache entry is a run), in plan order. */
export function runSteps(plan: Plan): Step<RunInputs>[] {
  return plan.steps.filter((s): s is Step<RunInputs> => s.cache.kind === 'runs');
}
