/**
 * Workload `train`: training throughput (pairs/s) of the dual encoder — xmrbench's native trainer
 * against the same model, loss, batches and optimiser in PyTorch on the CPU (Debian's
 * python3-torch, bench/torch_dual_encoder.py, EmbeddingBag mean pooling + SparseAdam).
 *
 * Data: a synthetic pool shaped like datasets/ddtp-mini's training pairs (queries of 3–12 tokens,
 * documents of 30–128, Zipf-distributed ids over a 30k vocabulary), the same index arrays for both
 * drivers (written to a temporary folder for Python). One task = one epoch over `pairs` pairs.
 * Correctness first: the native trainer's loss must fall over the warm-up epochs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DualEncoder, type Sequences } from '../encoders/dual-encoder-model.js';
import { DualEncoderTrainer } from '../train/trainer.js';
import { rng } from '../random.js';
import { COMPETITOR_SCRIPTS } from './competitors.js';
import { machineStamp } from './machine.js';
import { measure } from './measure.js';
import { defineWorkload, type BenchResult, type DriverResult } from './workload.js';

export interface TrainBenchOptions {
  pairs: number;
  batch: number;
  dim: number;
  threads: number;
  timeMs: number;
  /** Vocabulary size; default 30000. */
  vocab?: number;
  /** 'none' (default) or 'fgsm' (ε absolute 0.01, λ = 1) for both drivers. */
  adv?: 'none' | 'fgsm';
  /** Projection rows; default 0. */
  outDim?: number;
}

/** Queries then documents: pairs queries of 3–12 tokens and pairs documents of 30–128 tokens. */
function syntheticPool(pairs: number, vocab: number, seed: number): Sequences {
  const r = rng(seed);
  const lens: number[] = [];
  for (let i = 0; i < pairs; i++) lens.push(3 + Math.floor(r() * 10));
  for (let i = 0; i < pairs; i++) lens.push(30 + Math.floor(r() * 99));
  const offsets = new Uint32Array(lens.length + 1);
  lens.forEach((l, i) => (offsets[i + 1] = offsets[i]! + l));
  const ids = new Int32Array(offsets[lens.length]!);
  // Zipf-like: id = floor(V^u) − 1 puts most tokens on frequent rows, as text does.
  for (let t = 0; t < ids.length; t++) ids[t] = Math.min(vocab - 1, Math.floor(Math.pow(vocab, r())) - 1);
  return { ids, offsets };
}

export async function benchTrain(opts: TrainBenchOptions): Promise<BenchResult> {
  const vocab = opts.vocab ?? 30000;
  const adv = opts.adv ?? 'none';
  const outDim = opts.outDim ?? 0;
  const tau = 0.1;
  const eps = 0.01;
  const steps = Math.floor(opts.pairs / opts.batch);
  if (steps < 1) throw new RangeError(`pairs (${opts.pairs}) must be ≥ batch (${opts.batch})`);
  const pool = syntheticPool(opts.pairs, vocab, 7);
  const q = new Int32Array(steps * opts.batch);
  const d = new Int32Array(steps * opts.batch);
  for (let i = 0; i < q.length; i++) {
    q[i] = i;
    d[i] = opts.pairs + i;
  }
  const model = DualEncoder.create({ vocabSize: vocab, dim: opts.dim, outDim, seed: 1, initStd: 0.1 });
  const trainer = new DualEncoderTrainer(model, { tau, lr: 5e-3, threads: opts.threads, adv, eps, epsRelative: false, lambda: 1 });
  const batches = { queries: q, positives: d, batch: opts.batch };
  const first = trainer.trainSync(pool, batches).loss;
  const second = trainer.trainSync(pool, batches).loss;
  const mean = (a: Float32Array) => a.reduce((x, y) => x + y, 0) / a.length;
  if (!(mean(second) < mean(first))) throw new Error(`the native trainer's loss did not fall (${mean(first)} → ${mean(second)})`);

  const [native] = await measure({ 'xmrbench native': () => trainer.trainSync(pool, batches) }, { timeMs: opts.timeMs, iterations: 3 });
  const drivers: DriverResult[] = [
    {
      driver: 'xmrbench native',
      pairsPerSecond: (steps * opts.batch) / (native!.meanMs / 1000),
      msPerStep: native!.meanMs / steps,
      timing: native!,
    },
  ];

  let torchNote: string | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-train-'));
  try {
    const f = (name: string, a: Int32Array | Uint32Array) => {
      const file = path.join(dir, name);
      writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return file;
    };
    const base = [COMPETITOR_SCRIPTS.torch, f('ids.i32', pool.ids), f('offsets.u32', pool.offsets), f('q.i32', q), f('d.i32', d), `${vocab}`, `${opts.dim}`, `${outDim}`, `${opts.batch}`, `${opts.threads}`, `${tau}`, adv, `${eps}`, `${opts.timeMs / 1000}`];
    for (const mode of ['sparse', 'dense', 'noopt'] as const) {
      const out = JSON.parse(execFileSync('/usr/bin/python3', [...base, mode], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] })) as {
        torch: string;
        threads: number;
        seconds: number[];
        lastLoss: number;
      };
      const meanS = out.seconds.reduce((a, b) => a + b, 0) / out.seconds.length;
      drivers.push({
        driver: `pytorch ${out.torch} ${mode}`,
        pairsPerSecond: (steps * opts.batch) / meanS,
        msPerStep: (meanS * 1000) / steps,
        timing: { samples: out.seconds.length, meanMs: meanS * 1000, minMs: Math.min(...out.seconds) * 1000 },
        note:
          (mode === 'sparse'
            ? 'EmbeddingBag(mean, sparse=True) + SparseAdam (lazy rows, as native)'
            : mode === 'dense'
              ? 'EmbeddingBag(mean) + dense Adam on every row'
              : 'forward + backward only, no optimiser step (a lower bound, not the same work)') + `, torch.set_num_threads(${out.threads}), child process`,
      });
    }
  } catch (e) {
    torchNote = `pytorch not measured: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratios: Record<string, number> = {};
  const torchRates = drivers.filter((x) => String(x.driver).startsWith('pytorch') && !String(x.driver).endsWith('noopt')).map((x) => x.pairsPerSecond as number);
  for (const x of drivers.slice(1)) ratios[`native / ${String(x.driver).split(' ').slice(-1)[0]} pytorch`] = (drivers[0]!.pairsPerSecond as number) / (x.pairsPerSecond as number);
  if (torchRates.length > 0) ratios['native / fastest pytorch'] = (drivers[0]!.pairsPerSecond as number) / Math.max(...torchRates);
  return {
    workload: 'train',
    params: { pairs: steps * opts.batch, batch: opts.batch, dim: opts.dim, outDim, vocab, threads: opts.threads, adv, tau, tokensPerPair: pool.ids.length / opts.pairs },
    machine: machineStamp(),
    drivers,
    ratios,
    ...(torchNote ? { torch: torchNote } : {}),
  };
}

export const trainWorkload = defineWorkload<TrainBenchOptions>({
  name: 'train',
  measures: 'Dual-encoder training throughput (pairs/s, ms per step): xmrbench native vs the same model, loss and optimiser in PyTorch on the CPU',
  options: {
    pairs: { type: 'number', default: 4096, describe: 'Training pairs per measured epoch' },
    batch: { type: 'number', default: 64, describe: 'Pairs per batch (in-batch negatives)' },
    dim: { type: 'number', default: 256, describe: 'Embedding dimension' },
    outDim: { type: 'number', default: 0, describe: 'Rows of a projection W (0: none)' },
    vocab: { type: 'number', default: 30000, describe: 'Vocabulary size' },
    adv: { type: 'string', choices: ['none', 'fgsm'], default: 'none', describe: 'Also time FGSM adversarial training' },
  },
  drivers: [
    'xmrbench native: DualEncoderTrainer.trainSync, one epoch per task',
    'pytorch sparse: EmbeddingBag(mean, sparse=True) + SparseAdam, in a child process (skipped, saying so, where python3-torch is missing)',
    'pytorch dense: EmbeddingBag(mean) + dense Adam',
    'pytorch noopt: forward + backward only (a lower bound, not the same work)',
  ],
  ratios: ['native / sparse, dense, noopt pytorch', 'native / fastest pytorch (sparse or dense; pairs/s)'],
  examples: [
    ['$0 bench train --threads 2 --json', 'd = 256, batch 64, beside PyTorch'],
    ['$0 bench train --adv fgsm', 'With FGSM adversarial training in both'],
  ],
  run: benchTrain,
});
