/**
 * `xmrbench bench <workload>`: the benchmarks in bench/, one subcommand per workload. Each prints
 * a table (or, with --json, the full result with its machine stamp) and can save it with --out.
 */
import { writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';

type Result = Record<string, unknown>;

function emit(result: Result, argv: { json?: boolean; out?: string }): void {
  const text = JSON.stringify(result, null, 2);
  if (argv.out) writeFileSync(argv.out, text + '\n');
  if (argv.json) {
    console.log(text);
    return;
  }
  const drivers = (result.drivers ?? []) as { driver: string; [key: string]: unknown }[];
  const m = result.machine as { cpu: string; cores: number; isa: string; node: string } | undefined;
  if (m) console.log(`${m.cpu}, ${m.cores} cores, ISA path ${m.isa}, Node ${m.node}`);
  const fmt = (v: unknown) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : String(v ?? ''));
  for (const d of drivers) {
    const cols = Object.entries(d).filter(([k, v]) => k !== 'driver' && k !== 'timing' && k !== 'note' && typeof v === 'number');
    console.log(`  ${d.driver.padEnd(28)} ${cols.map(([k, v]) => `${k} ${fmt(v)}`).join('   ')}`);
  }
  for (const [k, v] of Object.entries((result.ratios ?? {}) as Record<string, number>)) console.log(`  ratio ${k}: ${v.toFixed(2)}×`);
  if (typeof result.faiss === 'string') console.log(`  ${result.faiss}`);
}

const common = (y: Argv) =>
  y
    .option('threads', { type: 'number', default: 2, describe: 'Threads for the native kernels' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the full result as JSON' })
    .option('out', { type: 'string', describe: 'Also write the JSON result to this file' })
    .option('time', { type: 'number', default: 3000, describe: 'Time budget per measured task (ms)' });

const topk: CommandModule = {
  command: 'topk',
  describe: 'Exact top-k search: xmrbench f32 and bf16 vs TypeScript and FAISS',
  builder: (y) =>
    common(y)
      .option('docs', { type: 'number', default: 100000 })
      .option('dim', { type: 'number', default: 384 })
      .option('queries', { type: 'number', default: 1000 })
      .option('k', { type: 'number', default: 100 })
      .option('isa', { type: 'string', default: 'auto', choices: ['auto', 'scalar', 'avx2', 'avx512', 'avx512-bf16'] })
      .option('baseline-queries', { type: 'number', default: 4, describe: 'Queries the TypeScript baseline runs' })
      .option('seed', { type: 'number', default: 1 })
      .example('$0 bench topk --docs 100000 --dim 384 --queries 1000 --k 100 --threads 2 --json', 'The issue #2 workload')
      .example('$0 bench topk --docs 1000000 --dim 128 --queries 100 --k 10', 'A large corpus, few queries'),
  handler: async (argv) => {
    const { benchTopK } = await import('../../bench/topk.js');
    const a = argv as unknown as Record<string, number | string | boolean>;
    emit(
      await benchTopK({
        docs: a.docs as number,
        dim: a.dim as number,
        queries: a.queries as number,
        k: a.k as number,
        threads: a.threads as number,
        isa: a.isa as 'auto',
        baselineQueries: a['baseline-queries'] as number,
        seed: a.seed as number,
        timeMs: a.time as number,
      }),
      argv as { json?: boolean; out?: string },
    );
  },
};

const perturbCmd: CommandModule = {
  command: 'perturb',
  describe: 'Perturbation kernel (x + ε·sign(g), x + ε·g/‖g‖, projection) in GB/s against a memory copy of the same size',
  builder: (y) =>
    common(y)
      .option('floats', { type: 'number', default: 256 * 128 * 768, describe: 'Floats per array (default 256 sequences × 128 tokens × 768 dims: 96 MiB each)' })
      .option('group-size', { type: 'number', default: 128 * 768, describe: 'Floats per l2 group (tokens × dim)' })
      .example('$0 bench perturb --threads 2 --json', 'The issue #6 throughput target (≥ 80% of a copy)'),
  handler: async (argv) => {
    const { benchPerturb } = await import('../../bench/perturb.js');
    const a = argv as unknown as Record<string, number>;
    emit(await benchPerturb({ floats: a.floats!, groupSize: a['group-size']!, threads: a.threads!, timeMs: a.time! }), argv as { json?: boolean; out?: string });
  },
};

const TOKENIZE_FIXTURES = ['wordpiece-uncased', 'unigram-metaspace', 'roberta-bytelevel', 'clip-bpe'] as const;

const tokenize: CommandModule = {
  command: 'tokenize',
  describe: 'Tokenization: xmrbench native vs tokenizers (Rust) and @huggingface/tokenizers (JS)',
  builder: (y) =>
    common(y)
      .option('texts', { type: 'number', default: 10000, describe: 'DDTP descriptions per batch (languages interleaved)' })
      .option('tokenizers', { type: 'string', array: true, describe: `Fixtures to run (default all: ${TOKENIZE_FIXTURES.join(', ')})` })
      .example('$0 bench tokenize --texts 10000 --threads 2', 'The issue #5 workload')
      .example('$0 bench tokenize --tokenizers roberta-bytelevel clip-bpe', 'Byte-level BPE only (issue #11)'),
  handler: async (argv) => {
    const { benchTokenize } = await import('../../bench/tokenize.js');
    const a = argv as unknown as Record<string, number>;
    const names = (argv.tokenizers as string[] | undefined) ?? [...TOKENIZE_FIXTURES];
    for (const n of names) if (!(TOKENIZE_FIXTURES as readonly string[]).includes(n)) throw new RangeError(`tokenizers must be among ${TOKENIZE_FIXTURES.join(', ')}, got ${n}`);
    emit(await benchTokenize({ texts: a.texts!, threads: a.threads!, timeMs: a.time!, tokenizers: names }), argv as { json?: boolean; out?: string });
  },
};

const evalWorkload: CommandModule = {
  command: 'eval',
  describe: 'Evaluation from TREC files: read a run and qrels, score nDCG@10, RR@10, R@100, AP, P@10',
  builder: (y) =>
    common(y)
      .option('queries', { type: 'number', default: 10000 })
      .option('docs', { type: 'number', default: 1000, describe: 'Retrieved documents per query' })
      .option('iterations', { type: 'number', default: 5, describe: 'Minimum measured iterations per driver' })
      .example('$0 bench eval --queries 10000 --docs 1000 --threads 2 --json', 'The issue #3 workload (target < 1.5 s)'),
  handler: async (argv) => {
    const { benchEval } = await import('../../bench/eval.js');
    const a = argv as unknown as Record<string, number>;
    emit(
      await benchEval({ queries: a.queries!, docs: a.docs!, threads: a.threads!, timeMs: a.time!, iterations: a.iterations! }),
      argv as { json?: boolean; out?: string },
    );
  },
};

const significance: CommandModule = {
  command: 'significance',
  describe: 'Paired randomization test: random sign flips × queries, on worker threads and on the calling thread',
  builder: (y) =>
    common(y)
      .option('queries', { type: 'number', default: 10000 })
      .option('permutations', { type: 'number', default: 10000 })
      .example('$0 bench significance --queries 10000 --permutations 10000 --threads 2', 'The issue #3 workload (target < 0.5 s)'),
  handler: async (argv) => {
    const { benchSignificance } = await import('../../bench/significance.js');
    const a = argv as unknown as Record<string, number>;
    emit(await benchSignificance({ queries: a.queries!, permutations: a.permutations!, threads: a.threads!, timeMs: a.time! }), argv as { json?: boolean; out?: string });
  },
};

const codeswitch: CommandModule = {
  command: 'codeswitch',
  describe: 'BL-CS and ML-CS code-switching of real text with the FreeDict lexicons, in tokens/s',
  builder: (y) =>
    common(y)
      .option('tokens', { type: 'number', default: 2_000_000, describe: 'Word tokens per call' })
      .example('$0 bench codeswitch --threads 2', 'The issue #4 workload (target ≥ 2M tokens/s)'),
  handler: async (argv) => {
    const { benchCodeswitch } = await import('../../bench/codeswitch.js');
    const a = argv as unknown as Record<string, number>;
    emit(await benchCodeswitch({ tokens: a.tokens!, threads: a.threads!, timeMs: a.time! }), argv as { json?: boolean; out?: string });
  },
};

const trainCmd: CommandModule = {
  command: 'train',
  describe: 'Dual-encoder training throughput (pairs/s): xmrbench native vs PyTorch on the CPU',
  builder: (y) =>
    common(y)
      .option('pairs', { type: 'number', default: 4096, describe: 'Training pairs per measured epoch' })
      .option('batch', { type: 'number', default: 64 })
      .option('dim', { type: 'number', default: 256 })
      .option('out-dim', { type: 'number', default: 0, describe: 'Rows of a projection W (0: none)' })
      .option('vocab', { type: 'number', default: 30000 })
      .option('adv', { type: 'string', choices: ['none', 'fgsm'], default: 'none', describe: 'Also time FGSM adversarial training' })
      .example('$0 bench train --threads 2 --json', 'The issue #6 comparison (target ≥ 2× PyTorch)')
      .example('$0 bench train --adv fgsm', 'With FGSM adversarial training in both'),
  handler: async (argv) => {
    const { benchTrain } = await import('../../bench/train.js');
    const a = argv as unknown as Record<string, number | string>;
    emit(
      await benchTrain({
        pairs: a.pairs as number,
        batch: a.batch as number,
        dim: a.dim as number,
        outDim: a['out-dim'] as number,
        vocab: a.vocab as number,
        adv: a.adv as 'none' | 'fgsm',
        threads: a.threads as number,
        timeMs: a.time as number,
      }),
      argv as { json?: boolean; out?: string },
    );
  },
};

export const benchCommand: CommandModule = {
  command: 'bench <workload>',
  describe: 'Benchmarks: drivers timed side by side in one run, reported as ratios',
  builder: (y) =>
    y
      .command(topk)
      .command(tokenize)
      .command(perturbCmd)
      .command(evalWorkload)
      .command(significance)
      .command(codeswitch)
      .command(trainCmd)
      .demandCommand(1, 'Name a workload.')
      .example('$0 bench topk --json', 'Top-k search throughput')
      .example('$0 bench eval --json', 'Reading and evaluating a 10M-line run'),
  handler: () => undefined,
};

