/**
 * The schema of `results.json` (documented in docs/results-schema.md). Bump RESULTS_SCHEMA_VERSION
 * on any change a reader would notice, and say what changed in that document.
 */
import type { ExperimentConfig, SettingConfig, SystemConfig } from './config.js';
import type { TableStats } from './stats.js';
import type { TrainReport } from './dense-models.js';
import type { ImageTextResults } from './image-text/score.js';

export const RESULTS_SCHEMA_VERSION = 2;

export interface RunRecord {
  system: string;
  seed: number;
  setting: string;
  /** null for the main table's runs; the probe and its value (p or ε) otherwise. */
  probe: null | { kind: 'cs' | 'fgsm'; value: number };
  /** TREC run file, relative to the output folder. */
  file: string;
  /** What the step reported (Translate-Test coverage, realised switch ratio …). */
  notes: Record<string, number>;
  /** Measure → mean over the setting's queries. */
  mean?: Record<string, number>;
}

export interface Results {
  schema: 'xmrbench/experiment-results';
  schemaVersion: number;
  createdAt: string;
  machine: { cpu: string; cores: number; node: string; isa: string };
  config: ExperimentConfig;
  /** Content hashes the cache keys are built from. */
  inputs: { dataset: string; lexicons: string; pipeline: number; native: string };
  systems: (SystemConfig & { description: string })[];
  settings: (SettingConfig & { queryCount: number; documentCount: number })[];
  measures: string[];
  models: { system: string; seed: number; file: string; train: TrainReport | null }[];
  /** Every run with its per-query values (measure → values aligned with queryIds). */
  runs: (RunRecord & { queryIds: string[]; perQuery: Record<string, number[]> })[];
  /** Cells are per (system, setting, measure); probe cells use setting "cs=<p>" or "fgsm=<ε>". */
  tables: { main: TableStats; probes: TableStats };
  /** The image–text half (schema version 2), or null when `halves` leaves it out. */
  imageText: ImageTextResults | null;
  /** Wall-clock seconds per stage. */
  seconds: Record<string, number>;
  /** Steps of the plan, and how many were found in the cache. */
  steps: { total: number; cached: number };
}
