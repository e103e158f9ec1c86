/**
 * The study's lexicon axis in numbers (issue 14): per code-switching lexicon source, the lexicon
 * sizes and the bilingual lexicon induction precision that describe it, and — in the report of each
 * half — the retrieval effect of the systems built from it, beside the paired tests that compare the
 * sources (contrasts.ts: `vs-zero-shot` and `lexicon-sources`).
 *
 * BLI precision is read from `<source folder>/bli.json`: an array of reports, one per language pair,
 * as the two commands write them (fractions in [0, 1]; other fields are not read):
 *   `xmrbench lexicon clwe --report`: `{pair: "en-de", bli: {nn: {p1, p5}, csls: {p1, p5}}, …}` — the
 *       report shows CSLS, the retrieval the lexicon was induced with;
 *   `xmrbench lexicon bli --report`: `{pair: "en-de", lexicon, p1, …}` — any one-translation lexicon
 *       (titles) scored on the same held-out words, an untranslated word a miss: P@1 only.
 * P@1 and P@5 are MUSE's (Conneau et al. 2018): the share of held-out FreeDict test words whose gold
 * translations include the first (any of the first five) retrieved target words. FreeDict has no
 * report: it is the gold dictionary the others are scored against.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../errors.js';
import { JsonFields } from '../json-fields.js';
import { readMuse } from '../data/lexicons/muse.js';
import type { ExperimentConfig, StudySystem } from './config.js';
import { sourceFolder, type LexiconSource } from './lexicons.js';
import { finding, table } from './report-format.js';
import type { ContrastStats } from './stats.js';
import { LEXICON_NAMES, trainSpec } from './systems.js';

/** The file beside a source's lexicons that holds its BLI reports. */
export const BLI_FILE = 'bli.json';

export interface BliPrecision {
  /** 'csls': a `lexicon clwe` report's CSLS scores; 'lexicon': a `lexicon bli` report (P@1 only, p5 null). */
  retrieval: 'csls' | 'lexicon';
  p1: number;
  p5: number | null;
}

/** One source as the study used it: its folder, each seen language's pairs (null: no file) and BLI (null: no report for that pair). */
export interface LexiconSourceSummary {
  source: LexiconSource;
  folder: string;
  languages: { lang: string; pairs: number | null; bli: BliPrecision | null }[];
  /** Whether `<folder>/bli.json` exists (FreeDict: never read, it is the gold dictionary). */
  bliFile: boolean;
}

const fraction = (c: JsonFields, v: unknown, at: string): number => {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) c.fail(at, `must be a number in [0, 1] (a fraction, not a percentage), got ${JSON.stringify(v)}`);
  return v as number;
};

/**
 * The BLI precision per target language in a bli.json (see the module comment).
 * @throws XmrError (E_PARSE, E_CONFIG) naming the file and the field.
 */
export function readBliReports(file: string): Map<string, BliPrecision> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new XmrError('E_PARSE', `invalid JSON: ${(err as Error).message}`, { file });
  }
  const c = new JsonFields(file);
  const out = new Map<string, BliPrecision>();
  c.array(raw, 'the file').forEach((entry, i) => {
    const o = c.object(entry, `[${i}]`);
    const pair = c.string(o.pair, `[${i}].pair`);
    const m = /^en-([a-z]{2,3})$/.exec(pair);
    if (!m) c.fail(`[${i}].pair`, `must be "en-<language>", got ${JSON.stringify(pair)}`);
    if (o.bli === undefined && o.p1 !== undefined) {
      out.set(m![1]!, { retrieval: 'lexicon', p1: fraction(c, o.p1, `[${i}].p1`), p5: null });
      return;
    }
    const csls = c.object(c.object(o.bli, `[${i}].bli`).csls, `[${i}].bli.csls`);
    out.set(m![1]!, { retrieval: 'csls', p1: fraction(c, csls.p1, `[${i}].bli.csls.p1`), p5: fraction(c, csls.p5, `[${i}].bli.csls.p5`) });
  });
  return out;
}

/** The sources the study's code-switching systems read, in LEXICON_SOURCES order of first use, with sizes and BLI (read when the study starts). */
export function lexiconSourceSummaries(config: ExperimentConfig, systems: readonly StudySystem[]): LexiconSourceSummary[] {
  const used = [...new Set(systems.flatMap((s) => (trainSpec(s, config)?.cs ? [s.lexicon ?? 'freedict'] : [])))];
  return used.map((source) => {
    const folder = sourceFolder(config.lexicons, config.lexiconSources, source);
    const bliPath = path.join(folder, BLI_FILE);
    const bliFile = source !== 'freedict' && existsSync(bliPath);
    const bli = bliFile ? readBliReports(bliPath) : new Map<string, BliPrecision>();
    const languages = config.languages.seen.map((lang) => {
      const file = path.join(folder, `en-${lang}.txt`);
      return { lang, pairs: existsSync(file) ? readMuse(file).size : null, bli: bli.get(lang) ?? null };
    });
    return { source, folder, languages, bliFile };
  });
}

const pct = (x: number) => (100 * x).toFixed(1);

/** The BLI cell of one source and language. */
function bliCell(s: LexiconSourceSummary, l: LexiconSourceSummary['languages'][number]): string {
  if (s.source === 'freedict') return 'gold';
  if (!l.bli) return '—';
  return l.bli.p5 === null ? `${pct(l.bli.p1)} / –` : `${pct(l.bli.p1)} / ${pct(l.bli.p5)}`;
}

type Kinded = Pick<StudySystem, 'id' | 'kind' | 'langs' | 'translateTest' | 'lexicon'>;

/**
 * The "lexicon sources" section of one half: the sources' sizes and BLI precision, then per
 * code-switching system its source and its effect on `measure` — against the baseline (the
 * `vs-zero-shot` family) and against the same system from an earlier source (`lexicon-sources`),
 * each as its family's corrected tests found it.
 */
export function lexiconSourcesSection(heading: string, sources: readonly LexiconSourceSummary[], systems: readonly Kinded[], families: readonly ContrastStats[], measure: string): string[] {
  if (sources.length === 0) return [];
  const langs = sources[0]!.languages.map((l) => l.lang);
  const md: string[] = [heading, ''];
  md.push(
    `Code-switching lexicons by source: pairs per language (one translation per English word), and bilingual lexicon induction precision P@1 / P@5 in % on held-out FreeDict test words (MUSE's protocol; CLWE: CSLS retrieval; a fixed lexicon has one translation per word, so P@1 only, an untranslated word a miss). FreeDict is the gold dictionary itself; "—": no BLI report (\`${BLI_FILE}\` beside the lexicons) for that pair.`,
    '',
  );
  md.push(
    table(
      ['source', 'folder', ...langs.map((l) => `pairs en-${l}`), ...langs.map((l) => `BLI en-${l}`)],
      sources.map((s) => [s.source, `\`${s.folder}\``, ...s.languages.map((l) => (l.pairs === null ? '—' : l.pairs.toLocaleString('en-US'))), ...s.languages.map((l) => bliCell(s, l))]),
    ),
    '',
  );
  const vsBase = families.find((f) => f.id === 'vs-zero-shot');
  const vsSource = families.find((f) => f.id === 'lexicon-sources');
  const cs = systems.filter((s) => !s.translateTest && (s.kind === 'bl-cs' || s.kind === 'ml-cs' || s.kind === 'ml-cs+adv'));
  const rows = cs.map((s) => {
    const ofBase = vsBase?.cells.filter((c) => c.system === s.id && c.measure === measure) ?? [];
    const ofSources = [...new Set(vsSource?.cells.filter((c) => c.system === s.id && c.measure === measure).map((c) => c.reference) ?? [])];
    return [
      s.id,
      s.lexicon ?? 'freedict',
      `${s.kind}${s.langs ? ` (${s.langs.join(', ')})` : ''}`,
      ofBase.length ? `${finding(ofBase)} vs ${vsBase!.cells[0]!.reference}` : '–',
      ofSources.length ? ofSources.map((ref) => `vs ${ref}: ${finding(vsSource!.cells.filter((c) => c.system === s.id && c.reference === ref && c.measure === measure))}`).join('; ') : '–',
    ];
  });
  md.push(`Retrieval effect of each code-switching system (${measure}; Δ = system − reference, means over seeds and settings; each column's tests corrected within its family, \`vs-zero-shot\` and \`lexicon-sources\`):`, '');
  md.push(table(['system', 'source', 'kind', `${measure} against zero-shot`, `${measure} against the same system from another source`], rows), '');
  md.push(...sources.map((s) => `- **${s.source}**: ${LEXICON_NAMES[s.source]}.`), '');
  return md;
}
