/**
 * A dependency-free SVG line chart for reports (RR@10 against the code-switching rate, against ε,
 * per language). Deterministic text: the same data gives the same bytes, so figures diff cleanly.
 */
import { plotFrame } from './plot-frame.js';

export interface Series {
  name: string;
  /** y per x (same length as the chart's x values, or as this series' own `x`); NaN leaves a gap. */
  y: readonly number[];
  /** This series' own x positions (numeric charts; the recall–throughput curves of src/bench/ann.ts), instead of the chart's. */
  x?: readonly number[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  /** x positions; categorical when given as strings (evenly spaced). */
  x: readonly (number | string)[];
  series: readonly Series[];
  /** Logarithmic x axis (numeric x > 0 only): throughputs spanning decades. */
  xLog?: boolean;
  /** y axis range; default [0, max rounded up to 0.1]. */
  yRange?: [number, number];
}

// Colour-blind-safe palette (Okabe & Ito 2008), cycled.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const fmt = (v: number) => (Math.round(v * 100) / 100).toString();

export function lineChartSvg(chart: LineChart): string {
  const { W, H, left, top, pw, ph } = plotFrame(640, 400, { left: 60, right: 170, top: 40, bottom: 50 });
  const numeric = chart.x.every((v) => typeof v === 'number');
  const tx = (v: number) => (chart.xLog ? Math.log10(v) : v);
  const xs = chart.x.map((v, i) => (numeric ? tx(v as number) : i));
  const allX = [...xs, ...chart.series.flatMap((s) => (s.x ?? []).map(tx))];
  const xMin = Math.min(...allX);
  const xMax = Math.max(...allX);
  const allY = chart.series.flatMap((s) => s.y.filter((v) => Number.isFinite(v)));
  const [y0, y1] = chart.yRange ?? [0, Math.max(0.1, Math.ceil((Math.max(0, ...allY) + 1e-9) * 10) / 10)];
  const px = (x: number) => left + (xMax === xMin ? pw / 2 : ((x - xMin) / (xMax - xMin)) * pw);
  const py = (y: number) => top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left + pw / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(chart.title)}</text>`,
  ];
  // Grid and y ticks (5 intervals).
  for (let i = 0; i <= 5; i++) {
    const v = y0 + ((y1 - y0) * i) / 5;
    const y = fmt(py(v));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + pw}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(v)}</text>`);
  }
  chart.x.forEach((v, i) => {
    const x = fmt(px(xs[i]!));
    out.push(`<line x1="${x}" y1="${top + ph}" x2="${x}" y2="${top + ph + 4}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${top + ph + 18}" text-anchor="middle">${esc(String(v))}</text>`);
  });
  out.push(`<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="#333"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`);
  out.push(`<text x="${left + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(chart.xLabel)}</text>`);
  out.push(`<text x="16" y="${top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + ph / 2})">${esc(chart.yLabel)}</text>`);
  chart.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    const dash = DASHES[Math.floor(k / PALETTE.length) % DASHES.length]!;
    // Split the polyline at gaps (NaN).
    let segment: string[] = [];
    const flush = () => {
      if (segment.length > 1)
        out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${segment.join(' ')}"/>`);
      segment = [];
    };
    s.y.forEach((v, i) => {
      if (!Number.isFinite(v)) return flush();
      const x = fmt(px(s.x ? tx(s.x[i]!) : xs[i]!));
      const y = fmt(py(v));
      segment.push(`${x},${y}`);
      out.push(`<circle cx="${x}" cy="${y}" r="3" fill="${colour}"/>`);
    });
    flush();
    const ly = top + 10 + k * 18;
    out.push(`<line x1="${left + pw + 12}" y1="${ly}" x2="${left + pw + 36}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    out.push(`<text x="${left + pw + 42}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
