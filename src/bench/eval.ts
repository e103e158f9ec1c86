/**
 * Workload `eval`: evaluation end to end from TREC files — read a run and qrels, rank, score five
 * measures. Target: 10,000 queries × 1,000 retrieved documents (a 10M-line, ~350 MB run)
 * in under 1.5 s on 2 cores.
 *
 * The synthetic files are generated once per call in a temporary folder from a seeded generator:
 * a 1M-document corpus, runs written in descending score order as retrievers write them, scores
 * rounded to 4 decimals so ties occur (and are written in the "wrong" docno order, so the tie-break
 * sort is exercised), qrels with graded, zero and negative judgments and relevant documents that
 * were not retrieved. Before anything is timed, a few queries are checked against a naive
 * string-based implementation, and the parallel reader against the one-thread reader. Drivers:
 * readRun with `threads` worker threads, and with one thread, timed side by side.
 */
import { mkdtempSync, openSync, closeSync, writeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deepStrictEqual } from 'node:assert/strict';
import { readQrels, readRun } from '../data/trec/index.js';
import { evaluate, type Evaluation } from '../eval/evaluate.js';
import { positiveCount } from '../args.js';
import { machineStamp } from './machine.js';
import { measure, type Timing } from './measure.js';
import { defineWorkload, type BenchResult, type DriverResult } from './workload.js';

const MEASURES = ['nDCG@10', 'RR@10', 'R@100', 'AP', 'P@10'];
const CORPUS = 1_000_000;
const SEED = 20240611;
const TARGET_MS = 1500;

export interface EvalBenchOptions {
  queries: number;
  docs: number;
  /** Worker threads for reading the run (the second driver always uses one). */
  threads: number;
  timeMs: number;
  iterations: number;
}

interface EvalDriver extends DriverResult {
  p50Ms: number;
  minMs: number;
  linesPerSecond: number;
  timing: Timing;
}

export async function benchEval(o: EvalBenchOptions): Promise<BenchResult> {
  const { queries, docs, threads } = o;
  positiveCount(queries, 'queries');
  if (!Number.isInteger(docs) || docs < 1 || docs > CORPUS / 2) throw new RangeError(`docs must be an integer in [1, ${CORPUS / 2}], got ${docs}`);
  positiveCount(threads, 'threads');
  const machine = machineStamp(); // first: it fails fast when the addon is missing or stale
  const dir = mkdtempSync(path.join(tmpdir(), 'xmrbench-eval-'));
  try {
    const runPath = path.join(dir, 'run.txt');
    const qrelsPath = path.join(dir, 'qrels.txt');
    const sample = generate(queries, docs, runPath, qrelsPath);
    const readEval = async (t: number): Promise<Evaluation> => {
      // The run first: its workers start parsing while this thread reads the qrels.
      const [run, qrels] = await Promise.all([readRun(runPath, { threads: t }), readQrels(qrelsPath)]);
      return evaluate(qrels, run, MEASURES);
    };
    const reference = await readEval(1);
    checkCorrectness(reference, sample);
    if (threads > 1) deepStrictEqual(await readEval(threads), reference, `bench eval: ${threads} threads disagree with one`);

    const names = threads > 1 ? [`read+evaluate, ${threads} threads`, 'read+evaluate, 1 thread'] : ['read+evaluate, 1 thread'];
    const timings = await measure(
      Object.fromEntries(names.map((name, i) => [name, () => readEval(i === 0 ? threads : 1)])),
      { timeMs: o.timeMs, iterations: o.iterations },
    );
    const drivers: EvalDriver[] = timings.map((t) => ({
      driver: t.name,
      p50Ms: t.p50Ms,
      minMs: t.minMs,
      linesPerSecond: (queries * docs) / (t.p50Ms / 1000),
      timing: t,
    }));
    return {
      workload: 'eval',
      params: { queries, docs, threads, measures: MEASURES, runLines: queries * docs, runBytes: statSync(runPath).size, targetMs: TARGET_MS, seed: SEED },
      machine,
      drivers,
      ...(drivers.length > 1 ? { ratios: { [`${threads} threads / 1 thread (speed-up, p50)`]: drivers[1]!.p50Ms / drivers[0]!.p50Ms } } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Queries kept in memory for the correctness check: docnos in file order with scores, and judgments. */
interface Sample {
  qid: string;
  ranked: { docno: string; score: number }[];
  judged: Map<string, number>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(queries: number, docs: number, runPath: string, qrelsPath: string): Sample[] {
  const rnd = mulberry32(SEED);
  const runFd = openSync(runPath, 'w');
  const qrelsFd = openSync(qrelsPath, 'w');
  const samples: Sample[] = [];
  const picked = new Int32Array(CORPUS).fill(-1);
  const list = new Int32Array(docs);
  let runBlock = '';
  let qrelsBlock = '';
  for (let q = 0; q < queries; q++) {
    const qid = `q${q}`;
    for (let i = 0; i < docs; i++) {
      let d: number;
      do d = Math.floor(rnd() * CORPUS);
      while (picked[d] === q);
      picked[d] = q;
      list[i] = d;
    }
    const sample: Sample | undefined = q < 3 ? { qid, ranked: [], judged: new Map() } : undefined;
    let score = 50 + rnd() * 50;
    for (let i = 0; i < docs; i++) {
      const s = score.toFixed(4);
      runBlock += `${qid} Q0 D${list[i]} ${i + 1} ${s} bench\n`;
      sample?.ranked.push({ docno: `D${list[i]}`, score: Number(s) });
      if (rnd() < 0.9) score -= rnd() * 0.1; // 10% exact ties with the previous document
    }
    const judge = (docno: string, rel: number): void => {
      if (sample?.judged.has(docno) || qrelsBlock.includes(`${qid} 0 ${docno} `)) return;
      qrelsBlock += `${qid} 0 ${docno} ${rel}\n`;
      sample?.judged.set(docno, rel);
    };
    const nJudged = 1 + Math.floor(rnd() * 12);
    for (let j = 0; j < nJudged; j++) {
      const at = Math.floor(rnd() ** 2 * docs); // judgments concentrate near the top
      judge(`D${list[at]}`, Math.floor(rnd() * 5) - 1); // −1 … 3
    }
    if (rnd() < 0.5) judge(`D${CORPUS + q}`, 1 + Math.floor(rnd() * 3)); // relevant, never retrieved
    if (runBlock.length > 1 << 22) {
      writeSync(runFd, runBlock);
      runBlock = '';
    }
    writeSync(qrelsFd, qrelsBlock);
    qrelsBlock = '';
    if (sample !== undefined) samples.push(sample);
  }
  writeSync(runFd, runBlock);
  closeSync(runFd);
  closeSync(qrelsFd);
  return samples;
}

/** Naive reference: sort with strings, score with plain loops, compare with evaluate()'s values. */
function checkCorrectness(ev: Evaluation, samples: Sample[]): void {
  for (const s of samples) {
    const ranked = [...s.ranked].sort((a, b) => b.score - a.score || (a.docno < b.docno ? 1 : a.docno > b.docno ? -1 : 0));
    const rel = ranked.map((r) => s.judged.get(r.docno) ?? 0);
    const numRel = [...s.judged.values()].filter((v) => v >= 1).length;
    const ideal = [...s.judged.values()].filter((v) => v > 0).sort((a, b) => b - a);
    const dcg = (gains: number[], k: number): number => gains.slice(0, k).reduce((acc, g, i) => acc + (g > 0 ? g / Math.log2(i + 2) : 0), 0);
    const idcg = dcg(ideal, 10);
    let ap = 0;
    let hits = 0;
    rel.forEach((r, i) => {
      if (r >= 1) ap += ++hits / (i + 1);
    });
    const first = rel.findIndex((r) => r >= 1);
    const expected: Record<string, number> = {
      'nDCG@10': idcg === 0 ? 0 : dcg(rel, 10) / idcg,
      'RR@10': first >= 0 && first < 10 ? 1 / (first + 1) : 0,
      'R@100': numRel === 0 ? 0 : rel.slice(0, 100).filter((r) => r >= 1).length / numRel,
      AP: numRel === 0 ? 0 : ap / numRel,
      'P@10': rel.slice(0, 10).filter((r) => r >= 1).length / 10,
    };
    const qi = ev.queryIds.indexOf(s.qid);
    for (const m of MEASURES) {
      const got = ev.perQuery.get(m)![qi]!;
      if (Math.abs(got - expected[m]!) > 1e-12) throw new Error(`bench eval: correctness check failed for ${m} on ${s.qid}: got ${got}, expected ${expected[m]}`);
    }
  }
}

export const evalWorkload = defineWorkload<EvalBenchOptions>({
  name: 'eval',
  measures: 'Evaluation from TREC files: read a synthetic run and qrels, rank, score nDCG@10, RR@10, R@100, AP, P@10 (p50 time, lines/s)',
  options: {
    queries: { type: 'number', default: 10000, describe: 'Queries in the run' },
    docs: { type: 'number', default: 1000, describe: 'Retrieved documents per query' },
    iterations: { type: 'number', default: 5, describe: 'Minimum measured iterations per driver' },
  },
  drivers: ['read+evaluate on --threads worker threads', 'read+evaluate on one thread'],
  ratios: ['--threads threads / 1 thread (speed-up, p50; with --threads > 1)'],
  examples: [['$0 bench eval --queries 10000 --docs 1000 --threads 2 --json', 'A 10M-line run (~350 MB) with its qrels, five measures']],
  run: benchEval,
});
