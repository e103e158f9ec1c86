/**
 * `xmrbench search`: runs a ranker over a BEIR-layout dataset and writes a TREC run; when the split
 * has qrels, it also prints their evaluation (src/eval). For cross-language retrieval, `--corpus`
 * takes the documents from another folder (e.g. German queries of ddtp-mini/de against the English
 * corpus of ddtp-mini/en, whose qrels name the English documents).
 */
import type { Argv, CommandModule } from 'yargs';
import { loadBeir, type BeirCorpus, type BeirQueries } from '../data/beir.js';
import type { Qrels } from '../data/trec/qrels.js';
import { evaluate, type Evaluation } from '../eval/evaluate.js';
import { printfFixed } from '../eval/printf.js';
import { Bm25Ranker } from '../rankers/bm25.js';
import { RunFileRanker } from '../rankers/run-file.js';
import { DenseRanker } from '../rankers/dense.js';
import type { OpenedTextEncoder } from '../encoders/open-text-encoder.js';
import { openTextEncoderFromArgs, textEncoderOptions, type TextEncoderArgs } from './text-encoder-options.js';
import type { Ranker } from '../rankers/ranker.js';
import type { StemmerOption, StopwordsOption } from '../rankers/analysis.js';
import { onInterrupt } from './interrupt.js';

interface SearchArgs extends TextEncoderArgs {
  ranker: 'bm25' | 'run' | 'dense';
  dataset: string;
  corpus?: string;
  split: string;
  out?: string;
  k: number;
  language: string;
  'query-language'?: string;
  stemmer: StemmerOption;
  stopwords: string;
  k1: number;
  b: number;
  lengths: 'lucene' | 'exact';
  run?: string;
  metrics: string;
  tag?: string;
  json: boolean;
}

async function load(a: SearchArgs): Promise<{ corpus: BeirCorpus; queries: BeirQueries; qrels: Qrels }> {
  const d = await loadBeir(a.dataset, { split: a.split, ...(a.corpus === undefined ? {} : { corpusDir: a.corpus }) });
  for (const w of d.warnings) console.error(`xmrbench: warning: ${w.message}`);
  return d;
}

function stopwordsOption(s: string): StopwordsOption {
  return ['default', 'none', 'lucene', 'iso'].includes(s) ? (s as StopwordsOption) : s.split(',').filter((w) => w !== '');
}

export const searchCommand: CommandModule<object, SearchArgs> = {
  command: 'search',
  describe: 'Run a ranker (BM25, a dense encoder, or an external TREC run) over a BEIR dataset; write a TREC run and evaluate it',
  builder: (y: Argv) =>
    textEncoderOptions(
      y.option('ranker', { choices: ['bm25', 'run', 'dense'] as const, default: 'bm25' as const, describe: 'bm25: native BM25; dense: an encoder (--model); run: an external TREC run (--run)' }),
      'For --ranker dense',
    )
      .option('dataset', { type: 'string', demandOption: true, describe: 'BEIR folder: queries.jsonl, qrels/<split>.tsv (and corpus.jsonl unless --corpus)' })
      .option('corpus', { type: 'string', describe: 'Folder whose corpus.jsonl is searched instead of the dataset\'s own (cross-language retrieval)' })
      .option('split', { type: 'string', default: 'test' })
      .option('out', { type: 'string', describe: 'Write the TREC run here (.gz for gzip)' })
      .option('k', { type: 'number', default: 1000, describe: 'Results per query' })
      .option('language', { type: 'string', default: 'en', describe: 'Language of the documents (ISO 639-1): picks the default stemmer and stopwords' })
      .option('query-language', { type: 'string', describe: 'Analyse queries as this language (default: as the documents)' })
      .option('stemmer', { choices: ['default', 'none', 'porter', 'snowball'] as const, default: 'default' as const, describe: "default: porter for en (Anserini's), the language's Snowball stemmer otherwise" })
      .option('stopwords', { type: 'string', default: 'default', describe: "default | none | lucene | iso | a comma-separated list (default: Lucene's English list for en, none otherwise)" })
      .option('k1', { type: 'number', default: 0.9 })
      .option('b', { type: 'number', default: 0.4 })
      .option('lengths', { choices: ['lucene', 'exact'] as const, default: 'lucene' as const, describe: "Document lengths as Lucene stores them (one byte) or exact" })
      .option('threads', { type: 'number', default: 2 })
      .option('run', { type: 'string', describe: 'The TREC run file for --ranker run' })
      .option('metrics', { type: 'string', default: 'RR@10,nDCG@10,R@100', describe: 'Measures printed when the split has qrels' })
      .option('tag', { type: 'string', describe: 'TREC run tag (default: the ranker name)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON summary' })
      .example('$0 search --dataset datasets/ddtp-mini/en --out bm25-en.trec', 'English BM25 baseline')
      .example('$0 search --dataset datasets/ddtp-mini/de --corpus datasets/ddtp-mini/en', 'German queries, English documents')
      .example("$0 search --ranker dense --model e5-onnx/ --query-prefix 'query: ' --document-prefix 'passage: ' --dataset datasets/ddtp-mini/de --corpus datasets/ddtp-mini/en", 'An ONNX model exported by optimum')
      .example('$0 search --ranker dense --model zs.xde --dataset datasets/ddtp-mini/en', 'A model trained by xmrbench train') as unknown as Argv<SearchArgs>,
  handler: (a) => search(a),
};

/** The mean of each measure, one indented line each (what search and index search print). */
export function printMeans(ev: Evaluation): void {
  for (const [m, v] of ev.mean) console.log(`  ${m.padEnd(12)} ${printfFixed(v)}`);
}

async function search(a: SearchArgs): Promise<void> {
  const { corpus, queries, qrels } = await load(a);
  let ranker: Ranker;
  let encoder: OpenedTextEncoder | undefined;
  if (a.ranker === 'dense') {
    if (a.model === undefined) throw new TypeError('--ranker dense needs --model PATH');
    encoder = await openTextEncoderFromArgs({ ...a, model: a.model });
    ranker = new DenseRanker(encoder, { name: a.tag ?? 'dense', threads: a.threads });
  } else if (a.ranker === 'run') {
    if (a.run === undefined) throw new TypeError('--ranker run needs --run FILE');
    ranker = new RunFileRanker(a.run, { name: a.tag ?? 'run' });
  } else {
    const stopwords = stopwordsOption(a.stopwords);
    ranker = new Bm25Ranker({
      language: a.language,
      stemmer: a.stemmer,
      stopwords,
      k1: a.k1,
      b: a.b,
      lengths: a.lengths,
      threads: a.threads,
      ...(a['query-language'] === undefined ? {} : { queryAnalysis: { language: a['query-language'], stemmer: a.stemmer, stopwords } }),
    });
  }
  const t0 = performance.now();
  let run;
  let indexMs;
  try {
    await ranker.index(corpus);
    indexMs = performance.now() - t0;
    run = await ranker.search(queries, a.k);
  } finally {
    await encoder?.close();
  }
  if (a.out !== undefined) {
    // Until the run is written, Ctrl-C keeps its default action — the process ends at once, even in
    // a long synchronous stretch (building the BM25 index) where a JavaScript handler would wait
    // for it — as there is nothing to keep. While it is written, the handler removes the partial file.
    const interruption = onInterrupt(`nothing was written to ${a.out}; run the same command again`, 0);
    try {
      await run.write(a.out, a.tag ?? ranker.name);
    } finally {
      interruption.dispose();
    }
  }
  const ev = evaluate(qrels, run.toRun(), a.metrics);
  const timing = run.timing();
  const summary = {
    ranker: ranker.name,
    ...(encoder === undefined ? {} : { model: a.model, encoder: encoder.kind, dim: encoder.dim }),
    ...(ranker instanceof Bm25Ranker ? { index: ranker.stats, k1: ranker.k1, b: ranker.b, lengths: ranker.lengths, queryAnalyzer: { language: ranker.queryAnalyzer.language, stemmer: ranker.queryAnalyzer.stemmer, stopwords: ranker.queryAnalyzer.stopwords } } : {}),
    documents: corpus.ids.length,
    queries: queries.ids.length,
    indexMs,
    search: timing,
    mean: Object.fromEntries(ev.mean),
    notes: [...run.notes, ...ev.warnings.map((w) => w.message)],
    ...(a.out === undefined ? {} : { out: a.out }),
  };
  if (a.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(`${ranker.name}: ${corpus.ids.length} documents indexed in ${indexMs.toFixed(0)} ms; ${queries.ids.length} queries in ${timing.totalMs.toFixed(0)} ms (per query: mean ${timing.meanMs.toFixed(3)} ms, p99 ${timing.p99Ms.toFixed(3)} ms)`);
  printMeans(ev);
  for (const n of summary.notes) console.log(`  note: ${n}`);
  if (a.out !== undefined) console.log(`  run written to ${a.out}`);
}
