/**
 * Builds the DDTP family of BEIR datasets from `Translation-<lang>` indexes.
 *
 * Layout of the output directory:
 *   manifest.json                       provenance (InRelease date, index SHA-256), parameters, counts
 *   <lang>/corpus.jsonl                 long descriptions in <lang>, id = Description-md5, empty title
 *   <lang>/queries.jsonl                synopses in <lang>, id = Description-md5
 *   <lang>/qrels/test.tsv               query id → the document with the same id, relevance 1
 *   train/{corpus,queries}.jsonl, train/qrels/train.tsv   English training pairs (families disjoint from test)
 *
 * Ids are shared across languages, so one language's qrels serve MoIR (X→X) and CLIR (X→EN, EN→X);
 * see settings.ts. Titles are empty because package names are untranslated: they would let a query in
 * any language match by name rather than by meaning.
 */
import { join } from 'node:path';
import { XmrError } from '../../errors.js';
import { readIndex, readRelease, verifyIndex, DDTP_COMPONENT, DDTP_MIRROR, DDTP_SUITE } from './fetch.js';
import type { IndexSource, ReleaseInfo } from './fetch.js';
import { parseTranslation } from './parse.js';
import { assignSplits, FAMILY_MIN_PARAGRAPH, hash32, indexRecords, TEST_BUCKETS } from './split.js';
import type { LanguageIndex, Split } from './split.js';
import { writeCorpus, writeQrels, writeQueries } from './write.js';

import { writeFileAtomic } from '../../atomic-write.js';
import { positiveInteger } from '../../args.js';

export const DDTP_LANGS = ['en', 'de', 'it', 'fr', 'ru', 'ja', 'es', 'pl', 'uk'] as const;

export interface DdtpBuildOptions {
  /** Directory of apt lists holding the indexes (see fetch.ts). */
  from: string;
  /** Output directory. */
  out: string;
  /** Languages; must include "en". */
  langs?: readonly string[];
  /** English corpus size (test documents plus distractors from test families); Infinity for all. */
  docs?: number;
  /** Test queries per non-English language; Infinity for all. */
  queries?: number;
  /** English training pairs; Infinity for all. */
  train?: number;
  /** Refuse indexes whose SHA-256 differs from the InRelease beside them (default true when one is present). */
  verify?: boolean;
}

export interface LanguageCounts {
  /** Descriptions with a translation (parallel to an English one). */
  parallel: number;
  /** Of those, in test families. */
  testPool: number;
  corpus: number;
  queries: number;
}

export interface DdtpManifest {
  dataset: 'ddtp';
  source: { mirror: string; suite: string; component: string; inRelease: { date: string; version: string } | null };
  indexes: { path: string; bytes: number; sha256: string }[];
  split: { languages: string[]; unit: string; rule: string; testBuckets: number; familyMinParagraph: number };
  params: { langs: string[]; docs: number | 'all'; queries: number | 'all'; train: number | 'all' };
  counts: { englishDescriptions: number; testFamiliesDescriptions: number; trainPairs: number; languages: Record<string, LanguageCounts> };
}

function checkCount(name: string, v: number): number {
  return v === Infinity ? v : positiveInteger(v, `${name} (or Infinity)`);
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the dataset and returns its manifest (also written to `out/manifest.json`). */
export function buildDdtp(opts: DdtpBuildOptions): DdtpManifest {
  const langs = [...(opts.langs ?? DDTP_LANGS)];
  if (langs[0] !== 'en') throw new RangeError(`langs must start with "en", got ${JSON.stringify(langs)}`);
  if (new Set(langs).size !== langs.length) throw new RangeError(`langs has duplicates: ${JSON.stringify(langs)}`);
  const nDocs = checkCount('docs', opts.docs ?? 5000);
  const nQueries = checkCount('queries', opts.queries ?? 500);
  const nTrain = checkCount('train', opts.train ?? 20000);

  const { index, sources, release } = loadIndexes(opts.from, langs, opts.verify);
  const en = index.get('en')!.byMd5;
  const split = canonicalSplit(index);

  const usable = (lang: string, md5: string): boolean => {
    const r = index.get(lang)!.byMd5.get(md5);
    return r !== undefined && r.synopsis !== '' && r.long !== '';
  };
  const h = new Map<string, number>();
  for (const md5 of en.keys()) h.set(md5, hash32(md5));
  const byHash = (a: string, b: string): number => h.get(a)! - h.get(b)! || byteOrder(a, b);

  // Test queries: descriptions translated into many of the chosen languages first, so the per-language
  // query sets overlap as much as possible (a parallel core for MLIR); ties by hash of the md5.
  const testPool = [...en.keys()].filter((m) => split.get(m) === 'test' && usable('en', m));
  const nLangs = new Map(testPool.map((m) => [m, langs.filter((l) => usable(l, m)).length]));
  const ranked = [...testPool].sort((a, b) => nLangs.get(b)! - nLangs.get(a)! || byHash(a, b));
  const selected = new Map<string, string[]>();
  const union = new Set<string>();
  for (const lang of langs.slice(1)) {
    const ids: string[] = [];
    for (const m of ranked) {
      if (ids.length >= nQueries) break;
      if (usable(lang, m)) ids.push(m);
    }
    selected.set(lang, ids);
    for (const m of ids) union.add(m);
  }
  if (nDocs < union.size) throw new RangeError(`docs (${nDocs}) must be at least the number of test queries' documents (${union.size})`);
  const corpusIds = new Set(union);
  for (const m of [...testPool].sort(byHash)) {
    if (corpusIds.size >= nDocs) break;
    corpusIds.add(m);
  }
  const corpusSorted = [...corpusIds].sort(byHash);
  const queryIds = [...union].sort(byHash);
  selected.set('en', queryIds);

  const counts: Record<string, LanguageCounts> = {};
  for (const lang of langs) {
    const li = index.get(lang)!.byMd5;
    const docs = corpusSorted.filter((m) => usable(lang, m));
    const qs = [...selected.get(lang)!].sort(byHash);
    const dir = join(opts.out, lang);
    writeCorpus(join(dir, 'corpus.jsonl'), docs.map((m) => ({ _id: m, title: '', text: li.get(m)!.long })));
    writeQueries(join(dir, 'queries.jsonl'), qs.map((m) => ({ _id: m, text: li.get(m)!.synopsis })));
    writeQrels(join(dir, 'qrels', 'test.tsv'), qs.map((m) => [m, m, 1] as const));
    let parallel = 0;
    let pool = 0;
    for (const m of li.keys()) {
      if (!usable(lang, m) || !usable('en', m)) continue;
      parallel++;
      if (split.get(m) === 'test') pool++;
    }
    counts[lang] = { parallel, testPool: pool, corpus: docs.length, queries: qs.length };
  }

  const trainIds: string[] = [];
  for (const m of [...en.keys()].filter((x) => split.get(x) === 'train' && usable('en', x)).sort(byHash)) {
    if (trainIds.length >= nTrain) break;
    trainIds.push(m);
  }
  const tdir = join(opts.out, 'train');
  writeCorpus(join(tdir, 'corpus.jsonl'), trainIds.map((m) => ({ _id: m, title: '', text: en.get(m)!.long })));
  writeQueries(join(tdir, 'queries.jsonl'), trainIds.map((m) => ({ _id: m, text: en.get(m)!.synopsis })));
  writeQrels(join(tdir, 'qrels', 'train.tsv'), trainIds.map((m) => [m, m, 1] as const));

  const asParam = (v: number): number | 'all' => (v === Infinity ? 'all' : v);
  const manifest: DdtpManifest = {
    dataset: 'ddtp',
    source: {
      mirror: DDTP_MIRROR,
      suite: DDTP_SUITE,
      component: DDTP_COMPONENT,
      inRelease: release === undefined ? null : { date: release.date, version: release.version },
    },
    indexes: sources.map((s) => ({ path: `${DDTP_COMPONENT}/i18n/Translation-${s.lang}`, bytes: s.bytes, sha256: s.sha256 })),
    split: {
      languages: [...DDTP_LANGS],
      unit: 'family: descriptions sharing, in any language, a synopsis or long description, or an English first paragraph of >= familyMinParagraph characters',
      rule: 'test iff (first 4 bytes of SHA-256 of the family\'s smallest package name, big-endian) mod 100 < testBuckets',
      testBuckets: TEST_BUCKETS,
      familyMinParagraph: FAMILY_MIN_PARAGRAPH,
    },
    params: { langs, docs: asParam(nDocs), queries: asParam(nQueries), train: asParam(nTrain) },
    counts: {
      englishDescriptions: en.size,
      testFamiliesDescriptions: testPool.length,
      trainPairs: trainIds.length,
      languages: counts,
    },
  };
  writeFileAtomic(join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The indexes of `langs` and of every split language, parsed; checked against InRelease when `verify`. */
function loadIndexes(from: string, langs: readonly string[], verify?: boolean): { index: Map<string, LanguageIndex>; sources: IndexSource[]; release: ReleaseInfo | undefined } {
  const release = readRelease(from);
  const check = verify ?? release !== undefined;
  if (check && release === undefined) throw new XmrError('E_MISSING', 'no InRelease to verify the indexes against', { file: from });
  const sources: IndexSource[] = [];
  const index = new Map<string, LanguageIndex>();
  for (const lang of [...langs, ...DDTP_LANGS.filter((l) => !langs.includes(l))]) {
    process.stderr.write(`ddtp: reading Translation-${lang}\n`);
    const { text, source } = readIndex(from, lang);
    if (check) verifyIndex(release!, source);
    if (langs.includes(lang)) sources.push(source);
    index.set(lang, indexRecords(parseTranslation(text, lang, source.file)));
  }
  return { index, sources, release };
}

/**
 * The split always comes from the nine DDTP_LANGS indexes, whatever languages a build asks for, so adding
 * or leaving out a language never moves a description between train and test.
 */
function canonicalSplit(index: Map<string, LanguageIndex>): Map<string, Split> {
  return assignSplits(new Map(DDTP_LANGS.map((l) => [l, index.get(l)!]))).split;
}

/**
 * Aligned (English synopsis, `lang` synopsis) pairs of one split, for title-style lexicon induction
 * (titles-dice.ts); use 'train' so no test query leaks into a lexicon. Sorted by md5.
 */
export function ddtpParallelSynopses(from: string, lang: string, split: Split = 'train'): [string, string][] {
  const { index } = loadIndexes(from, lang === 'en' ? ['en'] : ['en', lang]);
  const splits = canonicalSplit(index);
  const en = index.get('en')!.byMd5;
  const x = index.get(lang)!.byMd5;
  return [...x.keys()]
    .filter((m) => en.has(m) && splits.get(m) === split)
    .sort()
    .map((m) => [en.get(m)!.synopsis, x.get(m)!.synopsis]);
}

/**
 * The monolingual text of `lang` in one split's families, for word embeddings (src/wordvec/corpus.ts):
 * per description (by md5), its synopsis, then each paragraph of its long description, one string each.
 * Use 'train' (the default) so no test query or document text reaches the vectors; descriptions whose
 * English original is gone have no split and are left out.
 */
export function ddtpMonolingualTexts(from: string, lang: string, split: Split = 'train'): string[] {
  const { index } = loadIndexes(from, lang === 'en' ? ['en'] : ['en', lang]);
  const splits = canonicalSplit(index);
  const x = index.get(lang)!.byMd5;
  const out: string[] = [];
  for (const m of [...x.keys()].filter((k) => splits.get(k) === split).sort()) {
    const r = x.get(m)!;
    out.push(r.synopsis);
    if (r.long !== '') out.push(...r.long.split('\n'));
  }
  return out;
}
