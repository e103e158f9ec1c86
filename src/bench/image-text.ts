/**
 * Workload `image-text`: CLIP_benchmark's retrieval recall (R@1/5/10, both directions) on an
 * MSCOCO-5k-sized problem — 25,010 captions × 5,000 images × 512 dimensions, random unit vectors,
 * 5 captions per image and 10 images with a sixth — timed side by side for xmrbench
 * (`imageTextRetrieval`, two native top-k calls) and PyTorch on the CPU (`texts @ images.T` and
 * `torch.topk` both ways, as CLIP_benchmark's `recall_at_k`; Debian's python3-torch in a child
 * process, same thread count). Both sides' per-query hits are compared before any timing counts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNpy } from '../data/npy.js';
import { imageTextRetrieval, type ImageTextResult } from '../eval/image-text/index.js';
import { randn } from '../random.js';
import { COMPETITOR_SCRIPTS } from './competitors.js';
import { machineStamp } from './machine.js';
import { measure, type Timing } from './measure.js';
import { defineWorkload, type BenchResult, type DriverResult, type ExternalTiming } from './workload.js';

export interface ImageTextBenchOptions {
  images: number;
  captions: number;
  dim: number;
  threads: number;
  /** PyTorch repetitions (it times itself in its process) */
  torchRuns: number;
  seed: number;
  timeMs: number;
}

interface ImageTextDriver extends DriverResult {
  queriesPerSecond: number;
  timing: Timing | ExternalTiming;
}
const CUTOFFS = [1, 5, 10];

/** n random unit vectors of `dim` coordinates (CLIP_benchmark normalises its embeddings). */
function unitRows(n: number, dim: number, seed: number): Float32Array {
  const x = randn(n * dim, seed);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * dim, (i + 1) * dim);
    const norm = Math.hypot(...row);
    for (let j = 0; j < dim; j++) row[j]! /= norm;
  }
  return x;
}

export async function benchImageText(o: ImageTextBenchOptions): Promise<BenchResult> {
  const images = unitRows(o.images, o.dim, o.seed);
  const texts = unitRows(o.captions, o.dim, o.seed + 1);
  const textImage = Int32Array.from({ length: o.captions }, (_, t) => t % o.images);
  const queries = o.captions + o.images;
  const run = (): Promise<ImageTextResult> => imageTextRetrieval(images, texts, textImage, { dim: o.dim, cutoffs: CUTOFFS, ranks: false, threads: o.threads });
  const ours = await run();

  const [timing] = await measure({ xmrbench: run }, { timeMs: o.timeMs, iterations: 3 });
  const drivers: ImageTextDriver[] = [
    {
      driver: 'xmrbench',
      queriesPerSecond: queries / (timing!.meanMs / 1000),
      timing: timing!,
      ...Object.fromEntries(CUTOFFS.flatMap((k) => [[`t2i R@${k}`, ours.t2i.means[`R@${k}`]!], [`i2t R@${k}`, ours.i2t.means[`R@${k}`]!]])),
      note: `imageTextRetrieval, native topK (cosine) both ways, ${o.threads} threads`,
    },
  ];
  let torchNote: string | undefined;
  let agreement: Record<string, number> | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-it-'));
  try {
    writeNpy(path.join(dir, 'images.npy'), images, o.images, o.dim);
    writeNpy(path.join(dir, 'texts.npy'), texts, o.captions, o.dim);
    writeNpy(path.join(dir, 'index.npy'), Float32Array.from(textImage), o.captions, 1);
    const out = JSON.parse(
      execFileSync('/usr/bin/python3', [COMPETITOR_SCRIPTS.torchImageText, ...['images', 'texts', 'index'].map((f) => path.join(dir, `${f}.npy`)), `${o.threads}`, `${o.torchRuns}`, CUTOFFS.join(',')], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as { torch: string; threads: number; seconds: number[]; matmul_seconds: number[]; hits: Record<string, number[]> };
    // Per-query agreement: float32 sums in a different order can swap a near-tie at the cutoff.
    agreement = {};
    for (const k of CUTOFFS) {
      for (const d of [ours.t2i, ours.i2t]) {
        const theirs = out.hits[`${d.direction}@${k}`]!;
        const mine = d.perQuery.get(`R@${k}`)!;
        agreement[`${d.direction}@${k}`] = theirs.filter((h, i) => h === mine[i]).length / theirs.length;
      }
    }
    const mean = out.seconds.reduce((a, b) => a + b, 0) / out.seconds.length;
    drivers.push({
      driver: `pytorch ${out.torch}`,
      queriesPerSecond: queries / mean,
      timing: { samples: out.seconds.length, meanMs: mean * 1000, minMs: Math.min(...out.seconds) * 1000 },
      matmulShare: out.matmul_seconds.reduce((a, b) => a + b, 0) / out.seconds.reduce((a, b) => a + b, 0),
      note: `texts @ images.T + torch.topk both ways, torch.set_num_threads(${out.threads}), child process; matmulShare = the part spent in the matrix product`,
    });
  } catch (e) {
    torchNote = `pytorch not measured: ${(e as Error).message.split('\n')[0]} (apt-get install python3-torch)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratios: Record<string, number> = {};
  if (drivers.length > 1) ratios['xmrbench / pytorch'] = drivers[0]!.queriesPerSecond / drivers[1]!.queriesPerSecond;
  return {
    workload: 'image-text',
    params: { images: o.images, captions: o.captions, dim: o.dim, threads: o.threads, seed: o.seed, cutoffs: CUTOFFS, target: 'xmrbench / pytorch ≥ 3' },
    machine: machineStamp(),
    drivers,
    ratios,
    ...(agreement ? { agreement } : {}),
    ...(torchNote ? { torch: torchNote } : {}),
  };
}

export const imageTextWorkload = defineWorkload<ImageTextBenchOptions>({
  name: 'image-text',
  measures: "Image–text retrieval recall at MSCOCO 5k size (CLIP_benchmark's R@1/5/10, both directions; queries/s): xmrbench vs PyTorch texts @ images.T + topk",
  options: {
    images: { type: 'number', default: 5000, describe: 'Images (the MSCOCO Karpathy test split has 5,000)' },
    captions: { type: 'number', default: 25010, describe: 'Captions (25,010 in that split; caption t describes image t mod images)' },
    dim: { type: 'number', default: 512, describe: 'Embedding dimension' },
    torchRuns: { type: 'number', default: 3, describe: 'PyTorch repetitions (it times itself in its process)' },
    seed: { type: 'number', default: 1, describe: 'Seed of the random unit vectors' },
  },
  drivers: [
    'xmrbench: imageTextRetrieval (two native top-k calls, cosine), R@k only (--no-ranks)',
    'pytorch: texts @ images.T, torch.topk on rows and columns, as CLIP_benchmark; python3-torch in a child process (skipped, saying so, where missing)',
  ],
  ratios: ['xmrbench / pytorch (queries/s; target ≥ 3)'],
  examples: [['$0 bench image-text --threads 2 --json', '25,010 × 5,000 × 512, both directions, beside PyTorch']],
  run: benchImageText,
});
