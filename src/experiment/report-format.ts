/** Formatting shared by the report's sections (report.ts, image-text/report.ts): numbers, cells, markdown tables. */
import type { CellStats, TableStats } from './stats.js';

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
