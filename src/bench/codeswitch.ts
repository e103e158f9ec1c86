/**
 * Benchmark: BL-CS and ML-CS code-switching throughput on real text (the committed DDTP training
 * descriptions, repeated to the requested token count) with the committed FreeDict lexicons.
 * Correctness first: the threaded output must equal the single-threaded one. Timing with tinybench
 * (src/bench/measure.ts: warm-up on, samples retained); tokens/s = word tokens per call / mean latency. Tokens per CPU-second
 * (all threads) is reported too: on a shared machine it says what dedicated cores would give.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeSwitchBatch, createCodeSwitcher, emptyStats } from '../augment/codeswitch.js';
import type { CodeSwitchConfig } from '../augment/codeswitch.js';
import { CodeSwitchPool } from '../augment/codeswitch-pool.js';
import { readMuse } from '../data/lexicons/muse.js';
import { packageRoot } from '../native.js';
import { positiveCount } from '../args.js';
import { machineStamp } from './machine.js';
import { measure } from './measure.js';
import { defineWorkload, type BenchResult } from './workload.js';

const path = (p: string): string => join(packageRoot, p);

function workload(tokens: number): { texts: string[]; tokens: number } {
  const docs = readFileSync(path('datasets/ddtp-mini/train/corpus.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const texts: string[] = [];
  let n = 0;
  const re = /[\p{L}\p{M}\p{N}]+/gu;
  for (let i = 0; n < tokens; i++) {
    const t = docs[i % docs.length]!;
    texts.push(t);
    n += t.match(re)?.length ?? 0;
  }
  return { texts, tokens: n };
}

export interface CodeswitchBenchOptions {
  /** Word tokens per call. */
  tokens: number;
  threads: number;
  timeMs: number;
}

export async function benchCodeswitch(opts: CodeswitchBenchOptions): Promise<BenchResult> {
  positiveCount(opts.tokens, 'tokens');
  positiveCount(opts.threads, 'threads');
  const machine = machineStamp(); // first: it fails fast when the addon is missing or stale
  const { texts, tokens } = workload(opts.tokens);
  const lex = (l: string) => ({ lang: l, lexicon: readMuse(path(`datasets/lexicons/en-${l}.txt`)) });
  const configs: Record<string, CodeSwitchConfig> = {
    'BL-CS en→de p=0.5': { mode: 'bl', lexicons: [lex('de')], p: 0.5, seed: 1 },
    'ML-CS en→{de,it,fr,es,ru} p=0.5': { mode: 'ml', lexicons: ['de', 'it', 'fr', 'es', 'ru'].map(lex), p: 0.5, seed: 1 },
  };
  const pools: CodeSwitchPool[] = [];
  const ratios: Record<string, number> = {};
  // CPU seconds of all threads per call: robust to other load on the machine, unlike wall time.
  const cpu: Record<string, { seconds: number; calls: number }> = {};
  const tasks: Record<string, () => Promise<void>> = {};
  let timings;
  try {
    for (const [name, config] of Object.entries(configs)) {
      const pool = new CodeSwitchPool(config, opts.threads);
      pools.push(pool);
      const stats = emptyStats(config.lexicons.map((l) => l.lang));
      const want = codeSwitchBatch(createCodeSwitcher(config), texts, 0, stats);
      const got = await pool.run(texts);
      if (got.length !== want.length || got.some((t, i) => t !== want[i])) throw new Error(`${name}: ${opts.threads}-thread output differs from 1-thread output`);
      ratios[name] = stats.switched / stats.counted;
      const use = (cpu[name] = { seconds: 0, calls: 0 });
      tasks[name] = async () => {
        const c0 = process.cpuUsage();
        await pool.run(texts);
        const c = process.cpuUsage(c0);
        use.seconds += (c.user + c.system) / 1e6;
        use.calls++;
      };
    }
    timings = await measure(tasks, { timeMs: opts.timeMs, iterations: 5, warmupIterations: 2 });
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
  return {
    workload: 'codeswitch',
    params: { tokensPerCall: tokens, texts: texts.length, threads: opts.threads },
    machine,
    drivers: timings.map((t) => ({
      driver: t.name,
      tokensPerSecond: Math.round(tokens / (t.meanMs / 1000)),
      tokensPerCpuSecond: Math.round((tokens * cpu[t.name]!.calls) / cpu[t.name]!.seconds),
      switchRatio: ratios[t.name]!,
      timing: t,
    })),
  };
}

export const codeswitchWorkload = defineWorkload<CodeswitchBenchOptions>({
  name: 'codeswitch',
  measures: 'BL-CS and ML-CS code-switching of real text with the FreeDict lexicons (tokens/s, tokens per CPU-second)',
  options: {
    tokens: { type: 'number', default: 2_000_000, describe: 'Word tokens per call' },
  },
  drivers: ['BL-CS en→de, p = 0.5, on a pool of --threads workers', 'ML-CS en→{de,it,fr,es,ru}, p = 0.5, on a pool of --threads workers'],
  ratios: [],
  examples: [['$0 bench codeswitch --threads 2', '2M word tokens per call']],
  run: benchCodeswitch,
});
