/**
 * The study's configuration: which data, which systems, which settings, seeds and probes. A JSON
 * file (`--config`) is merged over the plan's defaults and validated field by field; every error
 * names the field (`config.json: seeds[1] must be an integer ≥ 0, got -1`).
 */
import { readFileSync } from 'node:fs';
import { XmrError } from '../errors.js';

export type SystemKind = 'bm25' | 'zero-shot' | 'bl-cs' | 'ml-cs' | 'adv' | 'ml-cs+adv';

export interface SystemConfig {
  /** Unique id, used in file names and tables. */
  id: string;
  kind: SystemKind;
  /** BL-CS: the one target language; ML-CS: the languages drawn from (default: `languages.seen`). */
  langs?: string[];
  /** Translate-Test: translate non-English queries into English with the X→EN lexicons first. */
  translateTest?: boolean;
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
  adv: { method: 'fgsm' | 'l2' | 'pgd'; eps: number; epsRelative: boolean; lambda: number; steps: number };
}

export interface ExperimentConfig {
  version: 1;
  plan: 'default' | 'full';
  /** A DDTP-layout dataset: `<dir>/<lang>/{corpus,queries}.jsonl`, `<dir>/train/`. */
  dataset: string;
  /** MUSE-format lexicons `<dir>/en-<x>.txt` (code-switching) and `<dir>/<x>-en.txt` (Translate-Test). */
  lexicons: string;
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
}

const SEEN = ['de', 'it', 'fr', 'es'];

function defaults(plan: 'default' | 'full'): ExperimentConfig {
  const full = plan === 'full';
  const clirLangs = full ? ['de', 'it', 'fr', 'es', 'ru', 'ja', 'pl', 'uk'] : ['de', 'it', 'ru'];
  const moirLangs = full ? ['en', 'de', 'it', 'fr', 'es', 'ru', 'ja', 'pl', 'uk'] : ['en', 'de'];
  const systems: SystemConfig[] = [
    { id: 'bm25', kind: 'bm25' },
    { id: 'zs', kind: 'zero-shot' },
    ...(full ? SEEN : ['de', 'it']).map((l): SystemConfig => ({ id: `bl-cs-${l}`, kind: 'bl-cs', langs: [l] })),
    { id: 'ml-cs', kind: 'ml-cs' },
    { id: 'adv', kind: 'adv' },
    { id: 'ml-cs+adv', kind: 'ml-cs+adv' },
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
    languages: { seen: SEEN, unseen: ['ru', 'ja', 'pl', 'uk'] },
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

/** Field-by-field validation with the path in every message. */
class Checker {
  constructor(private readonly source: string) {}

  fail(path: string, what: string): never {
    throw new XmrError('E_CONFIG', `${path} ${what}`, { file: this.source });
  }

  object(v: unknown, path: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, `must be an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  }

  known(obj: Record<string, unknown>, path: string, keys: readonly string[]): void {
    for (const k of Object.keys(obj)) if (!keys.includes(k)) this.fail(`${path}${path ? '.' : ''}${k}`, `is not a known field (known: ${keys.join(', ')})`);
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, `must be a non-empty string, got ${describe(v)}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(path, `must be one of ${values.join(', ')}, got ${describe(v)}`);
    return v as T;
  }

  number(v: unknown, path: string, min: number, max = Infinity, integer = false): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `must be a number, got ${describe(v)}`);
    if (integer && !Number.isInteger(v)) this.fail(path, `must be an integer, got ${v}`);
    if (v < min || v > max) this.fail(path, `must be in [${min}, ${max}], got ${v}`);
    return v;
  }

  boolean(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, `must be true or false, got ${describe(v)}`);
    return v;
  }

  array<T>(v: unknown, path: string, item: (x: unknown, path: string) => T, minLength = 0): T[] {
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${describe(v)}`);
    if (v.length < minLength) this.fail(path, `must have at least ${minLength} element${minLength === 1 ? '' : 's'}`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  }

  lang(v: unknown, path: string): string {
    if (typeof v !== 'string' || !/^[a-z]{2,3}$/.test(v)) this.fail(path, `must be a language code like "de", got ${describe(v)}`);
    return v;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function unique(c: Checker, ids: string[], path: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) c.fail(`${path}[${i}].id`, `repeats ${JSON.stringify(id)}`);
    seen.add(id);
  });
}

/** Validates a merged configuration object; `source` names it in errors. */
export function validateConfig(raw: unknown, source = 'config'): ExperimentConfig {
  const c = new Checker(source);
  const o = c.object(raw, 'config');
  c.known(o, '', ['version', 'plan', 'dataset', 'lexicons', 'languages', 'seeds', 'systems', 'settings', 'train', 'probes', 'mixSeed', 'k', 'test', 'correction', 'alpha', 'threads']);
  if (o.version !== 1) c.fail('version', `must be 1, got ${describe(o.version)}`);
  const languages = c.object(o.languages, 'languages');
  c.known(languages, 'languages', ['seen', 'unseen']);
  const seen = c.array(languages.seen, 'languages.seen', (x, p) => c.lang(x, p), 1);
  const unseen = c.array(languages.unseen, 'languages.unseen', (x, p) => c.lang(x, p), 1);
  unseen.forEach((l, i) => seen.includes(l) && c.fail(`languages.unseen[${i}]`, `"${l}" is also in languages.seen`));
  const systems = c.array(o.systems, 'systems', (x, p): SystemConfig => {
    const s = c.object(x, p);
    c.known(s, p, ['id', 'kind', 'langs', 'translateTest']);
    const kind = c.oneOf(s.kind, `${p}.kind`, ['bm25', 'zero-shot', 'bl-cs', 'ml-cs', 'adv', 'ml-cs+adv'] as const);
    const out: SystemConfig = { id: c.string(s.id, `${p}.id`), kind };
    if (s.langs !== undefined) out.langs = c.array(s.langs, `${p}.langs`, (l, q) => c.lang(l, q), 1);
    if (kind === 'bl-cs' && out.langs?.length !== 1) c.fail(`${p}.langs`, 'must name exactly one language for bl-cs');
    for (const [i, l] of (out.langs ?? []).entries()) if (!seen.includes(l)) c.fail(`${p}.langs[${i}]`, `"${l}" is not in languages.seen`);
    if (s.translateTest !== undefined) out.translateTest = c.boolean(s.translateTest, `${p}.translateTest`);
    if (out.translateTest && kind === 'bm25') c.fail(`${p}.translateTest`, 'applies to trained models only');
    return out;
  }, 1);
  unique(c, systems.map((s) => s.id), 'systems');
  if (!systems.some((s) => s.kind === 'zero-shot' && !s.translateTest)) c.fail('systems', 'must include a zero-shot system without translateTest (the baseline of every test)');
  const settings = c.array(o.settings, 'settings', (x, p): SettingConfig => {
    const s = c.object(x, p);
    c.known(s, p, ['id', 'family', 'queries', 'docs']);
    return {
      id: c.string(s.id, `${p}.id`),
      family: c.oneOf(s.family, `${p}.family`, ['moir', 'clir', 'mlir'] as const),
      queries: c.array(s.queries, `${p}.queries`, (l, q) => c.lang(l, q), 1),
      docs: c.array(s.docs, `${p}.docs`, (l, q) => c.lang(l, q), 1),
    };
  }, 1);
  unique(c, settings.map((s) => s.id), 'settings');
  const t = c.object(o.train, 'train');
  c.known(t, 'train', ['dim', 'epochs', 'batch', 'lr', 'tau', 'csRate', 'adv']);
  const adv = c.object(t.adv, 'train.adv');
  c.known(adv, 'train.adv', ['method', 'eps', 'epsRelative', 'lambda', 'steps']);
  const probes = c.object(o.probes, 'probes');
  c.known(probes, 'probes', ['csRates', 'eps', 'setting']);
  const probeSetting = c.string(probes.setting, 'probes.setting');
  if (!settings.some((s) => s.id === probeSetting)) c.fail('probes.setting', `names no setting ("${probeSetting}")`);
  return {
    version: 1,
    plan: c.oneOf(o.plan, 'plan', ['default', 'full'] as const),
    dataset: c.string(o.dataset, 'dataset'),
    lexicons: c.string(o.lexicons, 'lexicons'),
    languages: { seen, unseen },
    seeds: c.array(o.seeds, 'seeds', (x, p) => c.number(x, p, 0, 2 ** 32 - 1, true), 1),
    systems,
    settings,
    train: {
      dim: c.number(t.dim, 'train.dim', 1, 4096, true),
      epochs: c.number(t.epochs, 'train.epochs', 0.01, 1000),
      batch: c.number(t.batch, 'train.batch', 2, 65536, true),
      lr: c.number(t.lr, 'train.lr', 0, 10),
      tau: c.number(t.tau, 'train.tau', 1e-4, 100),
      csRate: c.number(t.csRate, 'train.csRate', 0, 1),
      adv: {
        method: c.oneOf(adv.method, 'train.adv.method', ['fgsm', 'l2', 'pgd'] as const),
        eps: c.number(adv.eps, 'train.adv.eps', 0, 1e6),
        epsRelative: c.boolean(adv.epsRelative, 'train.adv.epsRelative'),
        lambda: c.number(adv.lambda, 'train.adv.lambda', 0, 1e6),
        steps: c.number(adv.steps, 'train.adv.steps', 1, 100, true),
      },
    },
    probes: {
      csRates: c.array(probes.csRates, 'probes.csRates', (x, p) => c.number(x, p, 0, 1), 1),
      eps: c.array(probes.eps, 'probes.eps', (x, p) => c.number(x, p, 0, 1e6), 1),
      setting: probeSetting,
    },
    mixSeed: c.number(o.mixSeed, 'mixSeed', 0, 2 ** 32 - 1, true),
    k: c.number(o.k, 'k', 1, 100000, true),
    test: c.oneOf(o.test, 'test', ['t', 'wilcoxon', 'randomization'] as const),
    correction: c.oneOf(o.correction, 'correction', ['holm', 'bonferroni', 'bh', 'none'] as const),
    alpha: c.number(o.alpha, 'alpha', 0, 1),
    threads: c.number(o.threads, 'threads', 1, 1024, true),
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
    try {
      fromFile = JSON.parse(text) as Json;
    } catch (err) {
      throw new XmrError('E_PARSE', `invalid JSON: ${(err as Error).message}`, { file: options.file });
    }
    if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new XmrError('E_CONFIG', 'must hold a JSON object', { file: options.file });
  }
  const filePlan = (fromFile as { plan?: unknown }).plan;
  const plan = options.plan ?? (filePlan === 'full' ? 'full' : 'default');
  const merged = merge(merge(defaults(plan) as unknown as Json, fromFile), (options.overrides ?? {}) as Json);
  return validateConfig(merged, options.file ?? 'config');
}
