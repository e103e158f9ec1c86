/** Rankers: one interface (ranker.ts) for BM25, dense encoders and external run files. */
export { RankedRun, corpusDocuments, queryList } from './ranker.js';
export type { Ranker, Corpus, CorpusDocument, Query, Queries } from './ranker.js';
export { Bm25Ranker } from './bm25.js';
export type { Bm25Options } from './bm25.js';
export { RunFileRanker } from './run-file.js';
export { DenseRanker, rankedRunFromTopK } from './dense.js';
export type { DenseRankerOptions } from './dense.js';
export { mineHardNegatives } from './hard-negatives.js';
export { createAnalyzer, words, LUCENE_ENGLISH_STOPWORDS } from './analysis.js';
export type { Analyzer, AnalyzerOptions, StemmerOption, StopwordsOption } from './analysis.js';
