/**
 * The study's configuration: which data, which systems, which settings, seeds and probes. A JSON
 * file (`--config`) is merged over the plan's defaults and validated against schemas/config.schema.json
 * and the checks below; every error names the file and the field (`config.json: seeds[1] must be in
 * [0, 4294967295], got -1`).
 */
import { readFileSync } from 'node:fs';
import type { PoolingMode } from '../encoders/pooling.js';
import { XmrError } from '../errors.js';
import { JsonFields } from '../json-fields.js';
import { parseJsonText } from '../json-text.js';
import { checkConfigSchema } from './config-schema.js';
import { imageTextDefaults, validateImageTextConfig, type ImageTextConfig } from './image-text/config.js';
import { DEFAULT_LEXICON_SOURCES, type LexiconSource, type LexiconSourceFolders } from './lexicons.js';

export type SystemKind = 'bm25' | 'zero-shot' | 'bl-cs' | 'ml-cs' | 'adv' | 'ml-cs+adv' | 'encoder';
export type AdvMethod = 'fgsm' | 'l2' | 'pgd';

/**
 * The adversarial training strengths a system entry of kind `adv` or `ml-cs+adv` stands for: one
 * system per method × ε (each absent list defaults to `train.adv`'s one value), see {@link expandSystems}.
 */
export interface AdvSweep {
  method?: AdvMethod[];
  eps?: number[];
}

/**
 * An external text encoder in place of a trained one (no training step): `onnx` is an ONNX model
 * folder or .onnx file as `xmrbench search --ranker dense --model` takes it (src/encoders/open-text-encoder.ts);
 * the rest are that encoder's options (OnnxTextEncoderOptions).
 */
export interface EncoderConfig {
  onnx: string;
  pooling?: PoolingMode;
  normalize?: boolean;
  queryPrefix?: string;
  documentPrefix?: string;
  maxLength?: number;
}

const ENCODER_FIELDS = ['onnx', 'pooling', 'normalize', 'queryPrefix', 'documentPrefix', 'maxLength'] as const;

export interface SystemConfig {
  /** Unique id, used in file names and tables. */
  id: string;
  kind: SystemKind;
  /** BL-CS: the one target language; ML-CS: the languages drawn from (default: `languages.seen`). */
  langs?: string[];
  /** Translate-Test: translate non-English queries into English with the X→EN lexicons first. */
  translateTest?: boolean;
  /** kind adv / ml-cs+adv: the training strengths this entry sweeps (default: `train.adv`'s one). */
  adv?: AdvSweep;
  /** kind encoder: the external encoder. */
  encoder?: EncoderConfig;
  /**
   * bl-cs / ml-cs / ml-cs+adv: the lexicon source code-switching reads (`lexiconSources`); absent is
   * FreeDict (a validated config leaves `"freedict"` out, so its systems keep their cache keys).
   */
  lexicon?: LexiconSource;
}

/**
 * One system of the study as planned, tested and reported: a config entry with its sweep expanded
 * — `adv` is then the one method and ε it trains with, and `sweep` the id of the entry it came from.
 */
export interface StudySystem extends Omit<SystemConfig, 'adv'> {
  adv?: { method: AdvMethod; eps: number };
  sweep?: string;
}

export interface SettingConfig {
  /** Unique id, e.g. 'de-en'. */
  id: string;
  /** 'moir' | 'clir' | 'mlir' (for grouping in the report). */
  family: 'moir' | 'clir' | 'mlir';
  /** Query languages (one, or several for a mixed-language query set). */
  queries: string[];
  /** Document languages (one, or several for a mixed-language corpus). */
  docs: string[];
}

export interface TrainConfig {
  dim: number;
  epochs: number;
  batch: number;
  lr: number;
  tau: number;
  /** Code-switching rate p (Litschko et al. found 0.5 best). */
  csRate: number;
  adv: { method: AdvMethod; eps: number; epsRelative: boolean; lambda: number; steps: number };
}

export interface ExperimentConfig {
  version: 1;
  plan: 'default' | 'full';
  /** A DDTP-layout dataset: `<dir>/<lang>/{corpus,queries}.jsonl`, `<dir>/train/`. */
  dataset: string;
  /** MUSE-format lexicons `<dir>/en-<x>.txt` (code-switching) and `<dir>/<x>-en.txt` (Translate-Test). */
  lexicons: string;
  /** The code-switching lexicon sources' folders (relative ones under `lexicons`), see lexicons.ts. */
  lexiconSources: LexiconSourceFolders;
  languages: {
    /** Languages whose lexicons training may use. */
    seen: string[];
    /** Languages evaluated but never used in training (at least one). */
    unseen: string[];
  };
  seeds: number[];
  systems: SystemConfig[];
  settings: SettingConfig[];
  train: TrainConfig;
  probes: {
    /** Code-switching rates applied to the English test queries (ML-CS over `languages.seen`). */
    csRates: number[];
    /** FGSM ε on the query embedding, relative to the RMS coordinate of a unit vector (1/√d). */
    eps: number[];
    /** The setting the probes run on (English documents). */
    setting: string;
  };
  /** Seed of the MLIR language draws and probe code-switching. */
  mixSeed: number;
  /** Depth of each run (R@100 needs 100). */
  k: number;
  test: 't' | 'wilcoxon' | 'randomization';
  correction: 'holm' | 'bonferroni' | 'bh' | 'none';
  alpha: number;
  threads: number;
  /** Which halves run: the text study and/or the image–text study (src/experiment/image-text/). */
  halves: ('text' | 'image-text')[];
  imageText: ImageTextConfig;
}

const SEEN = ['de', 'it', 'fr', 'es'];
const UNSEEN = ['ru', 'ja', 'pl', 'uk'];

function defaults(plan: 'default' | 'full'): ExperimentConfig {
  const full = plan === 'full';
  const clirLangs = full ? ['de', 'it', 'fr', 'es', 'ru', 'ja', 'pl', 'uk'] : ['de', 'it', 'ru'];
  const advSweep: AdvSweep = full ? { method: ['fgsm', 'pgd'], eps: [0.01, 0.05, 0.1, 0.3] } : { method: ['fgsm'], eps: [0.01, 0.1] };
  const moirLangs = full ? ['en', 'de', 'it', 'fr', 'es', 'ru', 'ja', 'pl', 'uk'] : ['en', 'de'];
  const systems: SystemConfig[] = [
    { id: 'bm25', kind: 'bm25' },
    { id: 'zs', kind: 'zero-shot' },
    ...(full ? SEEN : ['de', 'it']).map((l): SystemConfig => ({ id: `bl-cs-${l}`, kind: 'bl-cs', langs: [l] })),
    { id: 'ml-cs', kind: 'ml-cs' },
    // The lexicon axis (issue 14): the same code-switching from other sources than FreeDict — ML-CS from
    // titles (Dice on aligned DDTP synopses) by default; BL-CS into German from titles, and both from CLWE
    // (aligned skip-gram embeddings), in the full plan (the default study must stay within 15 minutes).
    ...(full ? (['titles', 'clwe'] as const) : (['titles'] as const)).flatMap((lexicon): SystemConfig[] => [
      ...(full ? [{ id: `bl-cs-de-${lexicon}`, kind: 'bl-cs' as const, langs: ['de'], lexicon }] : []),
      { id: `ml-cs-${lexicon}`, kind: 'ml-cs', lexicon },
    ]),
    // Two training strengths by default, a sweep of four and two methods in the full plan (issue 13:
    // one ε of 0.01 × the mean norm showed no effect, which may only mean it was too small).
    { id: 'adv', kind: 'adv', adv: advSweep },
    { id: 'ml-cs+adv', kind: 'ml-cs+adv', adv: advSweep },
    { id: 'tt-zs', kind: 'zero-shot', translateTest: true },
    { id: 'tt-ml-cs', kind: 'ml-cs', translateTest: true },
  ];
  const settings: SettingConfig[] = [
    ...moirLangs.map((l): SettingConfig => ({ id: `${l}-${l}`, family: 'moir', queries: [l], docs: [l] })),
    ...clirLangs.map((l): SettingConfig => ({ id: `${l}-en`, family: 'clir', queries: [l], docs: ['en'] })),
    ...(full ? clirLangs : ['de']).map((l): SettingConfig => ({ id: `en-${l}`, family: 'clir', queries: ['en'], docs: [l] })),
    { id: 'mix-en', family: 'mlir', queries: ['de', 'it', 'fr', 'ru'], docs: ['en'] },
    { id: 'en-mix', family: 'mlir', queries: ['en'], docs: ['en', 'de', 'it'] },
  ];
  return {
    version: 1,
    plan,
    dataset: 'datasets/ddtp-mini',
    lexicons: 'datasets/lexicons',
    lexiconSources: { ...DEFAULT_LEXICON_SOURCES },
    languages: { seen: SEEN, unseen: UNSEEN },
    seeds: full ? [1, 2, 3, 4, 5] : [1, 2, 3],
    systems,
    settings,
    train: { dim: 256, epochs: 10, batch: 64, lr: 5e-3, tau: 0.1, csRate: 0.5, adv: { method: 'fgsm', eps: 0.01, epsRelative: true, lambda: 1, steps: 3 } },
    probes: { csRates: [0, 0.25, 0.5, 0.75, 1], eps: full ? [0, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8] : [0, 0.05, 0.1, 0.2, 0.4], setting: 'en-en' },
    mixSeed: 13,
    k: 100,
    test: 't',
    correction: 'holm',
    alpha: 0.05,
    threads: 2,
    halves: ['text', 'image-text'],
    imageText: imageTextDefaults(plan, SEEN, UNSEEN),
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deep merge: objects merge key by key; arrays and scalars replace. */
function merge(base: Json, over: Json): Json {
  if (over === undefined) return base;
  if (base !== null && over !== null && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: { [key: string]: Json } = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k]!, v) : v;
    return out;
  }
  return over;
}

/**
 * The systems of the study: every entry with an `adv` sweep becomes one system per method × ε (the
 * lists default to `trainAdv`'s one value), named `<id>-<method>-<ε>` (`adv-fgsm-0.1`) and carrying
 * that method and ε; other entries stay as they are. Pure data: the plan, the statistics and the
 * report of either half of the study read the same expansion.
 */
export function expandSystems(systems: readonly SystemConfig[], trainAdv: { method: AdvMethod; eps: number }): StudySystem[] {
  return systems.flatMap((s): StudySystem[] => {
    const { adv, ...rest } = s;
    if (adv === undefined) return [rest];
    return (adv.method ?? [trainAdv.method]).flatMap((method) => (adv.eps ?? [trainAdv.eps]).map((eps): StudySystem => ({ ...rest, id: `${s.id}-${method}-${eps}`, adv: { method, eps }, sweep: s.id })));
  });
}

/** The study's systems for a validated configuration ({@link expandSystems}). */
export function studySystems(config: ExperimentConfig): StudySystem[] {
  return expandSystems(config.systems, config.train.adv);
}

function unique(c: JsonFields, ids: string[], path: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) c.fail(`${path}[${i}].id`, `repeats ${JSON.stringify(id)}`);
    seen.add(id);
  });
}

/**
 * Validates a merged configuration object; `source` names it in errors. Types and ranges come from
 * schemas/config.schema.json (every field required once merged); what a schema cannot say (ids
 * unique, languages seen, a baseline present) is checked here, in the same wording.
 */
export function validateConfig(raw: unknown, source = 'config'): ExperimentConfig {
  const c = new JsonFields(source);
  checkConfigSchema(raw, c);
  const o = raw as ExperimentConfig;
  const { seen, unseen } = o.languages;
  unseen.forEach((l, i) => seen.includes(l) && c.fail(`languages.unseen[${i}]`, `"${l}" is also in languages.seen`));
  const systems = o.systems.map((s, i): SystemConfig => {
    const p = `systems[${i}]`;
    const out: SystemConfig = { id: s.id, kind: s.kind };
    if (s.langs !== undefined) out.langs = s.langs;
    if (s.kind === 'bl-cs' && out.langs?.length !== 1) c.fail(`${p}.langs`, 'must name exactly one language for bl-cs');
    for (const [j, l] of (out.langs ?? []).entries()) if (!seen.includes(l)) c.fail(`${p}.langs[${j}]`, `"${l}" is not in languages.seen`);
    if (s.translateTest !== undefined) out.translateTest = s.translateTest;
    if (out.translateTest && s.kind === 'bm25') c.fail(`${p}.translateTest`, 'applies to trained models only');
    if (s.lexicon !== undefined) {
      if (s.kind !== 'bl-cs' && s.kind !== 'ml-cs' && s.kind !== 'ml-cs+adv') c.fail(`${p}.lexicon`, 'applies to bl-cs, ml-cs and ml-cs+adv only');
      if (s.lexicon !== 'freedict') out.lexicon = s.lexicon;
    }
    if (s.adv !== undefined) {
      if (s.kind !== 'adv' && s.kind !== 'ml-cs+adv') c.fail(`${p}.adv`, 'applies to adv and ml-cs+adv only');
      out.adv = { ...(s.adv.method === undefined ? {} : { method: s.adv.method }), ...(s.adv.eps === undefined ? {} : { eps: s.adv.eps }) };
    }
    if ((s.kind === 'encoder') !== (s.encoder !== undefined)) c.fail(s.encoder === undefined ? `${p}.encoder` : `${p}.kind`, s.encoder === undefined ? 'is required for kind encoder' : 'must be "encoder" when an encoder is given');
    if (s.encoder !== undefined) {
      // A fixed field order: the encoder's options are part of its runs' cache keys.
      const given = s.encoder as unknown as Record<string, unknown>;
      out.encoder = Object.fromEntries(ENCODER_FIELDS.filter((k) => given[k] !== undefined).map((k) => [k, given[k]])) as unknown as EncoderConfig;
    }
    return out;
  });
  // Ids are checked after the sweeps expand: `adv` sweeping ε = 0.1 is `adv-fgsm-0.1`, which may clash.
  const ids = new Set<string>();
  systems.forEach((entry, i) => {
    for (const s of expandSystems([entry], o.train.adv)) {
      if (ids.has(s.id)) c.fail(`systems[${i}].id`, `repeats ${JSON.stringify(s.id)}${s.sweep === undefined ? '' : ` (one of the training strengths it sweeps)`}`);
      ids.add(s.id);
    }
  });
  if (!systems.some((s) => s.kind === 'zero-shot' && !s.translateTest)) c.fail('systems', 'must include a zero-shot system without translateTest (the baseline of every test)');
  const settings = o.settings.map((s): SettingConfig => ({ id: s.id, family: s.family, queries: s.queries, docs: s.docs }));
  unique(c, settings.map((s) => s.id), 'settings');
  const { train: t, probes } = o;
  if (!settings.some((s) => s.id === probes.setting)) c.fail('probes.setting', `names no setting ("${probes.setting}")`);
  // A fresh object in a fixed key order (no "$schema"): cache keys and results.json are built from it.
  return {
    version: 1,
    plan: o.plan,
    dataset: o.dataset,
    lexicons: o.lexicons,
    lexiconSources: { freedict: o.lexiconSources.freedict, titles: o.lexiconSources.titles, clwe: o.lexiconSources.clwe },
    languages: { seen, unseen },
    seeds: o.seeds,
    systems,
    settings,
    train: {
      dim: t.dim,
      epochs: t.epochs,
      batch: t.batch,
      lr: t.lr,
      tau: t.tau,
      csRate: t.csRate,
      adv: { method: t.adv.method, eps: t.adv.eps, epsRelative: t.adv.epsRelative, lambda: t.adv.lambda, steps: t.adv.steps },
    },
    probes: { csRates: probes.csRates, eps: probes.eps, setting: probes.setting },
    mixSeed: o.mixSeed,
    k: o.k,
    test: o.test,
    correction: o.correction,
    alpha: o.alpha,
    threads: o.threads,
    halves: o.halves,
    // The image–text languages are checked only when that half runs: a text-only config may change `languages`.
    imageText: validateImageTextConfig(o.imageText, c, o.halves.includes('image-text') ? { seen, unseen } : null, [...ids]),
  };
}

/**
 * The configuration for a plan, with a JSON file (if given) and then `overrides` merged over it.
 * A file's `plan` field chooses the defaults it is merged over.
 */
export function loadConfig(options: { plan?: 'default' | 'full'; file?: string; overrides?: Record<string, unknown> } = {}): ExperimentConfig {
  let fromFile: Json = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (err) {
      throw new XmrError('E_MISSING', `cannot read the config: ${(err as Error).message}`, { file: options.file });
    }
    fromFile = parseJsonText(text, { file: options.file }) as Json;
    if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new XmrError('E_CONFIG', 'must hold a JSON object', { file: options.file });
  }
  const filePlan = (fromFile as { plan?: unknown }).plan;
  const plan = options.plan ?? (filePlan === 'full' ? 'full' : 'default');
  const merged = merge(merge(defaults(plan) as unknown as Json, fromFile), (options.overrides ?? {}) as Json);
  return validateConfig(merged, options.file ?? 'config');
}
