/**
 * The schema of `results.json` (documented in docs/results-schema.md). Bump RESULTS_SCHEMA_VERSION
 * on any change a reader would notice, and say what changed in that document.
 */
import type { ExperimentConfig, SettingConfig, StudySystem } from './config.js';
import { studyContrastFamilies } from './contrasts.js';
import { contrastStats, type ContrastStats, type TableStats } from './stats.js';
import type { TrainReport } from './dense-models.js';
import type { ImageTextResults } from './image-text/score.js';
import type { LexiconSourceSummary } from './lexicon-report.js';

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
  /** The systems as run: config entries with their ε sweeps expanded (`adv`: method and ε; `sweep`: the entry's id). */
  systems: (StudySystem & { description: string })[];
  settings: (SettingConfig & { queryCount: number; documentCount: number })[];
  measures: string[];
  models: { system: string; seed: number; file: string; train: TrainReport | null }[];
  /** Every run with its per-query values (measure → values aligned with queryIds). */
  runs: (RunRecord & { queryIds: string[]; perQuery: Record<string, number[]> })[];
  /** Cells are per (system, setting, measure); probe cells use setting "cs=<p>" or "fgsm=<ε>". */
  tables: { main: TableStats; probes: TableStats };
  /**
   * The contrast families (contrasts.ts) tested on each table's cells, each corrected on its own.
   * Added within schema version 1: files written before lack it; {@link resultsContrasts} recomputes it.
   */
  contrasts?: { main: ContrastStats[]; probes: ContrastStats[] };
  /**
   * The code-switching lexicon sources the systems read: sizes and BLI precision (lexicon-report.ts).
   * Added within schema version 2: files written before lack it (their systems read FreeDict only).
   */
  lexiconSources?: LexiconSourceSummary[];
  /** The image–text half (schema version 2), or null when `halves` leaves it out. */
  imageText: ImageTextResults | null;
  /** Wall-clock seconds per stage. */
  seconds: Record<string, number>;
  /** Steps of the plan, and how many were found in the cache. */
  steps: { total: number; cached: number };
}

/** The main table's measures tested in the contrast families; the probe table has RR@10 only. */
export const PROBE_MEASURES = ['RR@10'] as const;

/** The contrast families of both tables, tested on their cells' seed-averaged per-query values. */
export function tableContrasts(systems: Results['systems'], tables: Results['tables']): NonNullable<Results['contrasts']> {
  const families = studyContrastFamilies(systems, tables.main.baseline);
  return { main: families.map((f) => contrastStats(tables.main, f)), probes: families.map((f) => contrastStats(tables.probes, f, { measures: PROBE_MEASURES })) };
}

/**
 * A results.json's contrasts: as written, or — for a file written before they were added — recomputed
 * from its tables (everything they need, the seed-averaged per-query values, is in every version).
 */
export function resultsContrasts(r: Results): NonNullable<Results['contrasts']> {
  if (r.contrasts) return r.contrasts;
  const typed = (t: TableStats): TableStats => ({ ...t, cells: t.cells.map((c) => ({ ...c, perQuery: Float64Array.from(c.perQuery) })) });
  return tableContrasts(r.systems, { main: typed(r.tables.main), probes: typed(r.tables.probes) });
}
