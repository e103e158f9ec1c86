/**
 * Formatting shared by the report's sections (report.ts, image-text/report.ts): numbers, cells,
 * markdown tables, and the contrast families' findings, tables and sections (both halves render their
 * families, stats.ts `contrastStats`, the same way).
 */
import type { CellStats, ContrastCell, ContrastStats, TableStats } from './stats.js';

export const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
export const fp = (p: number) => (!Number.isFinite(p) ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3));

export function cell(t: TableStats, system: string, setting: string, measure: string): CellStats | undefined {
  return t.cells.find((c) => c.system === system && c.setting === setting && c.measure === measure);
}

/** ▲/▼ for a cell significantly better/worse than the baseline. */
export function marker(c: CellStats | undefined): string {
  if (!c?.test?.significant) return '';
  return c.test.direction === 'better' ? ' ▲' : ' ▼';
}

/** mean ± sd over seeds (the mean alone with one seed). */
export function meanSd(c: CellStats | undefined): string {
  if (!c) return '';
  return c.seeds > 1 ? `${f3(c.mean)} ± ${f3(c.sd)}` : f3(c.mean);
}

export function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${f3(x)}`;

/** What one contrast's cells (one measure, several settings) show: better / hurts / no effect, as tested. */
export function finding(cells: readonly ContrastCell[]): string {
  const better = cells.filter((c) => c.test.significant && c.test.direction === 'better').map((c) => c.setting);
  const worse = cells.filter((c) => c.test.significant && c.test.direction === 'worse').map((c) => c.setting);
  const mean = cells.reduce((a, c) => a + c.delta, 0) / Math.max(1, cells.length);
  const rest = cells.length - better.length - worse.length;
  if (better.length + worse.length === 0) return `no effect detected in any of ${cells.length} (mean Δ ${signed(mean)})`;
  return [better.length ? `better in ${better.join(', ')}` : '', worse.length ? `hurts in ${worse.join(', ')}` : '', rest ? `no effect detected in the other ${rest}` : '']
    .filter(Boolean)
    .join('; ') + ` (mean Δ ${signed(mean)})`;
}

/** Sentences for the contrast families beyond "against zero-shot": per contrast and measure, what the tests found. */
export function contrastAnswer(families: readonly ContrastStats[], where: string): string[] {
  const lines: string[] = [];
  for (const f of families.filter((x) => x.id !== 'vs-zero-shot')) {
    const contrasts = [...new Map(f.cells.map((c) => [`${c.system}\u0000${c.reference}`, c])).values()];
    for (const { system, reference } of contrasts) {
      const ofContrast = f.cells.filter((c) => c.system === system && c.reference === reference);
      const measures = [...new Set(ofContrast.map((c) => c.measure))];
      const parts = measures.map((m) => `${m}: ${finding(ofContrast.filter((c) => c.measure === m))}`);
      lines.push(`- **${system}** vs **${reference}** ${where} (${f.id}; ${f.correction} within the family): ${parts.join('; ')}.`);
    }
  }
  return lines;
}

/** A family's table for one measure: every contrast in every setting, with p, adjusted p, direction and d_z. */
export function contrastTable(f: ContrastStats, measure: string, settingName: (id: string) => string): string {
  const rows = f.cells
    .filter((c) => c.measure === measure)
    .map((c) => [
      `${c.system} vs ${c.reference}`,
      settingName(c.setting),
      f3(c.mean),
      f3(c.referenceMean),
      signed(c.delta),
      fp(c.test.pValue),
      fp(c.test.pAdjusted),
      f3(c.test.dz),
      !Number.isFinite(c.test.pValue) ? 'identical values, untested' : !c.test.significant ? 'no effect detected' : c.test.direction === 'better' ? 'better ▲' : 'hurts ▼',
    ]);
  return table(['contrast', 'setting', measure, 'reference', 'Δ', 'p', 'adj. p', 'd_z', 'finding'], rows);
}

/** What every contrast section says first about how its families were tested. */
export const CONTRASTS_INTRO =
  'Each family is corrected on its own, per measure, over its contrasts × settings; tests pair queries on seed-averaged per-query values. Δ = system − reference (means over seeds); d_z = Cohen\'s d_z of the per-query differences.';

/**
 * One family's section: its question (`suffix` appended to the heading), test and correction, the table
 * of `measure` (folded into a <details> when `fold`: the main table already marks those contrasts),
 * and the other measures' findings.
 */
export function familySection(f: ContrastStats, measure: string, settingName: (id: string) => string, options: { suffix?: string; fold?: boolean } = {}): string[] {
  const md: string[] = [`### ${f.title}${options.suffix ?? ''}`, ''];
  md.push(`${f.testDescription}; ${f.correction === 'none' ? 'no correction' : `${f.correction} correction`} over ${Object.entries(f.familySize).map(([m, n]) => `${n} tests (${m})`).join(', ')}; α = ${f.alpha}.`, '');
  const t = contrastTable(f, measure, settingName);
  md.push(...(options.fold ? [`<details><summary>Every contrast (${measure})</summary>`, '', t, '', '</details>'] : [t]), '');
  const others = [...new Set(f.cells.map((c) => c.measure))].filter((m) => m !== measure);
  for (const m of others) {
    const byContrast = [...new Map(f.cells.filter((c) => c.measure === m).map((c) => [`${c.system}\u0000${c.reference}`, c])).values()];
    md.push(...byContrast.map((k) => `- ${m}, ${k.system} vs ${k.reference}: ${finding(f.cells.filter((c) => c.measure === m && c.system === k.system && c.reference === k.reference))}.`));
  }
  if (others.length > 0) md.push('');
  return md;
}
