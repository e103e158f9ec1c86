/**
 * Workload `eval`: evaluation end to end from TREC files — read a run and qrels, rank, score five
 * measures (nDCG@10, RR, R@100, AP, P@10: what trec_eval computes in one run; it has no RR cutoff
 * but -M, which would cut every measure). Target (issue 16): the `xmrbench eval` command, process
 * start to printed table, ≥ 10× trec_eval 10.0 on the same files.
 *
 * Two sets of synthetic files, generated per call in a temporary folder from a seeded generator:
 * - `--preset ties` (the default): a 1M-document corpus, runs written in descending score order as retrievers
 *   write them, scores rounded to 4 decimals so ties occur (written in the "wrong" docno order, so
 *   the tie-break sort is exercised), qrels with graded, zero and negative judgments and relevant
 *   documents that were not retrieved.
 * - `--preset uniform`: the workload of issue 16 — docnos `d0 … d200000`, scores uniform in [0, 1)
 *   with six decimals, ranks in score order; 12 judged documents per query (8 of the retrieved, 4 of
 *   the corpus), relevance drawn from 0, 1, 1, 2, 3.
 * Before anything is timed, a few queries are checked against a naive string-based implementation,
 * the threaded reader against one thread, and `xmrbench eval` against trec_eval on every per-query
 * value (both print four decimals), and the run read in windows (what the CLI does) against readRun.
 * Drivers: read+evaluate in process as `xmrbench eval` runs it (eval/evaluate-file.ts) with `threads`
 * threads and with one; then, in interleaved rounds, the `xmrbench eval` CLI and trec_eval (built from
 * ../shared/tools, see trec-eval.ts) as child processes. Also reported: the run reader alone in MB/s
 * for the file in the page cache (in windows, and whole), beside a plain sequential read of the same
 * file in the same run (fs.readSync into one reused buffer: issue 16's roof) and the machine's STREAM
 * copy bandwidth on `threads` threads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, writeSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { deepStrictEqual } from 'node:assert/strict';
import { readQrels, readRun } from '../data/trec/index.js';
import { readRunInWindows } from '../data/trec/run-windows.js';
import { evaluate, type Evaluation } from '../eval/evaluate.js';
import { evaluateRunFile } from '../eval/evaluate-file.js';
import { parseMeasures } from '../eval/measures.js';
import { outputDifferences, ownTrecName, parseTrecEvalOutput } from '../eval/trec-eval-output.js';
import { positiveCount } from '../args.js';
import { rng } from '../random.js';
import { packageRoot } from '../native.js';
import { machineStamp } from './machine.js';
import { measure, type Timing } from './measure.js';
import { streamRate } from './profile/probes.js';
import { readThrough } from './sequential-read.js';
import { trecEvalBinary, trecEvalMeasureArgs } from './trec-eval.js';
import { defineWorkload, type BenchResult, type DriverResult, type ExternalTiming } from './workload.js';

const MEASURES = ['nDCG@10', 'RR', 'R@100', 'AP', 'P@10'];
const SEED = 20240611;

export type EvalPreset = 'ties' | 'uniform';
const PRESETS: readonly EvalPreset[] = ['ties', 'uniform'];
/** Corpus size per preset: docnos are drawn from it. */
const CORPUS: Record<EvalPreset, number> = { ties: 1_000_000, uniform: 200_001 };

export interface EvalBenchOptions {
  queries: number;
  docs: number;
  /** Worker threads for reading the run (the second driver always uses one). */
  threads: number;
  timeMs: number;
  iterations: number;
  /** Interleaved rounds of the two child processes (xmrbench eval, trec_eval). */
  rounds: number;
  preset: EvalPreset;
}

interface EvalDriver extends DriverResult {
  p50Ms: number;
  minMs: number;
  linesPerSecond: number;
  timing: Timing | ExternalTiming;
}

export async function benchEval(o: EvalBenchOptions): Promise<BenchResult> {
  const { queries, docs, threads, preset } = o;
  positiveCount(queries, 'queries');
  if (!PRESETS.includes(preset)) throw new RangeError(`preset must be one of ${PRESETS.join(', ')}, got ${JSON.stringify(preset)}`);
  if (!Number.isInteger(docs) || docs < 1 || docs > CORPUS[preset] / 2) throw new RangeError(`docs must be an integer in [1, ${CORPUS[preset] / 2}], got ${docs}`);
  positiveCount(threads, 'threads');
  positiveCount(o.rounds, 'rounds');
  const machine = machineStamp(); // first: it fails fast when the addon is missing or stale
  const loadBefore = loadavg()[0]!;
  const trecEval = trecEvalBinary();
  const dir = mkdtempSync(path.join(tmpdir(), 'xmrbench-eval-'));
  try {
    const runPath = path.join(dir, 'run.txt');
    const qrelsPath = path.join(dir, 'qrels.txt');
    const sample = (preset === 'ties' ? generateTies : generateUniform)(queries, docs, runPath, qrelsPath);
    const runBytes = statSync(runPath).size;
    // What `xmrbench eval` runs: the qrels, then the run in windows of whole queries.
    const readEval = async (t: number): Promise<Evaluation> => evaluateRunFile(await readQrels(qrelsPath), runPath, MEASURES, { threads: t });
    const [wholeRun, qrels] = await Promise.all([readRun(runPath, { threads: 1 }), readQrels(qrelsPath)]);
    const reference = evaluate(qrels, wholeRun, MEASURES);
    checkCorrectness(reference, sample);
    deepStrictEqual(await readEval(1), reference, 'bench eval: the run read in windows disagrees with readRun');
    if (threads > 1) deepStrictEqual(await readEval(threads), reference, `bench eval: ${threads} threads disagree with one`);

    // The commands timed end to end, checked first: every per-query value and mean must print alike.
    const cli = [path.join(packageRoot, 'bin', 'xmrbench.js'), 'eval', '--qrels', qrelsPath, '--run', runPath, '--metrics', MEASURES.join(',')];
    const trecArgs = 'path' in trecEval ? ['-c', ...trecEvalMeasureArgs(parseMeasures(MEASURES)), qrelsPath, runPath] : [];
    if ('path' in trecEval) {
      const ours = parseTrecEvalOutput(child(process.execPath, [...cli, '--per-query', '--format', 'trec']).stdout, ownTrecName);
      const theirs = parseTrecEvalOutput(child(trecEval.path, ['-q', ...trecArgs]).stdout);
      const diff = outputDifferences(ours, theirs);
      if (diff.length > 0) throw new Error(`bench eval: xmrbench eval and trec_eval print different values: ${diff.join('; ')}`);
      if (theirs.size !== MEASURES.length || theirs.get('AP')!.size !== queries + 1) throw new Error(`bench eval: trec_eval printed ${theirs.size} measures, ${theirs.get('AP')?.size} AP lines`);
    }

    const names = threads > 1 ? [`read+evaluate, ${threads} threads`, 'read+evaluate, 1 thread'] : ['read+evaluate, 1 thread'];
    const timings = await measure(
      Object.fromEntries(names.map((name, i) => [name, () => readEval(i === 0 ? threads : 1)])),
      { timeMs: o.timeMs, iterations: o.iterations },
    );
    const drivers: EvalDriver[] = timings.map((t) => ({ driver: t.name, p50Ms: t.p50Ms, minMs: t.minMs, linesPerSecond: (queries * docs) / (t.p50Ms / 1000), timing: t }));

    // The two commands as child processes, in interleaved rounds (the machine's load moves both alike).
    const seconds: Record<string, number[]> = { 'xmrbench eval (CLI)': [], 'trec_eval 10.0': [] };
    for (let r = 0; r < o.rounds; r++) {
      seconds['xmrbench eval (CLI)']!.push(timed(() => child(process.execPath, cli)));
      if ('path' in trecEval) seconds['trec_eval 10.0']!.push(timed(() => child(trecEval.path, trecArgs)));
    }
    for (const [name, s] of Object.entries(seconds)) if (s.length > 0) drivers.push(external(name, s, queries * docs));

    // The run reader alone (the file is in the page cache by now) beside its roofs: in windows as
    // `xmrbench eval` reads it, and whole (readRun, every row held at once); a plain sequential read
    // of the same file (issue 16's roof: the machine's read rate for a page-cached file, what a
    // reader that did no work would reach) and the STREAM copy bandwidth.
    const readers = await measure(
      {
        [`run reader in windows, ${threads} threads`]: async () => {
          if (!(await readRunInWindows(runPath, () => {}, { threads }))) throw new Error('bench eval: the run was not read in windows');
        },
        [`readRun, ${threads} threads`]: () => readRun(runPath, { threads }),
        'sequential read (readSync, 1 MiB buffer)': () => readThrough(runPath, Buffer.allocUnsafe(1 << 20)),
      },
      { timeMs: o.timeMs, iterations: o.iterations },
    );
    const copy = streamRate('copy', 1 << 24, threads);
    for (const t of readers) drivers.push({ driver: t.name, p50Ms: t.p50Ms, minMs: t.minMs, linesPerSecond: (queries * docs) / (t.p50Ms / 1000), mbPerSecond: runBytes / 1e6 / (t.p50Ms / 1000), copyGbPerSecond: copy.perSecond / 1e9, timing: t });
    const [readMs, wholeMs, seqMs] = readers as [Timing, Timing, Timing];

    const cliP50 = drivers.find((d) => d.driver === 'xmrbench eval (CLI)')!.p50Ms as number;
    const trecP50 = drivers.find((d) => d.driver === 'trec_eval 10.0')?.p50Ms as number | undefined;
    return {
      workload: 'eval',
      params: { preset, queries, docs, threads, rounds: o.rounds, measures: MEASURES, runLines: queries * docs, runBytes, seed: SEED, loadAverage: [loadBefore, loadavg()[0]!] },
      machine,
      drivers,
      ratios: {
        ...(threads > 1 ? { [`${threads} threads / 1 thread (speed-up, p50)`]: (drivers[1]!.p50Ms as number) / drivers[0]!.p50Ms } : {}),
        ...(trecP50 !== undefined ? { 'trec_eval / xmrbench eval CLI (speed-up, p50 end to end)': trecP50 / cliP50 } : {}),
        'run reader (windows) MB/s / STREAM copy MB/s': runBytes / (readMs.p50Ms / 1000) / copy.perSecond,
        'run reader (windows) MB/s / sequential read MB/s': seqMs.p50Ms / readMs.p50Ms,
        'readRun (whole) MB/s / sequential read MB/s': seqMs.p50Ms / wholeMs.p50Ms,
      },
      ...('skip' in trecEval ? { trecEval: trecEval.skip } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command to completion; a non-zero exit is an error with its stderr. */
function child(cmd: string, args: string[]): { stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`bench eval: ${path.basename(cmd)} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout };
}

function timed(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
}

function external(driver: string, seconds: number[], lines: number): EvalDriver {
  const sorted = [...seconds].sort((a, b) => a - b);
  const p50 = (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
  const mean = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  return { driver, p50Ms: p50 * 1000, minMs: sorted[0]! * 1000, linesPerSecond: lines / p50, timing: { samples: seconds.length, meanMs: mean * 1000, minMs: sorted[0]! * 1000 } };
}

/** Queries kept in memory for the correctness check: docnos in file order with scores, and judgments. */
interface Sample {
  qid: string;
  ranked: { docno: string; score: number }[];
  judged: Map<string, number>;
}

/** A document of 0 … corpus−1 not yet drawn for query q (drawn ones have picked[d] === q), marked drawn. */
function drawUnpicked(rnd: () => number, corpus: number, picked: Int32Array, q: number): number {
  let d: number;
  do d = Math.floor(rnd() * corpus);
  while (picked[d] === q);
  picked[d] = q;
  return d;
}

/** One query's lines for the two files, and its sample when it is one of the first three. */
interface QueryLines {
  run: string;
  qrels: string;
  sample?: Sample;
}

/**
 * Writes the run and the qrels query by query from `query(q)` (called for q = 0 … queries−1 in
 * order, so a seeded generator gives the same files every time), the run in blocks of ~4 MB; both
 * files are closed however it ends. Returns the samples.
 */
function writeQueries(queries: number, runPath: string, qrelsPath: string, query: (q: number) => QueryLines): Sample[] {
  const runFd = openSync(runPath, 'w');
  try {
    const qrelsFd = openSync(qrelsPath, 'w');
    try {
      const samples: Sample[] = [];
      let runBlock = '';
      for (let q = 0; q < queries; q++) {
        const lines = query(q);
        runBlock += lines.run;
        if (runBlock.length > 1 << 22) {
          writeSync(runFd, runBlock);
          runBlock = '';
        }
        writeSync(qrelsFd, lines.qrels);
        if (lines.sample !== undefined) samples.push(lines.sample);
      }
      writeSync(runFd, runBlock);
      return samples;
    } finally {
      closeSync(qrelsFd);
    }
  } finally {
    closeSync(runFd);
  }
}

function generateTies(queries: number, docs: number, runPath: string, qrelsPath: string): Sample[] {
  const corpus = CORPUS.ties;
  const rnd = rng(SEED);
  const picked = new Int32Array(corpus).fill(-1);
  const list = new Int32Array(docs);
  return writeQueries(queries, runPath, qrelsPath, (q) => {
    const qid = `q${q}`;
    for (let i = 0; i < docs; i++) list[i] = drawUnpicked(rnd, corpus, picked, q);
    const sample: Sample | undefined = q < 3 ? { qid, ranked: [], judged: new Map() } : undefined;
    let run = '';
    let score = 50 + rnd() * 50;
    for (let i = 0; i < docs; i++) {
      const s = score.toFixed(4);
      run += `${qid} Q0 D${list[i]} ${i + 1} ${s} bench\n`;
      sample?.ranked.push({ docno: `D${list[i]}`, score: Number(s) });
      if (rnd() < 0.9) score -= rnd() * 0.1; // 10% exact ties with the previous document
    }
    let qrels = '';
    const judge = (docno: string, rel: number): void => {
      if (sample?.judged.has(docno) || qrels.includes(`${qid} 0 ${docno} `)) return;
      qrels += `${qid} 0 ${docno} ${rel}\n`;
      sample?.judged.set(docno, rel);
    };
    const nJudged = 1 + Math.floor(rnd() * 12);
    for (let j = 0; j < nJudged; j++) {
      const at = Math.floor(rnd() ** 2 * docs); // judgments concentrate near the top
      judge(`D${list[at]}`, Math.floor(rnd() * 5) - 1); // −1 … 3
    }
    if (rnd() < 0.5) judge(`D${corpus + q}`, 1 + Math.floor(rnd() * 3)); // relevant, never retrieved
    return { run, qrels, ...(sample === undefined ? {} : { sample }) };
  });
}

/**
 * Issue 16's files: per query 1,000 distinct docnos `d<0…200000>`, scores uniform with six decimals
 * written in score order (ranks 1…n), and 12 distinct judged documents (8 drawn from the retrieved, 4
 * from the corpus) with relevance drawn from 0, 1, 1, 2, 3.
 */
function generateUniform(queries: number, docs: number, runPath: string, qrelsPath: string): Sample[] {
  const corpus = CORPUS.uniform;
  const rnd = rng(SEED);
  const picked = new Int32Array(corpus).fill(-1);
  const list = new Int32Array(docs);
  const micros = new Int32Array(docs);
  const order = new Int32Array(docs);
  const levels = [0, 1, 1, 2, 3];
  return writeQueries(queries, runPath, qrelsPath, (q) => {
    const qid = `q${q}`;
    for (let i = 0; i < docs; i++) {
      list[i] = drawUnpicked(rnd, corpus, picked, q);
      micros[i] = Math.floor(rnd() * 1e6);
      order[i] = i;
    }
    order.sort((a, b) => micros[b]! - micros[a]!);
    const sample: Sample | undefined = q < 3 ? { qid, ranked: [], judged: new Map() } : undefined;
    let run = '';
    for (let r = 0; r < docs; r++) {
      const i = order[r]!;
      const score = (micros[i]! / 1e6).toFixed(6);
      run += `${qid} Q0 d${list[i]} ${r + 1} ${score} run\n`;
      sample?.ranked.push({ docno: `d${list[i]}`, score: Number(score) });
    }
    const judged = new Set<number>();
    let qrels = '';
    const fromRun = Math.min(8, docs);
    while (judged.size < fromRun + 4) {
      const d = judged.size < fromRun ? list[Math.floor(rnd() * docs)]! : Math.floor(rnd() * corpus);
      if (judged.has(d)) continue;
      judged.add(d);
      const rel = levels[Math.floor(rnd() * levels.length)]!;
      qrels += `${qid} 0 d${d} ${rel}\n`;
      sample?.judged.set(`d${d}`, rel);
    }
    return { run, qrels, ...(sample === undefined ? {} : { sample }) };
  });
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
      RR: first >= 0 ? 1 / (first + 1) : 0,
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
  measures: 'Evaluation from TREC files: read a synthetic run and qrels, rank, score nDCG@10, RR, R@100, AP, P@10; the `xmrbench eval` command against trec_eval (p50 time, lines/s, ratio)',
  options: {
    queries: { type: 'number', default: 10000, describe: 'Queries in the run' },
    docs: { type: 'number', default: 1000, describe: 'Retrieved documents per query' },
    iterations: { type: 'number', default: 5, describe: 'Minimum measured iterations per in-process driver' },
    rounds: { type: 'number', default: 5, describe: 'Interleaved rounds of the two commands (xmrbench eval, trec_eval) as child processes' },
    preset: { type: 'string', default: 'ties', choices: PRESETS, describe: "The files: 'ties' (1M-document corpus, 4-decimal scores with ties, graded and negative judgments) or 'uniform' (docnos d0…d200000, uniform 6-decimal scores, 12 judgments per query with relevance from 0, 1, 1, 2, 3)" },
  },
  drivers: [
    'read+evaluate in process on --threads threads, and on one',
    '`xmrbench eval` as a child process, end to end (interleaved with trec_eval)',
    'trec_eval 10.0 -c, built from ../shared/tools or XMR_TOOLS_DIR (skipped with a message without it)',
    'the run reader alone, in windows and whole (MB/s, file in the page cache) beside a plain sequential read of the same file and the STREAM copy bandwidth',
  ],
  ratios: [
    '--threads threads / 1 thread (speed-up, p50; with --threads > 1)',
    'trec_eval / xmrbench eval CLI (p50 end to end)',
    'run reader (windows) MB/s / STREAM copy bandwidth',
    'run reader (windows) MB/s / sequential read MB/s, and readRun (whole) MB/s / sequential read MB/s',
  ],
  examples: [
    ['$0 bench eval --threads 2', 'The default files: a 10M-line run (~350 MB) with its qrels, five measures'],
    ['$0 bench eval --preset uniform --threads 2', 'Uniform 6-decimal scores over 200,001 docnos (~330 MB run)'],
  ],
  run: benchEval,
});
