/**
 * The report's view of the adversarial-strength sweep, shared by both halves (issue 13: "the report
 * shows robustness against the probe as a function of the training ε (a figure), in both halves").
 *
 * ADV and ML-CS + ADV systems are grouped by the config entry they were swept from and their method;
 * ε = 0 stands for the same system without adversarial training (zero-shot for ADV, ML-CS with the
 * same languages for ML-CS + ADV). Two kinds of figure:
 *   robustness  per probe, the mean of the measure over the probe's values above 0 (p > 0 or ε > 0)
 *               on the probe setting, against the training ε — one line per group;
 *   by setting  the measure in each of a list of settings (one query language each) against the
 *               training ε — one figure per group.
 */
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { lineChartSvg } from '../eval/plots/line-chart.js';
import type { AdvMethod, StudySystem } from './config.js';
import { cell, f3, table } from './report-format.js';
import type { TableStats } from './stats.js';

export interface SweepGroup {
  label: string;
  /** The system at ε = 0 (absent when the study has none, e.g. no ML-CS with those languages). */
  counterpart: string | undefined;
  points: { eps: number; system: string }[];
}

/** The non-Translate-Test ADV and ML-CS + ADV systems, grouped by sweep entry and method, ε ascending. */
export function sweepGroups(systems: readonly StudySystem[], baseline: string, defaultAdv: { method: AdvMethod; eps: number }): SweepGroup[] {
  const groups = new Map<string, SweepGroup>();
  const plain = systems.filter((s) => !s.translateTest);
  for (const s of plain.filter((x) => x.kind === 'adv' || x.kind === 'ml-cs+adv')) {
    const method = s.adv?.method ?? defaultAdv.method;
    const key = `${s.sweep ?? s.id}\u0000${method}`;
    const counterpart = s.kind === 'adv' ? baseline : plain.find((x) => x.kind === 'ml-cs' && JSON.stringify(x.langs ?? null) === JSON.stringify(s.langs ?? null))?.id;
    const g = groups.get(key) ?? { label: `${s.sweep ?? s.id} (${method.toUpperCase()})`, counterpart, points: [] };
    g.points.push({ eps: s.adv?.eps ?? defaultAdv.eps, system: s.id });
    groups.set(key, g);
  }
  for (const g of groups.values()) g.points.sort((a, b) => a.eps - b.eps);
  return [...groups.values()];
}

export interface TrainEpsView {
  groups: SweepGroup[];
  /** Appended to "training ε" on the x axis, e.g. " (× mean embedding norm)". */
  unit: string;
  /** The measure read from the tables' cells, and how the figures name it. */
  measure: string;
  measureLabel: string;
  /** Probe cells are `"<kind>=<value>"` settings of this table. */
  probeTable: TableStats;
  probes: { kind: 'cs' | 'fgsm'; what: string; values: readonly number[] }[];
  /** The paragraph before the robustness tables: which setting, what ε = 0 means. */
  probeNote: string;
  mainTable: TableStats;
  /** Settings of the main table for the by-setting figures, with their labels. */
  settings: { id: string; label: string }[];
  settingsTitle: string;
  figures: string;
  /** Figure file names (inside `figures`). */
  robustnessFile(kind: 'cs' | 'fgsm'): string;
  settingsFile(group: number): string;
}

/** The section's markdown lines (empty without a sweep); writes the figures. */
export function trainEpsSection(heading: string, v: TrainEpsView): string[] {
  if (v.groups.length === 0) return [];
  const md: string[] = [heading, ''];
  const xs = [...new Set([0, ...v.groups.flatMap((g) => g.points.map((p) => p.eps))])].sort((a, b) => a - b);
  const at = (g: SweepGroup, eps: number) => (eps === 0 ? g.counterpart : g.points.find((p) => p.eps === eps)?.system);
  const xLabel = `training ε${v.unit}`;
  if (v.probeTable.cells.length > 0) {
    md.push(v.probeNote, '');
    for (const { kind, what, values } of v.probes) {
      const above = values.filter((x) => x > 0);
      const robust = (system: string | undefined) => {
        const ys = above.map((x) => (system === undefined ? NaN : cell(v.probeTable, system, `${kind}=${x}`, v.measure)?.mean ?? NaN));
        return ys.some((y) => !Number.isFinite(y)) || ys.length === 0 ? NaN : ys.reduce((a, b) => a + b, 0) / ys.length;
      };
      const file = v.robustnessFile(kind);
      const variable = kind === 'cs' ? 'p' : 'ε';
      writeFileAtomic(
        path.join(v.figures, file),
        lineChartSvg({ title: `Robustness to the ${what} against the training ε`, xLabel, yLabel: `mean ${v.measureLabel}, ${variable} > 0`, x: xs, series: v.groups.map((g) => ({ name: g.label, y: xs.map((e) => robust(at(g, e))) })) }),
      );
      md.push(`**${what[0]!.toUpperCase()}${what.slice(1)}**: mean ${v.measureLabel} over ${variable} ∈ {${above.join(', ')}}.`, '');
      md.push(table(['training ε', ...v.groups.map((g) => g.label)], xs.map((e) => [String(e), ...v.groups.map((g) => f3(robust(at(g, e))))])), '', `![Robustness to the ${what} against the training ε](figures/${file})`, '');
    }
  }
  if (v.settings.length > 0) {
    v.groups.forEach((g, i) => {
      const file = v.settingsFile(i + 1);
      writeFileAtomic(
        path.join(v.figures, file),
        lineChartSvg({
          title: `${v.settingsTitle} against the training ε: ${g.label}`,
          xLabel,
          yLabel: v.measureLabel,
          x: xs,
          series: v.settings.map((x) => ({ name: x.label, y: xs.map((e) => { const s = at(g, e); return s === undefined ? NaN : cell(v.mainTable, s, x.id, v.measure)?.mean ?? NaN; }) })),
        }),
      );
      md.push(`![${v.settingsTitle} against the training ε, ${g.label}](figures/${file})`, '');
    });
  }
  return md;
}
