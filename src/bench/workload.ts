/**
 * What a benchmark workload is, as data (better-sqlite3's benchmark/ is the model: each workload
 * declares its options, the drivers it times side by side and the ratios it reports), and the one
 * result shape every workload returns. The CLI (src/cli/bench.ts) builds one subcommand per entry
 * of src/bench/registry.ts from these definitions, so a new workload is a new file and a line in
 * the registry, never a hand-written command.
 */
import type { MachineStamp } from './machine.js';
import type { Timing } from './measure.js';

/** Options every workload takes: worker threads for the native kernels, and tinybench's time budget. */
export interface CommonOptions {
  threads: number;
  /** Time budget per measured task, in ms (`--time` on the command line). */
  timeMs: number;
}

export interface NumberOption {
  type: 'number';
  default: number;
  describe: string;
}

export interface ChoiceOption<T extends string> {
  type: 'string';
  default: T;
  choices: readonly T[];
  describe: string;
}

/** A free-text option (a file to write), when no closed set of choices fits. */
export interface TextOption {
  type: 'string';
  default: string;
  describe: string;
}

/** The declaration of one option of type T: a number, one of a closed set of strings, or any text. */
export type OptionSpec<T> = [T] extends [number] ? NumberOption : [T] extends [string] ? (string extends T ? TextOption : ChoiceOption<T>) : never;

/** One declaration per option of O besides the common ones; the flag is the key in kebab case (`baselineQueries` → `--baseline-queries`). */
export type OptionSpecs<O> = { [K in Exclude<keyof O, keyof CommonOptions>]-?: OptionSpec<NonNullable<O[K]>> };

/** Timing of a driver run outside tinybench (a competitor in a child process times itself). */
export interface ExternalTiming {
  samples: number;
  meanMs: number;
  minMs: number;
}

/** One driver's figures: its name, its rates (named per workload: queriesPerSecond, gbPerSecond, …) and its timing. */
export interface DriverResult {
  driver: string;
  timing: Timing | ExternalTiming;
  note?: string;
  [figure: string]: number | string | Timing | ExternalTiming | undefined;
}

/** What every workload returns, printed by `xmrbench bench` and written as JSON by `--json`/`--out`. */
export interface BenchResult {
  workload: string;
  /** The workload's inputs as run (sizes, threads, seeds, targets). */
  params: Record<string, unknown>;
  machine: MachineStamp;
  drivers: DriverResult[];
  /** Rate of one driver over another's, named "a / b". */
  ratios?: Record<string, number>;
  /** tokenize: share of texts on which two tokenizers give the same ids. */
  agreement?: Record<string, number>;
  /** significance: the p-value of the timed test (the same on every driver). */
  pValue?: number;
  /** Why a competitor was not measured (its Python module or npm package is missing). */
  faiss?: string;
  torch?: string;
  gensim?: string;
  trecEval?: string;
}

export interface Workload<O extends CommonOptions> {
  /** The subcommand: `xmrbench bench <name>`. */
  name: string;
  /** One line: what the workload measures. */
  measures: string;
  options: OptionSpecs<O>;
  /** The drivers timed side by side, one line each. */
  drivers: readonly string[];
  /** The ratios reported, one line each (empty when the drivers are only reported). */
  ratios: readonly string[];
  examples: readonly (readonly [command: string, what: string])[];
  run(options: O): Promise<BenchResult>;
}

/** A workload with its option type erased, as the registry holds it. */
export interface RegisteredWorkload {
  name: string;
  measures: string;
  options: Readonly<Record<string, NumberOption | ChoiceOption<string> | TextOption>>;
  drivers: readonly string[];
  ratios: readonly string[];
  examples: readonly (readonly [string, string])[];
  run(options: CommonOptions & Record<string, number | string>): Promise<BenchResult>;
}

/**
 * Checks a definition against its option type O, then erases O: the CLI passes each option as
 * parsed from its own declaration (a number, one of its choices, or a string), so the values have O's types.
 */
export function defineWorkload<O extends CommonOptions>(workload: Workload<O>): RegisteredWorkload {
  return workload as unknown as RegisteredWorkload;
}

/** The command-line flag of an option key: `baselineQueries` → `baseline-queries`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
