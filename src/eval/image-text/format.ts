/**
 * The image–text recall table: one row per language and direction, as a text table, JSON or CSV,
 * optionally with every query's values (R@k and RR per query, and the first-relevant rank).
 */
import { csvCell } from '../csv.js';
import { printfFixed } from '../printf.js';
import type { LanguageResult } from './evaluate-set.js';
import { averageNames, perQueryNames } from './measures.js';
import type { DirectionResult } from './retrieval.js';

export type ImageTextFormat = 'table' | 'json' | 'csv';
export const IMAGE_TEXT_FORMATS: readonly ImageTextFormat[] = ['table', 'json', 'csv'];

const DIRECTION_NAMES = { t2i: 'text→image', i2t: 'image→text' } as const;

function queryIds(r: LanguageResult, d: DirectionResult): readonly string[] {
  return d.direction === 't2i' ? r.ids.captionIds : r.ids.imageIds;
}

/** Renders the results; every format ends with a newline. JSON keeps full precision. */
export function formatImageTextResults(results: readonly LanguageResult[], format: ImageTextFormat, perQuery: boolean): string {
  const first = results[0];
  if (first === undefined) return format === 'json' ? '[]\n' : '';
  const names = averageNames(first.cutoffs, first.ranks);
  const pq = first.ranks ? perQueryNames(first.cutoffs) : first.cutoffs.map((k) => `R@${k}`);
  const directions = (r: LanguageResult): DirectionResult[] => [r.t2i, r.i2t];
  switch (format) {
    case 'json': {
      const out = results.map((r) => ({
        lang: r.lang,
        images: r.ids.imageIds.length,
        captions: r.ids.captionIds.length,
        ...Object.fromEntries(
          directions(r).map((d) => [
            d.direction,
            {
              queries: d.ranks.length,
              ...d.means,
              ...(perQuery ? { perQuery: { ids: queryIds(r, d), ...Object.fromEntries(pq.map((m) => [m, [...d.perQuery.get(m)!]])), ...(r.ranks ? { rank: [...d.ranks] } : {}) } } : {}),
            },
          ]),
        ),
      }));
      return JSON.stringify({ cutoffs: first.cutoffs, depth: first.t2i.depth, results: out }, null, 2) + '\n';
    }
    case 'csv': {
      const lines = [['lang', 'direction', 'queries', ...names]];
      for (const r of results) for (const d of directions(r)) lines.push([r.lang, d.direction, String(d.ranks.length), ...names.map((m) => String(d.means[m]))]);
      if (perQuery) {
        lines.push([]);
        lines.push(['lang', 'direction', 'query', ...pq, ...(first.ranks ? ['rank'] : [])]);
        for (const r of results) {
          for (const d of directions(r)) {
            queryIds(r, d).forEach((id, i) => lines.push([r.lang, d.direction, id, ...pq.map((m) => String(d.perQuery.get(m)![i])), ...(r.ranks ? [String(d.ranks[i])] : [])]));
          }
        }
      }
      return lines.map((l) => l.map(csvCell).join(',')).join('\n') + '\n';
    }
    case 'table': {
      const rows = [['lang', 'direction', 'queries', ...names]];
      for (const r of results) {
        for (const d of directions(r)) {
          rows.push([r.lang, DIRECTION_NAMES[d.direction], String(d.ranks.length), ...names.map((m) => (m === 'MedR' || m === 'MeanR' ? printfFixed(d.means[m]!, 1) : printfFixed(d.means[m]!)))]);
        }
      }
      let text = table(rows);
      text += `R@k: a hit when a relevant item is in the top k (CLIP_benchmark's recall; image→text: any of the image's captions). RR without cutoff; MedR/MeanR: rank of the first relevant item.\n`;
      if (perQuery) {
        for (const r of results) {
          for (const d of directions(r)) {
            const q = [['query', ...pq, ...(r.ranks ? ['rank'] : [])]];
            queryIds(r, d).forEach((id, i) => q.push([id, ...pq.map((m) => printfFixed(d.perQuery.get(m)![i]!)), ...(r.ranks ? [String(d.ranks[i])] : [])]));
            text += `\n${r.lang} ${DIRECTION_NAMES[d.direction]}\n${table(q, 1)}`;
          }
        }
      }
      return text;
    }
  }
}

/** Columns before `left` are left-aligned (labels), the rest right-aligned (numbers). */
function table(rows: string[][], left = 2): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  const pad = (cell: string, c: number): string => (c < left ? cell + ' '.repeat(widths[c]! - [...cell].length) : cell.padStart(widths[c]!));
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n') + '\n';
}
