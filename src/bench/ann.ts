/**
 * Workload `ann`: LanceDB's approximate indexes against exact search, as ann-benchmarks draws it —
 * recall@k against xmrbench's exact top-k, and queries/s, for each index setting (IVF-PQ over a
 * sweep of nprobes; IVF-HNSW-SQ over a sweep of ef), with xmrbench's exact `topK` and LanceDB's
 * flat search as the references. Then "does the index cost accuracy that matters?": nDCG@10 and
 * RR@10 of every run on the qrels, and the paired randomization test of each ANN run against the
 * exact run (per-query differences; p two-sided).
 *
 * Data: ddtp-mini's English corpus (5,000 package descriptions) and its 640 judged queries, encoded
 * by the dual encoder of docs/dual-encoder.md at its seeded random initialisation (a random
 * projection of the texts' bags of subwords, as in `onnx-text`): not a trained model, but real
 * texts' structure, which random vectors (ANN's worst case) lack. Cosine scores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { positiveCount } from '../args.js';
import { writeFileAtomic } from '../atomic-write.js';
import { loadBeir } from '../data/beir.js';
import { DualEncoder } from '../encoders/dual-encoder-model.js';
import { evaluate } from '../eval/evaluate.js';
import { lineChartSvg } from '../eval/plots/line-chart.js';
import { randomizationTest } from '../eval/significance/index.js';
import { packageRoot } from '../native.js';
import { rankedRunFromTopK } from '../rankers/dense.js';
import { LanceVectorTable, type LanceSearchOptions } from '../search/lancedb.js';
import { topK, type TopKResult } from '../search/topk.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { buildWordVocab, writeVocab } from '../train/vocab.js';
import { machineStamp } from './machine.js';
import { measure } from './measure.js';
import { defineWorkload, type BenchResult, type CommonOptions, type DriverResult } from './workload.js';

export interface AnnBenchOptions extends CommonOptions {
  dim: number;
  k: number;
  partitions: number;
  subVectors: number;
  refine: number;
  seed: number;
  /** Where to write the recall–throughput SVG ('' for none). */
  plot: string;
}

const MEASURES = ['nDCG@10', 'RR@10'] as const;
const EF = [10, 20, 50, 100, 200];
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

/** Mean over queries of |ANN top-k ∩ exact top-k| / k (ann-benchmarks' recall). */
function recallAtK(exact: TopKResult, got: TopKResult, k: number): number {
  const m = exact.ids.length / k;
  let hit = 0;
  for (let i = 0; i < m; i++) {
    const want = new Set(exact.ids.subarray(i * k, (i + 1) * k));
    for (const id of got.ids.subarray(i * k, (i + 1) * k)) if (want.has(id)) hit++;
  }
  return hit / (m * k);
}

export async function benchAnn(o: AnnBenchOptions): Promise<BenchResult> {
  for (const key of ['dim', 'k', 'partitions', 'subVectors', 'refine'] as const) positiveCount(o[key], key);
  const loadBefore = load();
  const data = await loadBeir(path.join(packageRoot, 'datasets', 'ddtp-mini', 'en'));
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-ann-'));
  try {
    const vocabFile = path.join(dir, 'vocab.txt');
    writeVocab(vocabFile, buildWordVocab(data.corpus.texts));
    const tokenizer = Tokenizer.fromVocabFile(vocabFile);
    const model = DualEncoder.create({ vocabSize: tokenizer.vocabSize, dim: o.dim, seed: o.seed, initStd: 0.1 });
    const enc = { maxLength: 128, threads: o.threads };
    const docs = await model.encodeTexts(tokenizer, data.corpus.texts, enc);
    const queries = await model.encodeTexts(tokenizer, data.queries.texts, enc);
    const exactOpts = { dim: o.dim, k: o.k, metric: 'cosine' as const, threads: o.threads };
    const exact = await topK(queries, docs, exactOpts);
    const table = await LanceVectorTable.build(path.join(dir, 'lance'), docs, { dim: o.dim, metric: 'cosine' });

    const m = data.queries.ids.length;
    const perQuery = (r: TopKResult) => evaluate(data.qrels, rankedRunFromTopK('run', data.queries.ids, data.corpus.ids, r).toRun(), [...MEASURES]);
    const exactEval = perQuery(exact);
    const drivers: DriverResult[] = [];
    /** Times `run`, then its recall and measures against the exact run. */
    const add = async (driver: string, run: () => Promise<TopKResult>, setting: Record<string, number | string>) => {
      const got = await run();
      const [t] = await measure({ [driver]: run }, { timeMs: o.timeMs, iterations: 2 });
      const ev = perQuery(got);
      const figures: Record<string, number> = {};
      for (const name of MEASURES) {
        figures[name] = ev.mean.get(name)!;
        // Both runs are scored on every judged query, in the same (byte) order.
        figures[`p ${name}`] = randomizationTest(exactEval.perQuery.get(name)!, ev.perQuery.get(name)!, { seed: o.seed }).pValue;
      }
      drivers.push({ driver, ...setting, recall: recallAtK(exact, got, o.k), queriesPerSecond: m / (t!.meanMs / 1000), ...figures, timing: t! });
    };
    await add('xmrbench exact topK', () => topK(queries, docs, exactOpts), { index: 'exact' });
    const lance = (s: Omit<LanceSearchOptions, 'k'>) => () => table.search(queries, { k: o.k, concurrency: o.threads, ...s });
    await add('lancedb flat', lance({ exact: true }), { index: 'flat' });
    await table.createIndex({ type: 'ivf_pq', numPartitions: o.partitions, numSubVectors: o.subVectors });
    const probes: number[] = [];
    for (let p = 1; p < o.partitions; p *= 2) probes.push(p);
    probes.push(o.partitions);
    for (const nprobes of probes) await add(`lancedb ivf_pq nprobes=${nprobes}`, lance({ nprobes, refineFactor: o.refine }), { index: 'ivf_pq', nprobes, refineFactor: o.refine });
    await table.createIndex({ type: 'ivf_hnsw_sq', numPartitions: 1 });
    // LanceDB requires ef ≥ k; HNSW runs unrefined (a refine factor r would need ef ≥ r·k).
    for (const ef of EF.filter((e) => e >= o.k)) await add(`lancedb ivf_hnsw_sq ef=${ef}`, lance({ ef }), { index: 'ivf_hnsw_sq', ef });

    if (o.plot) writeFileAtomic(o.plot, recallPlot(drivers, o.k));
    return {
      workload: 'ann',
      params: {
        source: 'datasets/ddtp-mini/en (corpus, judged queries, test qrels)',
        docs: data.corpus.ids.length,
        queries: m,
        dim: o.dim,
        k: o.k,
        metric: 'cosine',
        partitions: o.partitions,
        subVectors: o.subVectors,
        refineFactor: o.refine,
        threads: o.threads,
        seed: o.seed,
        timeMs: o.timeMs,
        pTest: 'paired randomization test (10,000 sign assignments) of each run against xmrbench exact, per query',
        loadAverage: { before: loadBefore, after: load() },
      },
      machine: machineStamp(),
      drivers,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Recall@k against queries/s, one line per index type (ann-benchmarks' plot), the references as lone points. */
export function recallPlot(drivers: readonly DriverResult[], k: number): string {
  const qps = drivers.map((d) => d.queriesPerSecond as number);
  // Decade ticks spanning every point (log axis: the exact batch search is decades faster).
  const lo = Math.floor(Math.log10(Math.min(...qps)));
  const ticks = Array.from({ length: Math.ceil(Math.log10(Math.max(...qps))) - lo + 1 }, (_, i) => 10 ** (lo + i));
  const series = ['ivf_pq', 'ivf_hnsw_sq', 'flat', 'exact'].map((index) => {
    const ds = drivers.filter((d) => d.index === index);
    return { name: index === 'exact' ? 'xmrbench exact' : `lancedb ${index}`, x: ds.map((d) => d.queriesPerSecond as number), y: ds.map((d) => d.recall as number) };
  });
  return lineChartSvg({ title: `LanceDB on ddtp-mini: recall@${k} vs throughput`, xLabel: 'queries/s (log scale)', yLabel: `recall@${k}`, x: ticks, xLog: true, series, yRange: [0, 1] });
}

export const annWorkload = defineWorkload<AnnBenchOptions>({
  name: 'ann',
  measures: 'LanceDB ANN indexes (IVF-PQ nprobes sweep, IVF-HNSW-SQ ef sweep) vs exact top-k on ddtp-mini: recall@k, queries/s, nDCG@10 and RR@10 with paired tests',
  options: {
    dim: { type: 'number', default: 128, describe: 'Embedding dimension of the (randomly initialised) dual encoder' },
    k: { type: 'number', default: 10, describe: 'Results per query (recall@k)' },
    partitions: { type: 'number', default: 32, describe: 'IVF partitions of the IVF-PQ index (nprobes sweeps 1, 2, 4, … up to it)' },
    subVectors: { type: 'number', default: 16, describe: 'PQ sub-vectors (must divide --dim)' },
    refine: { type: 'number', default: 4, describe: 'LanceDB refineFactor: re-rank refine × k candidates by exact distance' },
    seed: { type: 'number', default: 1, describe: 'Seed of the encoder initialisation and of the randomization tests' },
    plot: { type: 'string', default: '', describe: 'Write the recall–throughput SVG here' },
  },
  drivers: [
    'xmrbench exact topK: the native exact top-k over all queries at once (the reference)',
    'lancedb flat: LanceDB brute force (bypassVectorIndex), one query per call, --threads in flight',
    'lancedb ivf_pq nprobes=N: IVF-PQ, N partitions probed, refineFactor --refine',
    'lancedb ivf_hnsw_sq ef=E: IVF-HNSW-SQ (one partition), ef E ≥ k, unrefined',
  ],
  ratios: [],
  examples: [['$0 bench ann --threads 2 --plot docs/figures/ann-recall-qps.svg --json', 'The README figure']],
  run: benchAnn,
});
