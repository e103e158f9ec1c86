/**
 * Workload `image-tower-train`: CLIP training throughput (pairs/s) of the native image tower with
 * its text tower — ImageTextTrainer from pixels, symmetric InfoNCE at a fixed τ, Adam (lazy rows on
 * the token embeddings) — against the same model, loss, batches, optimiser and sizes in PyTorch on
 * the CPU (Debian's python3-torch, bench/torch_clip.py), side by side in one run, same thread count.
 *
 * Sizes default to the study's image–text towers: 32 × 32 images, 4 × 4 patches (N = 64, K = 48),
 * hidden 64, d = 64, batch 64, τ = 0.07, lr 5e-3. Data: random pixels in [−1, 1] (the tower's input
 * range) and synthetic captions of 3–12 Zipf-distributed token ids; caption s·B + i pairs with image
 * s·B + i, the same arrays for both drivers. One task = one epoch over `pairs` pairs. Correctness
 * first: PyTorch starts from the native towers' initial weights and its loss on the first batch must
 * equal the native trainer's first-step loss (relative 1e-4: the same model and loss), and each
 * side's loss must fall over its warm-up epoch(s).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { DualEncoder, type Sequences } from '../encoders/dual-encoder-model.js';
import { ImageTower } from '../encoders/image-tower-model.js';
import { ImageTextTrainer } from '../train/image-text-trainer.js';
import { rng } from '../random.js';
import { COMPETITOR_SCRIPTS } from './competitors.js';
import { machineStamp } from './machine.js';
import { measure } from './measure.js';
import { defineWorkload, type BenchResult, type DriverResult } from './workload.js';

export interface ImageTowerTrainBenchOptions {
  pairs: number;
  batch: number;
  side: number;
  patch: number;
  hidden: number;
  dim: number;
  vocab: number;
  threads: number;
  timeMs: number;
}

const TAU = 0.07;
const LR = 5e-3;

/** `pairs` captions of 3–12 tokens, ids Zipf-like (id = ⌊V^u⌋ − 1, most on frequent rows, as text). */
function syntheticCaptions(pairs: number, vocab: number, seed: number): Sequences {
  const r = rng(seed);
  const offsets = new Uint32Array(pairs + 1);
  for (let i = 0; i < pairs; i++) offsets[i + 1] = offsets[i]! + 3 + Math.floor(r() * 10);
  const ids = new Int32Array(offsets[pairs]!);
  for (let t = 0; t < ids.length; t++) ids[t] = Math.min(vocab - 1, Math.floor(Math.pow(vocab, r())) - 1);
  return { ids, offsets };
}

const mean = (a: Float32Array | number[]): number => (a as number[]).reduce((x, y) => x + y, 0) / a.length;

export async function benchImageTowerTrain(o: ImageTowerTrainBenchOptions): Promise<BenchResult> {
  if (o.side % o.patch !== 0) throw new RangeError(`patch must divide side (${o.side}), got ${o.patch}`);
  const steps = Math.floor(o.pairs / o.batch);
  if (steps < 1) throw new RangeError(`pairs (${o.pairs}) must be ≥ batch (${o.batch})`);
  const pairs = steps * o.batch;
  const captions = syntheticCaptions(pairs, o.vocab, 7);
  const r = rng(8);
  const pixels = Float32Array.from({ length: pairs * o.side * o.side * 3 }, () => 2 * r() - 1);
  const index = Int32Array.from({ length: pairs }, (_, i) => i);
  const batches = { captions: index, images: index, batch: o.batch };

  const text = DualEncoder.create({ vocabSize: o.vocab, dim: o.dim, outDim: o.dim, seed: 1 });
  const tower = ImageTower.create({ height: o.side, width: o.side, patch: o.patch, hidden: o.hidden, outDim: o.dim, seed: 2 });
  const initial = { E: text.embeddings(), W: text.projection()!, tower: tower.params() };
  const trainer = new ImageTextTrainer(text, tower, { tau: TAU, symmetric: true, lr: LR, threads: o.threads });
  const firstStats = trainer.trainSync(captions, { pixels }, batches);
  const first = mean(firstStats.loss);
  const second = mean(trainer.trainSync(captions, { pixels }, batches).loss);
  if (!(second < first)) throw new Error(`the native trainer's loss did not fall (${first} → ${second})`);

  const [native] = await measure({ 'xmrbench native': () => trainer.trainSync(captions, { pixels }, batches) }, { timeMs: o.timeMs, iterations: 3 });
  const drivers: DriverResult[] = [
    {
      driver: 'xmrbench native',
      pairsPerSecond: pairs / (native!.meanMs / 1000),
      msPerStep: native!.meanMs / steps,
      timing: native!,
      initialLoss: firstStats.loss[0]!,
      note: `ImageTextTrainer.trainSync from pixels, symmetric, ${o.threads} threads`,
    },
  ];

  let torchNote: string | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-tower-'));
  try {
    const f = (name: string, a: Int32Array | Uint32Array | Float32Array): string => {
      const file = path.join(dir, name);
      writeFileAtomic(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return file;
    };
    const args = [COMPETITOR_SCRIPTS.torchClip, f('ids.i32', captions.ids), f('offsets.u32', captions.offsets), f('pixels.f32', pixels), ...[o.vocab, o.dim, o.side, o.patch, o.hidden, o.batch, o.threads, TAU, LR, o.timeMs / 1000].map(String), f('E.f32', initial.E), f('W.f32', initial.W), f('tower.f32', initial.tower)];
    const out = JSON.parse(execFileSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] })) as {
      torch: string;
      threads: number;
      seconds: number[];
      initialLoss: number;
      firstLoss: number;
      lastLoss: number;
    };
    const nativeInitial = firstStats.loss[0]!;
    if (!(Math.abs(out.initialLoss - nativeInitial) <= 1e-4 * nativeInitial))
      throw new Error(`not the same model and loss: PyTorch's first-batch loss ${out.initialLoss} vs the native trainer's ${nativeInitial}`);
    if (!(out.lastLoss < out.firstLoss)) throw new Error(`PyTorch's loss did not fall (${out.firstLoss} → ${out.lastLoss})`);
    const s = mean(out.seconds);
    drivers.push({
      driver: `pytorch ${out.torch}`,
      pairsPerSecond: pairs / s,
      msPerStep: (s * 1000) / steps,
      timing: { samples: out.seconds.length, meanMs: s * 1000, minMs: Math.min(...out.seconds) * 1000 },
      initialLoss: out.initialLoss,
      note: `Linear patch embedding + pos, nn.GELU, mean, Linear; EmbeddingBag(mean, sparse) + Linear; SparseAdam + Adam; torch.set_num_threads(${out.threads}), child process`,
    });
  } catch (e) {
    torchNote = `pytorch not measured: ${(e as Error).message.split('\n')[0]} (apt-get install python3-torch)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratios: Record<string, number> = {};
  if (drivers.length > 1) ratios['native / pytorch'] = (drivers[0]!.pairsPerSecond as number) / (drivers[1]!.pairsPerSecond as number);
  return {
    workload: 'image-tower-train',
    params: { pairs, batch: o.batch, side: o.side, patch: o.patch, hidden: o.hidden, dim: o.dim, vocab: o.vocab, threads: o.threads, tau: TAU, lr: LR, target: 'native / pytorch ≥ 2' },
    machine: machineStamp(),
    drivers,
    ratios,
    ...(torchNote ? { torch: torchNote } : {}),
  };
}

export const imageTowerTrainWorkload = defineWorkload<ImageTowerTrainBenchOptions>({
  name: 'image-tower-train',
  measures: 'CLIP training throughput of the image tower with its text tower (pairs/s): xmrbench native vs the same model, symmetric InfoNCE and Adam in PyTorch on the CPU',
  options: {
    pairs: { type: 'number', default: 2048, describe: 'Image–caption pairs per measured epoch' },
    batch: { type: 'number', default: 64, describe: 'Pairs per batch (in-batch negatives)' },
    side: { type: 'number', default: 32, describe: 'Image side in pixels' },
    patch: { type: 'number', default: 4, describe: 'Patch side (divides side)' },
    hidden: { type: 'number', default: 64, describe: 'Hidden width of the patch embedding' },
    dim: { type: 'number', default: 64, describe: 'Embedding dimension of both towers' },
    vocab: { type: 'number', default: 8000, describe: 'Caption vocabulary size' },
  },
  drivers: [
    'xmrbench native: ImageTextTrainer.trainSync from pixels (both towers train), one epoch per task',
    'pytorch: the same towers, symmetric InfoNCE, SparseAdam + Adam, in a child process (skipped, saying so, where python3-torch is missing)',
  ],
  ratios: ['native / pytorch (pairs/s; target ≥ 2)'],
  examples: [['$0 bench image-tower-train --threads 2 --json', 'The study sizes (32 px, patch 4, hidden 64, d = 64, batch 64), beside PyTorch']],
  run: benchImageTowerTrain,
});
