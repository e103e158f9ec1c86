/**
 * BEIR dataset folders (Thakur et al. 2021; the layout of beir.datasets.data_loader.GenericDataLoader):
 *
 *   corpus.jsonl        {"_id": …, "title": …, "text": …} per line
 *   queries.jsonl       {"_id": …, "text": …} per line
 *   qrels/<split>.tsv   a header row, then query-id <TAB> corpus-id <TAB> score (an integer)
 *
 * each optionally gzipped (`corpus.jsonl.gz` …). Files are streamed line by line from Buffers, so a
 * multi-million-document corpus is held once, as the parsed strings, never also as raw text.
 * Like BEIR's loader, only the queries judged in the split are kept.
 *
 * Bad input is never silent: a malformed line is an E_PARSE error with file and line; a repeated
 * `_id` or judgment is E_DUPLICATE; an empty file is E_EMPTY; a missing file or split is E_MISSING
 * (listing the splits that exist). Judgments naming a document absent from the corpus, or a query
 * absent from queries.jsonl, are counted in `warnings` (real BEIR sets have a few) and kept.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../errors.js';
import { streamLineRegions } from './trec/lines.js';
import { QrelsBuilder, type Qrels } from './trec/qrels.js';

export interface BeirCorpus {
  ids: string[];
  titles: string[];
  texts: string[];
}

export interface BeirQueries {
  ids: string[];
  texts: string[];
}

export interface BeirWarning {
  code: 'QRELS_DOC_NOT_IN_CORPUS' | 'QRELS_QUERY_NOT_IN_QUERIES';
  count: number;
  examples: string[];
  message: string;
}

export interface BeirDataset {
  split: string;
  corpus: BeirCorpus;
  /** Queries judged in the split, in file order. */
  queries: BeirQueries;
  qrels: Qrels;
  warnings: BeirWarning[];
}

const utf8 = new TextDecoder();

/**
 * Loads a BEIR folder's corpus, the split's qrels and the queries they judge. `corpusDir` takes the
 * corpus from another folder (queries and qrels of one dataset against another's documents).
 */
export async function loadBeir(dir: string, options: { split?: string; corpusDir?: string } = {}): Promise<BeirDataset> {
  const { split, queries, qrels, qrelsPath, warnings } = await loadBeirQueries(dir, options.split);
  const corpus = await readBeirCorpusIn(options.corpusDir ?? dir);
  const docIds = new Set(corpus.ids);
  const missingDocs: string[] = [];
  for (let d = 0; d < qrels.docnos.size; d++) if (!docIds.has(qrels.docnos.get(d))) missingDocs.push(qrels.docnos.get(d));
  if (missingDocs.length > 0) {
    const examples = missingDocs.slice(0, 5);
    warnings.unshift({ code: 'QRELS_DOC_NOT_IN_CORPUS', count: missingDocs.length, examples, message: `${path.basename(qrelsPath)}: ${missingDocs.length} judged document ${missingDocs.length === 1 ? 'id is' : 'ids are'} not in the corpus (e.g. ${examples.join(', ')})` });
  }
  return { split, corpus, queries, qrels, warnings };
}

/** The corpus.jsonl(.gz) of a BEIR folder. */
export async function readBeirCorpusIn(dir: string): Promise<BeirCorpus> {
  return readBeirCorpus(findFile(dir, 'corpus.jsonl'));
}

/**
 * A BEIR folder's split without its corpus: the qrels and the queries they judge, in file order
 * (what a search over an index built earlier needs, without reading the corpus again).
 */
export async function loadBeirQueries(dir: string, split = 'test'): Promise<{ split: string; queries: BeirQueries; qrels: Qrels; qrelsPath: string; warnings: BeirWarning[] }> {
  if (typeof split !== 'string' || split === '' || split.includes('/')) throw new TypeError(`options.split must be a split name like "test", got ${JSON.stringify(split)}`);
  const qrelsPath = splitPath(dir, split);
  const qrels = await readBeirQrels(qrelsPath);
  const allQueries = await readBeirQueries(findFile(dir, 'queries.jsonl'));
  const warnings: BeirWarning[] = [];
  const judged = new Set<string>();
  for (let q = 0; q < qrels.size; q++) judged.add(qrels.queries.get(q));
  const queries: BeirQueries = { ids: [], texts: [] };
  allQueries.ids.forEach((id, i) => {
    if (!judged.has(id)) return;
    queries.ids.push(id);
    queries.texts.push(allQueries.texts[i]!);
    judged.delete(id);
  });
  if (judged.size > 0) {
    const examples = [...judged].slice(0, 5);
    warnings.push({ code: 'QRELS_QUERY_NOT_IN_QUERIES', count: judged.size, examples, message: `${path.basename(qrelsPath)}: ${judged.size} judged query ${judged.size === 1 ? 'id is' : 'ids are'} not in queries.jsonl (e.g. ${examples.join(', ')})` });
  }
  return { split, queries, qrels, qrelsPath, warnings };
}

/** Streams a corpus.jsonl(.gz): `_id` and `text` required, `title` optional (default ""). */
export async function readBeirCorpus(file: string): Promise<BeirCorpus> {
  const out: BeirCorpus = { ids: [], titles: [], texts: [] };
  const seen = new Map<string, number>();
  await readJsonl(file, (rec, line) => {
    out.ids.push(uniqueId(rec, seen, file, line));
    out.titles.push(rec['title'] === undefined || rec['title'] === null ? '' : field(rec, 'title', file, line, false));
    out.texts.push(field(rec, 'text', file, line, false));
  });
  return out;
}

/** Streams a queries.jsonl(.gz): `_id` and `text` required. */
export async function readBeirQueries(file: string): Promise<BeirQueries> {
  const out: BeirQueries = { ids: [], texts: [] };
  const seen = new Map<string, number>();
  await readJsonl(file, (rec, line) => {
    out.ids.push(uniqueId(rec, seen, file, line));
    out.texts.push(field(rec, 'text', file, line, false));
  });
  return out;
}

/** Reads qrels/<split>.tsv(.gz): a header row, then `query-id <TAB> corpus-id <TAB> score` (integer). */
export async function readBeirQrels(file: string): Promise<Qrels> {
  const b = new QrelsBuilder(file);
  let line = 0;
  let header = false;
  await streamLineRegions(file, (buf, start, end) => {
    const parts = utf8.decode(buf.subarray(start, end)).split('\n');
    if (parts[parts.length - 1] === '') parts.pop(); // the region's final "\n"
    for (const text of parts) {
      line++;
      const t = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (t.trim() === '') continue;
      const f = t.split('\t');
      if (!header) {
        header = true;
        if (f.length === 3 && /^-?\d+$/.test(f[2]!.trim())) throw new XmrError('E_PARSE', 'expected a header row (query-id, corpus-id, score) first, got a judgment', { file, line });
        continue;
      }
      if (f.length !== 3) throw new XmrError('E_PARSE', `expected 3 tab-separated fields (query-id, corpus-id, score), got ${f.length}`, { file, line });
      const [q, d, s] = f.map((x) => x.trim()) as [string, string, string];
      if (q === '' || d === '') throw new XmrError('E_PARSE', `expected non-empty query-id and corpus-id`, { file, line });
      const rel = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
      if (!Number.isSafeInteger(rel) || Math.abs(rel) > 2147483647) throw new XmrError('E_PARSE', `expected an integer score in field 3, got ${JSON.stringify(s)}`, { file, line });
      b.push(b.queries.internString(q), b.docnos.internString(d), rel, line);
    }
  });
  if (b.length === 0) throw new XmrError('E_EMPTY', header ? 'no judgments after the header row' : 'empty qrels file', { file });
  return b.build();
}

type JsonRecord = Record<string, unknown>;

async function readJsonl(file: string, onRecord: (rec: JsonRecord, line: number) => void): Promise<void> {
  let line = 0;
  let records = 0;
  await streamLineRegions(file, (buf, start, end) => {
    let p = start;
    while (p < end) {
      let nl = buf.indexOf(10, p);
      if (nl < 0 || nl > end) nl = end;
      line++;
      const text = utf8.decode(buf.subarray(p, nl));
      p = nl + 1;
      if (text.trim() === '') continue;
      let rec: unknown;
      try {
        rec = JSON.parse(text);
      } catch (err) {
        throw new XmrError('E_PARSE', `expected one JSON object per line (${(err as Error).message})`, { file, line });
      }
      if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new XmrError('E_PARSE', `expected a JSON object, got ${Array.isArray(rec) ? 'an array' : JSON.stringify(rec)}`, { file, line });
      onRecord(rec as JsonRecord, line);
      records++;
    }
  });
  if (records === 0) throw new XmrError('E_EMPTY', 'empty file: no JSON lines', { file });
}

/** A string field (ids may also be integers, which BEIR's Python loader accepts as keys). */
function field(rec: JsonRecord, name: string, file: string, line: number, id: boolean): string {
  const v = rec[name];
  if (typeof v === 'string' && (!id || v !== '')) return v;
  // An integer beyond 2^53 has already lost digits in JSON.parse (BEIR's Python loader keeps them all).
  if (id && typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (id && typeof v === 'number' && Number.isInteger(v))
    throw new XmrError('E_PARSE', `"${name}" is an integer too large to read exactly (beyond 2^53): write it as a string`, { file, line });
  const want = id ? 'a non-empty string' : 'a string';
  throw new XmrError('E_PARSE', `expected "${name}" to be ${want}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`, { file, line });
}

function uniqueId(rec: JsonRecord, seen: Map<string, number>, file: string, line: number): string {
  const id = field(rec, '_id', file, line, true);
  const first = seen.get(id);
  if (first !== undefined) throw new XmrError('E_DUPLICATE', `duplicate _id ${JSON.stringify(id)} (first at line ${first})`, { file, line });
  seen.set(id, line);
  return id;
}

/** `name` or `name.gz` inside dir. */
function findFile(dir: string, name: string): string {
  const plain = path.join(dir, name);
  if (existsSync(plain)) return plain;
  if (existsSync(plain + '.gz')) return plain + '.gz';
  throw new XmrError('E_MISSING', `${name} (or ${name}.gz) not found in the BEIR folder`, { file: dir });
}

function splitPath(dir: string, split: string): string {
  const qdir = path.join(dir, 'qrels');
  if (!existsSync(dir)) throw new XmrError('E_MISSING', 'BEIR folder not found', { file: dir });
  const plain = path.join(qdir, `${split}.tsv`);
  if (existsSync(plain)) return plain;
  if (existsSync(plain + '.gz')) return plain + '.gz';
  const available = existsSync(qdir) ? readdirSync(qdir).filter((f) => /\.tsv(\.gz)?$/.test(f)).map((f) => f.replace(/\.tsv(\.gz)?$/, '')).sort() : [];
  const list = available.length > 0 ? `available splits: ${available.join(', ')}` : 'no qrels/*.tsv files at all';
  throw new XmrError('E_MISSING', `split "${split}" not found (no qrels/${split}.tsv); ${list}`, { file: dir });
}
