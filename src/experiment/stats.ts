/**
 * The study's statistics, done honestly across seeds:
 * - a trained system's score in a setting is the mean over seeds of its mean per-query value,
 *   reported with the standard deviation across seeds (sample sd, n − 1);
 * - significance tests compare *seed-averaged per-query values* (each query's value averaged over the
 *   system's seeds) with the baseline's, paired by query — never the best seed;
 * - one correction over the whole table (every system × setting compared with the baseline), per measure;
 * - contrast families ({@link ContrastFamily}): the comparisons that answer one question (does
 *   adversarial training add anything on top of code-switching?), each corrected on its own, per
 *   measure, over its contrasts × settings — tested on the same seed-averaged per-query values.
 * - McNemar's test needs one hit or miss per query: a query counts as a hit when at least half of the
 *   system's seeds hit it (its seed-averaged hit rate ≥ ½); with one seed that is the hit itself.
 */
import { adjustPValues, cohensDz, type PAdjustMethod } from '../eval/significance/index.js';
import { describeTest, runTest, type CompareTest } from '../eval/compare.js';

/** One system in one setting: per seed, the per-query values of each measure (aligned with queryIds). */
export interface CellInput {
  system: string;
  setting: string;
  queryIds: readonly string[];
  /** measure → seed index → per-query values */
  perSeed: ReadonlyMap<string, readonly Float64Array[]>;
}

export interface CellStats {
  system: string;
  setting: string;
  measure: string;
  /** Mean over seeds of the per-seed means. */
  mean: number;
  /** Sample standard deviation of the per-seed means (0 with one seed). */
  sd: number;
  seeds: number;
  /** Seed-averaged per-query values (what the tests use). */
  perQuery: Float64Array;
  /** Against the baseline (absent for the baseline itself). */
  test?: { statistic: number; pValue: number; pAdjusted: number; significant: boolean; direction: 'better' | 'worse' | 'same'; dz: number };
}

export interface TableStats {
  baseline: string;
  test: CompareTest;
  testDescription: string;
  correction: PAdjustMethod;
  alpha: number;
  cells: CellStats[];
}

export function seedAverage(perSeed: readonly Float64Array[]): Float64Array {
  const n = perSeed[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (const v of perSeed) {
    if (v.length !== n) throw new RangeError(`per-seed value arrays differ in length (${v.length} vs ${n})`);
    for (let i = 0; i < n; i++) out[i]! += v[i]! / perSeed.length;
  }
  return out;
}

/** Seed-averaged hit rates → hits (1 when ≥ ½), for McNemar's test. */
function majorityHits(v: Float64Array): Float64Array {
  return v.map((x) => (x >= 0.5 ? 1 : 0));
}

function meanOf(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return v.length === 0 ? NaN : s / v.length;
}

function sdOf(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = meanOf(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
}

type PairTest = NonNullable<CellStats['test']>;

/** The paired test of `cell`'s seed-averaged per-query values against `reference`'s (aligned by query). */
function pairTest(reference: CellStats, cell: CellStats, test: CompareTest, permutations: number, seed: number): PairTest {
  const hits = test.startsWith('mcnemar');
  const r = runTest(test, hits ? majorityHits(reference.perQuery) : reference.perQuery, hits ? majorityHits(cell.perQuery) : cell.perQuery, permutations, seed);
  const d = cell.mean - reference.mean;
  return { statistic: r.statistic, pValue: r.pValue, pAdjusted: NaN, significant: false, direction: d > 0 ? 'better' : d < 0 ? 'worse' : 'same', dz: cohensDz(reference.perQuery, cell.perQuery) };
}

/**
 * One correction over a family of tests (in place): adjusted p-values and significance. NaN p-values
 * (identical values) are never significant and not counted in the correction.
 */
function correctFamily(tests: readonly PairTest[], correction: PAdjustMethod, alpha: number): void {
  const finite = tests.filter((t) => Number.isFinite(t.pValue));
  const adjusted = adjustPValues(finite.map((t) => t.pValue), correction);
  finite.forEach((t, j) => {
    t.pAdjusted = adjusted[j]!;
    t.significant = t.pAdjusted < alpha && t.direction !== 'same';
  });
}

/**
 * Statistics of a whole table: every cell's mean ± sd, and every non-baseline cell tested against
 * the baseline in the same setting (paired by query), corrected together per measure.
 */
export function tableStats(
  inputs: readonly CellInput[],
  measures: readonly string[],
  options: { baseline: string; test: CompareTest; correction: PAdjustMethod; alpha: number; seed?: number; permutations?: number },
): TableStats {
  const seed = options.seed ?? 0;
  const permutations = options.permutations ?? 10000;
  const cells: CellStats[] = [];
  for (const measure of measures) {
    const family: CellStats[] = [];
    for (const input of inputs) {
      const perSeed = input.perSeed.get(measure);
      if (!perSeed || perSeed.length === 0) throw new RangeError(`${input.system}/${input.setting}: no values for ${measure}`);
      const seedMeans = perSeed.map((v) => meanOf(v));
      cells.push({ system: input.system, setting: input.setting, measure, mean: meanOf(seedMeans), sd: sdOf(seedMeans), seeds: perSeed.length, perQuery: seedAverage(perSeed) });
    }
    const ofMeasure = cells.filter((c) => c.measure === measure);
    for (const cell of ofMeasure) {
      if (cell.system === options.baseline) continue;
      const base = ofMeasure.find((c) => c.system === options.baseline && c.setting === cell.setting);
      if (!base) continue;
      const input = inputs.find((i) => i.system === cell.system && i.setting === cell.setting)!;
      const baseInput = inputs.find((i) => i.system === options.baseline && i.setting === cell.setting)!;
      if (input.queryIds.join('\n') !== baseInput.queryIds.join('\n'))
        throw new RangeError(`${cell.system}/${cell.setting}: queries do not line up with the baseline's`);
      cell.test = pairTest(base, cell, options.test, permutations, seed);
      family.push(cell);
    }
    correctFamily(family.map((c) => c.test!), options.correction, options.alpha);
  }
  return { baseline: options.baseline, test: options.test, testDescription: describeTest(options.test, permutations, seed), correction: options.correction, alpha: options.alpha, cells };
}

/** One contrast: `system` against `reference`, in every setting where both have a cell. */
export interface Contrast {
  system: string;
  reference: string;
}

/**
 * The contrasts that answer one question, corrected together (per measure, over contrasts ×
 * settings). Data, not code: a study lists its families (contrasts.ts builds the study's from the
 * systems' kinds) and {@link contrastStats} tests any of them.
 */
export interface ContrastFamily {
  /** Stable id, e.g. 'adv-over-cs'. */
  id: string;
  /** The question, as the report heads its table. */
  title: string;
  contrasts: Contrast[];
}

/** A contrast in one setting and measure: both means, their difference and the test of the family. */
export interface ContrastCell extends Contrast {
  setting: string;
  measure: string;
  /** Means over seeds of the two systems (as their table cells). */
  mean: number;
  referenceMean: number;
  /** mean − referenceMean. */
  delta: number;
  test: PairTest;
}

export interface ContrastStats {
  id: string;
  title: string;
  test: CompareTest;
  testDescription: string;
  correction: PAdjustMethod;
  alpha: number;
  /** How many tests each measure's correction covered (contrasts × settings with a finite p-value). */
  familySize: Record<string, number>;
  cells: ContrastCell[];
}

/**
 * Tests a family of contrasts on the cells of a table (its seed-averaged per-query values, which
 * {@link tableStats} checked line up by query within each setting): every contrast in every setting
 * where both systems have a cell, each measure corrected on its own over the family. A contrast
 * naming a system the table lacks is skipped (a family may be shared by tables of other systems).
 */
export function contrastStats(
  table: TableStats,
  family: ContrastFamily,
  options: { measures?: readonly string[]; correction?: PAdjustMethod; alpha?: number; seed?: number; permutations?: number } = {},
): ContrastStats {
  const seed = options.seed ?? 0;
  const permutations = options.permutations ?? 10000;
  const correction = options.correction ?? table.correction;
  const alpha = options.alpha ?? table.alpha;
  const measures = options.measures ?? [...new Set(table.cells.map((c) => c.measure))];
  const cells: ContrastCell[] = [];
  const familySize: Record<string, number> = {};
  for (const measure of measures) {
    const ofMeasure: ContrastCell[] = [];
    for (const { system, reference } of family.contrasts) {
      for (const cell of table.cells.filter((c) => c.system === system && c.measure === measure)) {
        const ref = table.cells.find((c) => c.system === reference && c.setting === cell.setting && c.measure === measure);
        if (!ref) continue;
        if (ref.perQuery.length !== cell.perQuery.length) throw new RangeError(`${system} vs ${reference}/${cell.setting}: queries do not line up`);
        ofMeasure.push({ system, reference, setting: cell.setting, measure, mean: cell.mean, referenceMean: ref.mean, delta: cell.mean - ref.mean, test: pairTest(ref, cell, table.test, permutations, seed) });
      }
    }
    correctFamily(ofMeasure.map((c) => c.test), correction, alpha);
    familySize[measure] = ofMeasure.filter((c) => Number.isFinite(c.test.pValue)).length;
    cells.push(...ofMeasure);
  }
  return { id: family.id, title: family.title, test: table.test, testDescription: describeTest(table.test, permutations, seed), correction, alpha, familySize, cells };
}
