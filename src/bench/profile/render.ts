/**
 * Renderings of a profile: the roofline chart (SVG, log–log, in the manner of the report's line
 * charts: same palette and escaping, deterministic bytes), the markdown summary, a schema check for
 * profiles read back from disk, and the side-by-side comparison of two machines.
 */
import { XmrError } from '../../errors.js';
import { esc, fmt, PALETTE } from '../../eval/plots/line-chart.js';
import { plotFrame } from '../../eval/plots/plot-frame.js';
import { renderTable } from '../regress/report.js';
import { PROFILE_SCHEMA, PROFILE_SCHEMA_VERSION, type Profile, type RoofsAt } from './profile.js';

const giga = (v: number): string => (v >= 1e10 ? (v / 1e9).toFixed(0) : v >= 1e9 ? (v / 1e9).toFixed(1) : (v / 1e9).toPrecision(2));
/** 2.35e9 → "2.35G", 9358 → "9.36k": rates of very different kernels in one column. */
const si = (v: number): string => {
  const e = v >= 1e3 ? Math.min(4, Math.floor(Math.log10(v) / 3)) : 0;
  return `${(v / 10 ** (3 * e)).toPrecision(3)}${e === 0 ? '' : ' kMGT'[e]}`;
};
const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * The roofline: x = arithmetic intensity (flop/byte), y = GFLOP/s, both log₁₀. Ceilings at 1 thread
 * and at all cores (float32 solid, bf16 dashed): min(peak, x × triad bandwidth). Each kernel with
 * counted flops and bytes is a point per thread count (hollow: 1 thread, filled: all cores).
 */
export function rooflineSvg(p: Profile): string {
  const { W, H, left, top, pw, ph } = plotFrame(680, 440, { left: 70, right: 190, top: 40, bottom: 50 });
  const shown = [p.roofs[0]!, p.roofs[p.roofs.length - 1]!].filter((r, i, a) => a.indexOf(r) === i);
  const peak = Math.max(...shown.map((r) => Math.max(r.fmaF32.perSecond, r.fmaBf16?.perSecond ?? 0)));
  const x0 = -2;
  const x1 = 4; // 10⁻² … 10⁴ flop/byte
  const y1 = Math.ceil(Math.log10(peak / 1e9) + 0.3);
  const y0 = y1 - 5;
  const px = (ai: number) => left + ((Math.log10(ai) - x0) / (x1 - x0)) * pw;
  const py = (gflops: number) => top + ph - ((Math.log10(Math.max(gflops, 10 ** y0)) - y0) / (y1 - y0)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left + pw / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(`Roofline: ${p.machine.cpu}, ${p.machine.cores} cores`)}</text>`,
  ];
  for (let e = y0; e <= y1; e++) {
    const y = fmt(py(10 ** e));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + pw}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(String(10 ** e))}</text>`);
  }
  for (let e = x0; e <= x1; e++) {
    const x = fmt(px(10 ** e));
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${top + ph + 18}" text-anchor="middle">${esc(String(10 ** e))}</text>`);
  }
  out.push(`<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="#333"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`);
  out.push(`<text x="${left + pw / 2}" y="${H - 10}" text-anchor="middle">arithmetic intensity (flop/byte, compulsory traffic)</text>`);
  out.push(`<text x="16" y="${top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + ph / 2})">GFLOP/s</text>`);
  let legend = 0;
  const legendLine = (colour: string, dash: string, label: string, marker = ''): void => {
    const ly = top + 10 + legend++ * 18;
    out.push(`<line x1="${left + pw + 12}" y1="${ly}" x2="${left + pw + 36}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}${marker ? ' stroke-opacity="0"' : ''}/>`);
    if (marker) out.push(marker.replace('CX', fmt(left + pw + 24)).replace('CY', fmt(ly)));
    out.push(`<text x="${left + pw + 42}" y="${ly}" dominant-baseline="middle">${esc(label)}</text>`);
  };
  const ceiling = (r: RoofsAt, peakRate: number, colour: string, dash: string, label: string): void => {
    const ridge = peakRate / r.triad.perSecond;
    const pts = [10 ** x0, Math.min(Math.max(ridge, 10 ** x0), 10 ** x1), 10 ** x1].map((ai) => `${fmt(px(ai))},${fmt(py(Math.min(peakRate, ai * r.triad.perSecond) / 1e9))}`);
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.join(' ')}"/>`);
    legendLine(colour, dash, label);
  };
  shown.forEach((r, i) => {
    const colour = i === 0 ? '#777777' : '#000000';
    const t = `${r.threads} thread${r.threads === 1 ? '' : 's'}`;
    ceiling(r, r.fmaF32.perSecond, colour, '', `f32 roof, ${t}`);
    if (r.fmaBf16) ceiling(r, r.fmaBf16.perSecond, colour, '6 3', `bf16 roof, ${t}`);
  });
  p.kernels
    .filter((k) => k.intensity !== null)
    .forEach((k, i) => {
      const colour = PALETTE[i % PALETTE.length]!;
      for (const run of k.runs) {
        const filled = run.threads !== 1 || k.runs.length === 1;
        out.push(`<circle cx="${fmt(px(k.intensity!))}" cy="${fmt(py(run.flopsPerSecond / 1e9))}" r="4" ${filled ? `fill="${colour}"` : `fill="white" stroke="${colour}" stroke-width="2"`}/>`);
      }
      legendLine(colour, '', k.name, `<circle cx="CX" cy="CY" r="4" fill="${colour}"/>`);
    });
  if (p.kernels.some((k) => k.intensity !== null && k.runs.length > 1)) {
    out.push(`<text x="${left + pw + 12}" y="${top + 10 + legend * 18}" dominant-baseline="middle">hollow: 1 thread; filled: ${shown[shown.length - 1]!.threads}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** The markdown summary: roofs per thread count, then kernels against their roofs. */
export function profileMarkdown(p: Profile, command: string): string {
  const roofRows = p.roofs.map((r) => [String(r.threads), giga(r.fmaF32.perSecond), r.fmaBf16 ? giga(r.fmaBf16.perSecond) : '—', giga(r.copy.perSecond), giga(r.triad.perSecond)]);
  const kernelRows = p.kernels.flatMap((k) =>
    k.runs.map((run) => [
      k.name,
      String(run.threads),
      `${si(run.rate)} ${k.unit}/s`,
      k.flopsPerCall > 0 ? giga(run.flopsPerSecond) : '—',
      k.bytesPerCall > 0 ? giga(run.bytesPerSecond) : '—',
      k.bound,
      pct(run.fraction),
      run.threads === k.runs[k.runs.length - 1]!.threads && k.scaling !== null ? `${k.scaling.toFixed(2)}×` : '',
    ]),
  );
  const caches = p.caches.levels.map((l) => `L${l.level} ${l.type.toLowerCase()} ${l.bytes >= 2 ** 20 ? `${(l.bytes / 2 ** 20).toFixed(0)} MiB` : `${(l.bytes / 1024).toFixed(0)} KiB`}`).join(', ');
  return [
    `# Hardware profile: ${p.machine.cpu}`,
    '',
    `${p.machine.cores} cores, ${p.machine.memoryGiB} GiB, ${p.machine.platform}, Node ${p.machine.node}, ISA path ${p.machine.isa}, addon ${p.machine.addonFingerprint}; caches (${p.caches.source}): ${caches || 'unknown'}; flags: ${p.machine.flags.join(' ') || 'unknown'}.`,
    `Made by \`${command}\` on ${p.createdAt.slice(0, 10)}${p.quick ? ' (quick)' : ''} in ${p.seconds.toFixed(0)} s.`,
    '',
    '## Roofs',
    '',
    renderTable(['Threads', 'f32 GFLOP/s', 'bf16 GFLOP/s', 'copy GB/s', 'triad GB/s'], [true, true, true, true, true], roofRows, [
      `FMA: 12 independent chains per thread, best of the repeats; STREAM: ${(p.stream.bytesPerArray / 2 ** 20).toFixed(0)} MiB per array, best pass, bytes as STREAM counts them.${p.stream.note ? ` Note: ${p.stream.note}.` : ''}`,
    ], 'markdown').trimEnd(),
    '',
    '## Kernels against their roofs',
    '',
    renderTable(['Kernel', 'Threads', 'Rate', 'GFLOP/s', 'GB/s', 'Bound', 'Of roof', 'Scaling'], [false, true, true, true, true, false, true, true], kernelRows, [
      'Compute roofs: min(peak FMA rate, intensity × triad bandwidth) at the kernel\'s compulsory-traffic intensity; memory roof: triad bandwidth. Scaling: rate on all cores / rate on 1 thread.',
    ], 'markdown').trimEnd(),
    '',
  ].join('\n');
}

/** Checks that a parsed JSON value is a profile this version reads; an XmrError naming the file otherwise. */
export function checkProfile(value: unknown, file: string): Profile {
  const fail = (what: string): never => {
    throw new XmrError('E_USAGE', `not an xmrbench profile: ${what}`, { file });
  };
  const p = value as Profile;
  if (p === null || typeof p !== 'object') fail('not a JSON object');
  if (p.schema !== PROFILE_SCHEMA) fail(`schema ${JSON.stringify(p.schema)}, expected ${PROFILE_SCHEMA}`);
  if (p.schemaVersion !== PROFILE_SCHEMA_VERSION) fail(`schema version ${p.schemaVersion}, this xmrbench reads ${PROFILE_SCHEMA_VERSION}`);
  const num = (v: unknown, where: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${where} must be a finite number`);
  };
  const rate = (v: unknown, where: string): void => {
    const r = v as { perSecond: unknown; samples: unknown };
    if (r === null || typeof r !== 'object' || !Array.isArray(r.samples)) fail(`${where} must be a rate with samples`);
    num(r.perSecond, `${where}.perSecond`);
  };
  for (const f of ['cpu', 'node', 'isa', 'platform', 'addonFingerprint'] as const) if (typeof p.machine?.[f] !== 'string') fail(`machine.${f} must be a string`);
  num(p.machine.cores, 'machine.cores');
  if (!Array.isArray(p.machine.flags)) fail('machine.flags must be an array');
  if (!Array.isArray(p.caches?.levels)) fail('caches.levels must be an array');
  if (!Array.isArray(p.roofs) || p.roofs.length === 0) fail('roofs must be a non-empty array');
  p.roofs.forEach((r, i) => {
    num(r.threads, `roofs[${i}].threads`);
    rate(r.fmaF32, `roofs[${i}].fmaF32`);
    if (r.fmaBf16 !== null) rate(r.fmaBf16, `roofs[${i}].fmaBf16`);
    rate(r.copy, `roofs[${i}].copy`);
    rate(r.triad, `roofs[${i}].triad`);
  });
  if (!Array.isArray(p.kernels)) fail('kernels must be an array');
  p.kernels.forEach((k, i) => {
    if (typeof k.name !== 'string') fail(`kernels[${i}].name must be a string`);
    if (!['compute-f32', 'compute-bf16', 'memory', 'none'].includes(k.bound)) fail(`kernels[${i}].bound ${JSON.stringify(k.bound)} is unknown`);
    if (!Array.isArray(k.runs) || k.runs.length === 0) fail(`kernels[${i}].runs must be a non-empty array`);
    k.runs.forEach((r, j) => {
      num(r.threads, `kernels[${i}].runs[${j}].threads`);
      num(r.rate, `kernels[${i}].runs[${j}].rate`);
      if (!Array.isArray(r.seconds) || r.seconds.length === 0) fail(`kernels[${i}].runs[${j}].seconds must be a non-empty array`);
      if (r.fraction !== null) num(r.fraction, `kernels[${i}].runs[${j}].fraction`);
    });
  });
  return p;
}

/** Two machines side by side: roofs and kernel rates at 1 thread and at all cores, as ratios B / A; a kernel run on other params in A and B is marked †. */
export function compareProfiles(a: Profile, b: Profile, format: 'table' | 'markdown'): string {
  const ratio = (x: number, y: number): string => (x > 0 && y > 0 ? `${(y / x).toFixed(2)}×` : '—');
  const ends = (p: Profile) => [p.roofs[0]!, p.roofs[p.roofs.length - 1]!];
  const [a1, aN] = ends(a);
  const [b1, bN] = ends(b);
  const rows: string[][] = [];
  const roof = (name: string, get: (r: RoofsAt) => number | undefined, unit: string): void => {
    const va1 = get(a1!) ?? 0;
    const vb1 = get(b1!) ?? 0;
    const vaN = get(aN!) ?? 0;
    const vbN = get(bN!) ?? 0;
    rows.push([name, `${giga(va1)} → ${giga(vb1)} ${unit}`, ratio(va1, vb1), `${giga(vaN)} → ${giga(vbN)} ${unit}`, ratio(vaN, vbN)]);
  };
  roof('FMA f32', (r) => r.fmaF32.perSecond, 'GFLOP/s');
  roof('FMA bf16', (r) => r.fmaBf16?.perSecond, 'GFLOP/s');
  roof('STREAM copy', (r) => r.copy.perSecond, 'GB/s');
  roof('STREAM triad', (r) => r.triad.perSecond, 'GB/s');
  // A kernel run on other params (a --quick profile beside a full one) did other work: marked, not hidden.
  let otherWork = false;
  for (const ka of a.kernels) {
    const kb = b.kernels.find((k) => k.name === ka.name);
    if (!kb) continue;
    const same = JSON.stringify(ka.params) === JSON.stringify(kb.params);
    otherWork ||= !same;
    const first = (k: typeof ka) => k.runs[0]!.rate;
    const last = (k: typeof ka) => k.runs[k.runs.length - 1]!.rate;
    rows.push([same ? ka.name : `${ka.name} †`, `${si(first(ka))} → ${si(first(kb))} ${ka.unit}/s`, ratio(first(ka), first(kb)), `${si(last(ka))} → ${si(last(kb))} ${ka.unit}/s`, ratio(last(ka), last(kb))]);
  }
  const notes = [
    `A: ${a.machine.cpu}, ${a.machine.cores} cores, ${a.machine.isa} (${a.createdAt.slice(0, 10)}); B: ${b.machine.cpu}, ${b.machine.cores} cores, ${b.machine.isa} (${b.createdAt.slice(0, 10)}).`,
    'Ratios are B / A: above 1, B is faster.',
    ...(otherWork ? ['† run on other params in A and B (e.g. --quick beside a full profile): other work, so its ratio is not the machines\' alone.'] : []),
  ];
  return renderTable(['', 'A → B, 1 thread', 'B/A', 'A → B, all cores', 'B/A'], [false, true, true, true, true], rows, notes, format);
}
