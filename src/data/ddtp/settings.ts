/**
 * Evaluation settings on the DDTP datasets, as in Litschko et al. 2023 (arXiv 2305.05295, §4):
 *  - MoIR X→X and CLIR X→Y (X→EN, EN→X, X→Y): queries in X, documents in Y; ids are shared across
 *    languages, so a query is relevant to the document with its own id, and queries whose document has no
 *    Y translation are left out;
 *  - MLIR: the language of each query and/or document is drawn per id (seeded) from a list (mix.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmrError } from '../../errors.js';
import { mixLanguages } from '../../augment/mix.js';

export interface SettingItem {
  _id: string;
  text: string;
  lang: string;
}

export interface DdtpSetting {
  name: string;
  queries: SettingItem[];
  corpus: SettingItem[];
  /** query id → (doc id → relevance). */
  qrels: Map<string, Map<string, number>>;
}

/** Reads `<dir>/<lang>/<file>.jsonl` into id → text. */
export function readDdtpTexts(dir: string, lang: string, kind: 'corpus' | 'queries'): Map<string, string> {
  const file = join(dir, lang, `${kind}.jsonl`);
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such file', { file });
  const out = new Map<string, string>();
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    let rec: { _id?: unknown; text?: unknown };
    try {
      rec = JSON.parse(lines[i]!) as { _id?: unknown; text?: unknown };
    } catch (e) {
      throw new XmrError('E_PARSE', `invalid JSON: ${(e as Error).message}`, { file, line: i + 1 });
    }
    if (typeof rec._id !== 'string' || typeof rec.text !== 'string') throw new XmrError('E_PARSE', 'expected string "_id" and "text"', { file, line: i + 1 });
    if (out.has(rec._id)) throw new XmrError('E_DUPLICATE', `duplicate id ${rec._id}`, { file, line: i + 1 });
    out.set(rec._id, rec.text);
  }
  return out;
}

/** Every text of a DDTP-layout dataset by language folder (corpus then queries), for benchmarks and tokenizer checks. */
export function ddtpTextsByLanguage(dir: string, kinds: readonly ('corpus' | 'queries')[] = ['corpus', 'queries']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const lang of readdirSync(dir).filter((d) => !d.includes('.')).sort()) {
    const texts: string[] = [];
    for (const kind of kinds) if (existsSync(join(dir, lang, `${kind}.jsonl`))) texts.push(...readDdtpTexts(dir, lang, kind).values());
    out.set(lang, texts);
  }
  return out;
}

function identityQrels(ids: Iterable<string>): Map<string, Map<string, number>> {
  return new Map([...ids].map((id) => [id, new Map([[id, 1]])]));
}

/** MoIR (query = doc language) or CLIR: queries in `query`, documents in `doc`. */
export function ddtpSetting(dir: string, query: string, doc: string): DdtpSetting {
  const qs = readDdtpTexts(dir, query, 'queries');
  const ds = readDdtpTexts(dir, doc, 'corpus');
  const queries = [...qs].filter(([id]) => ds.has(id)).map(([_id, text]) => ({ _id, text, lang: query }));
  return {
    name: `${query}-${doc}`,
    queries,
    corpus: [...ds].map(([_id, text]) => ({ _id, text, lang: doc })),
    qrels: identityQrels(queries.map((q) => q._id)),
  };
}

/**
 * MLIR: query languages drawn per query id from `queryLangs`, document languages per document id from
 * `docLangs` (a single language keeps that side monolingual). Queries whose document is absent are left out.
 */
export function ddtpMixedSetting(dir: string, queryLangs: readonly string[], docLangs: readonly string[], seed: number): DdtpSetting {
  const load = (langs: readonly string[], kind: 'corpus' | 'queries'): Map<string, Map<string, string>> =>
    new Map(langs.map((l) => [l, readDdtpTexts(dir, l, kind)]));
  // Different salts for the two sides, so a query and its document do not share their draw.
  const corpus = mixLanguages(load(docLangs, 'corpus'), { langs: docLangs, seed });
  const docIds = new Set(corpus.map((d) => d._id));
  const queries = mixLanguages(load(queryLangs, 'queries'), { langs: queryLangs, seed: (seed + 0x9e3779b9) >>> 0 }).filter((q) => docIds.has(q._id));
  return {
    name: `${queryLangs.join('+')}-${docLangs.join('+')}`,
    queries,
    corpus,
    qrels: identityQrels(queries.map((q) => q._id)),
  };
}
