/**
 * The image–text half's tables, from the per-query values its steps wrote (executors.ts), with the
 * text half's statistics (stats.ts: mean ± sd over seeds, tests on seed-averaged per-query values):
 *
 * - main: every system × setting × direction against zero-shot — McNemar's test (exact) on the
 *   R@1/5/10 hits, the paired test of `config.test` (default the t-test) on RR, each measure's
 *   comparisons corrected together (`config.correction`, default Holm) over the whole table;
 * - contrasts: the study's contrast families (contrasts.ts, as the text half: every system against
 *   zero-shot, ML-CS + ADV against ML-CS, ADV against zero-shot, ML-CS + ADV against ADV) tested on the
 *   main tables' cells (stats.ts `contrastStats`: McNemar on R@k, the config's test on RR), each
 *   family corrected on its own;
 * - probes (text→image on the probe setting) against zero-shot at the same p or ε.
 */
import path from 'node:path';
import type { CompareTest } from '../../eval/compare.js';
import type { ExperimentConfig, StudySystem } from '../config.js';
import type { Plan } from '../plan.js';
import { contrastStats, tableStats, type CellInput, type ContrastStats, type TableStats } from '../stats.js';
import { studyContrastFamilies } from '../contrasts.js';
import type { StudyContext } from '../step-executors.js';
import { describeSystem } from '../systems.js';
import { imageTextState, IT_MEASURES, type ItValues } from './executors.js';
import { IT_CACHE, imageTextExternalSystems, imageTextModels, imageTextRunSteps, imageTextSystems, type ItRunInputs } from './plan.js';
import type { ImageTextSettingConfig } from './config.js';
import type { ImageTextTrainReport } from './models.js';

const RECALL = IT_MEASURES.filter((m) => m !== 'RR');

/** Recall (McNemar) and RR (the config's paired test) of one set of cells. */
export interface ImageTextTable {
  recall: TableStats;
  rr: TableStats;
}

export interface ImageTextRun extends Pick<ItRunInputs['run'], 'system' | 'seed' | 'setting' | 'probe'> {
  notes: Record<string, number>;
  /** Direction → query ids, per-query values (measure → values) and means. */
  directions: Partial<Record<'t2i' | 'i2t', { queryIds: string[]; perQuery: Record<string, number[]>; mean: Record<string, number> }>>;
}

export interface ImageTextResults {
  measures: string[];
  systems: (StudySystem & { description: string })[];
  settings: (ImageTextSettingConfig & { queries: { t2i: number; i2t: number } })[];
  /** `files`: the adapted text tower and the locked image tower, relative to the output folder ({@link imageTextModelFiles}). */
  models: { system: string; seed: number; files: { text: string; image: string }; clip: ImageTextTrainReport | null; lit: ImageTextTrainReport | null }[];
  runs: ImageTextRun[];
  /** Cells: setting "<setting id> t2i|i2t"; probe cells "cs=<p>" or "fgsm=<ε>" (text→image). */
  /** `contrasts`: the contrast families tested on `main`'s recall (R@1/5/10) and RR tables, in the same order. */
  tables: { main: ImageTextTable; contrasts: { recall: ContrastStats[]; rr: ContrastStats[] }; probes: ImageTextTable };
}

const modelNames = (m: { system: string; seed: number }) => ({
  text: `models/${`it-${m.system}.s${m.seed}.xde`.replace(/[^\w.+-]/g, '_')}`,
  image: `models/it-clip.s${m.seed}.xit`,
});

/** Each image–text model's cache files and the names they get in the output folder (execute.ts links them). */
export function imageTextModelFiles(plan: Plan, ctx: StudyContext): { from: string; to: string }[] {
  const entry = (key: string, file: string) => path.join(ctx.cache.path(IT_CACHE, key), file);
  const out = new Map<string, string>();
  for (const m of imageTextModels(plan.steps)) {
    const names = modelNames(m);
    out.set(names.text, entry(m.lit, 'text.xde'));
    out.set(names.image, entry(m.clip, 'tower.xit'));
  }
  return [...out].map(([to, from]) => ({ from, to }));
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

function table(inputs: CellInput[], baseline: string, config: ExperimentConfig): ImageTextTable {
  const o = (test: CompareTest) => ({ baseline, test, correction: config.correction, alpha: config.alpha, seed: 0 });
  return { recall: tableStats(inputs, RECALL, o('mcnemar')), rr: tableStats(inputs, ['RR'], o(config.test)) };
}

/** Scores the image–text steps of `plan` whose values `ctx` read. */
export function scoreImageText(plan: Plan, ctx: StudyContext): ImageTextResults {
  const { config } = ctx;
  const st = imageTextState(ctx);
  const steps = imageTextRunSteps(plan.steps);
  const runs: ImageTextRun[] = steps.map((s) => {
    const v: ItValues = st.values.get(s.cache.key)!;
    const dir = (d: ItValues['t2i'] | undefined) => d && { queryIds: d.queryIds, perQuery: d.values, mean: Object.fromEntries(Object.entries(d.values).map(([m, x]) => [m, mean(x)])) };
    return { ...s.inputs.run, notes: v.notes, directions: { t2i: dir(v.t2i), ...(v.i2t ? { i2t: dir(v.i2t) } : {}) } };
  });
  const cells = (filter: (r: ImageTextRun) => boolean): CellInput[] => {
    const groups = new Map<string, { run: ImageTextRun; direction: 't2i' | 'i2t' }[]>();
    for (const run of runs.filter(filter))
      for (const direction of ['t2i', 'i2t'] as const) {
        if (!run.directions[direction]) continue;
        const setting = run.probe ? `${run.probe.kind}=${run.probe.value}` : `${run.setting} ${direction}`;
        const k = `${run.system}\u0000${setting}`;
        groups.set(k, [...(groups.get(k) ?? []), { run, direction }]);
      }
    return [...groups.entries()].map(([k, rs]) => ({
      system: rs[0]!.run.system,
      setting: k.split('\u0000')[1]!,
      queryIds: rs[0]!.run.directions[rs[0]!.direction]!.queryIds,
      perSeed: new Map(IT_MEASURES.map((m) => [m, rs.map((r) => Float64Array.from(r.run.directions[r.direction]!.perQuery[m]!))])),
    }));
  };
  const systems = imageTextSystems(config);
  const baseline = systems.find((s) => s.kind === 'zero-shot' && !s.translateTest)!.id;
  const main = table(cells((r) => r.probe === null), baseline, config);
  const families = studyContrastFamilies(systems, baseline);
  const contrasts = { recall: families.map((f) => contrastStats(main.recall, f)), rr: families.map((f) => contrastStats(main.rr, f)) };
  const reports = st.trainReports;
  return {
    measures: [...IT_MEASURES],
    systems: [
      ...systems.map((s) => ({ ...s, description: `LiT: ${describeSystem(s, config).replace('dual encoder trained on English pairs', 'English CLIP text tower adapted against the locked image tower on English captions')}` })),
      ...imageTextExternalSystems(config),
    ],
    settings: config.imageText.settings.map((s) => {
      const run = runs.find((r) => r.setting === s.id && r.probe === null);
      return { ...s, queries: { t2i: run?.directions.t2i?.queryIds.length ?? 0, i2t: run?.directions.i2t?.queryIds.length ?? 0 } };
    }),
    models: imageTextModels(plan.steps).map((m) => ({ system: m.system, seed: m.seed, files: modelNames(m), clip: reports.get(m.clip) ?? null, lit: reports.get(m.lit) ?? null })),
    runs,
    tables: { main, contrasts, probes: table(cells((r) => r.probe !== null), baseline, config) },
  };
}
