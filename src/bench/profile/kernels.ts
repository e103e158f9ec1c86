/**
 * The kernels `xmrbench profile` places under this machine's roofs: each is run on synthetic or
 * shipped data, timed (best of the repeats, after one untimed warm-up call), and described by the
 * work it must do, counted from its inputs — not by what the hardware happened to move:
 *
 * - `topk-f32`, `topk-bf16`: 2·q·n·d flops (a multiply and an add per query–document–dimension);
 *   compulsory bytes = the documents once (4 or 2 bytes per value) and the queries once.
 * - `perturb-linf` (x + ε·sign(g)) on arrays of STREAM's size: 2 flops per element; bytes 12 per
 *   element (x and g read, out written), the count bench/perturb.ts uses.
 * - `tokenize` (WordPiece, native, on datasets/ddtp-mini's texts): no floating point; bytes = the
 *   UTF-8 text read plus 4 bytes per id written.
 * - `bm25` (search of ddtp-mini's English queries): no roof — its time goes to walking postings
 *   lists, neither arithmetic nor streaming; reported as a rate only.
 * - `train` (one epoch of the dual encoder's contrastive training, synthetic ids): per step of
 *   batch B with T tokens and width d, 4·T·d flops for the mean pooling forward and backward and
 *   6·B²·d for the in-batch score matrix and its two gradients; Adam and the softmax are not
 *   counted (a lower bound on the work, so the fraction is a lower bound too).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ddtpTextsByLanguage } from '../../data/ddtp/settings.js';
import { DualEncoder } from '../../encoders/dual-encoder-model.js';
import { packageRoot } from '../../native.js';
import { perturb } from '../../perturb/perturb.js';
import { randn, rng } from '../../random.js';
import { Bm25Ranker } from '../../rankers/bm25.js';
import { topKSync, toBf16 } from '../../search/topk.js';
import { Tokenizer } from '../../tokenize/tokenizer.js';
import { buildWordPieceVocab } from '../../tokenize/vocab-builder.js';
import { DualEncoderTrainer } from '../../train/trainer.js';

/** Which roof bounds a kernel: a compute peak, the memory bandwidth, or none that applies. */
export type Bound = 'compute-f32' | 'compute-bf16' | 'memory' | 'none';

export interface KernelWork {
  /** floating-point operations per call (0 when none) */
  flops: number;
  /** bytes per call, counted as above (0 when not meaningful) */
  bytes: number;
  /** the kernel's natural unit and how many per call, e.g. 256 queries */
  units: number;
  unit: string;
}

export interface KernelProbe {
  name: string;
  bound: Bound;
  params: Record<string, number | string>;
  work: KernelWork;
  /** set-up for `threads` threads that is not timed (an index, a model) */
  prepare?: (threads: number) => Promise<void>;
  /** one call on `threads` threads */
  run: (threads: number) => void;
}

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');

/** Times `repeats` calls after one warm-up call; seconds per call. */
export function timeCalls(run: () => void, repeats: number): number[] {
  run();
  const out: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    run();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

/**
 * The probes; `streamFloats` is the STREAM array size, which the memory-bound perturbation uses
 * too, so kernel and roof see the same cache conditions.
 */
export function kernelProbes(quick: boolean, streamFloats: number): KernelProbe[] {
  const probes: KernelProbe[] = [];

  {
    const n = quick ? 20_000 : 100_000;
    const d = 256;
    const q = quick ? 64 : 256;
    const queries = randn(q * d, 1);
    const docs = randn(n * d, 2);
    const bf16 = toBf16(docs, { dim: d });
    const params = { docs: n, dim: d, queries: q, k: 10 };
    probes.push({
      name: 'topk-f32',
      bound: 'compute-f32',
      params,
      work: { flops: 2 * q * n * d, bytes: 4 * (n * d + q * d), units: q, unit: 'queries' },
      run: (threads) => void topKSync(queries, docs, { dim: d, k: 10, threads }),
    });
    probes.push({
      name: 'topk-bf16',
      bound: 'compute-bf16',
      params,
      work: { flops: 2 * q * n * d, bytes: 2 * n * d + 4 * q * d, units: q, unit: 'queries' },
      run: (threads) => void topKSync(queries, bf16, { dim: d, k: 10, threads }),
    });
  }

  {
    const floats = streamFloats;
    const x = randn(floats, 3);
    const g = randn(floats, 4);
    const out = new Float32Array(floats);
    probes.push({
      name: 'perturb-linf',
      bound: 'memory',
      params: { floats },
      work: { flops: 2 * floats, bytes: 12 * floats, units: floats, unit: 'floats' },
      run: (threads) => void perturb(x, g, { eps: 0.01, norm: 'linf', out, threads }),
    });
  }

  {
    const texts = [...ddtpTextsByLanguage(DDTP_MINI, ['corpus']).entries()].filter(([lang]) => lang !== 'train').flatMap(([, t]) => t);
    const batch = texts.slice(0, quick ? 2000 : texts.length);
    const tokenizer = Tokenizer.fromJson(JSON.stringify(buildWordPieceVocab(texts.slice(0, 2000), { vocabSize: 8000 })));
    const ids = tokenizer.encodeBatchSync(batch).ids.length;
    const textBytes = batch.reduce((s, t) => s + Buffer.byteLength(t), 0);
    probes.push({
      name: 'tokenize',
      bound: 'memory',
      params: { texts: batch.length, vocab: 8000 },
      work: { flops: 0, bytes: textBytes + 4 * ids, units: batch.length, unit: 'texts' },
      run: (threads) => void tokenizer.encodeBatchSync(batch, { threads }),
    });
  }

  {
    const en = ddtpTextsByLanguage(DDTP_MINI, ['corpus']).get('en') ?? [];
    const queryTexts = ddtpTextsByLanguage(DDTP_MINI, ['queries']).get('en') ?? [];
    const corpus = en.map((text, i) => ({ id: `d${i}`, text }));
    const queries = queryTexts.slice(0, quick ? 200 : queryTexts.length).map((text, i) => ({ id: `q${i}`, text }));
    const rankers = new Map<number, Bm25Ranker>();
    probes.push({
      name: 'bm25',
      bound: 'none',
      params: { documents: corpus.length, queries: queries.length, k: 10 },
      work: { flops: 0, bytes: 0, units: queries.length, unit: 'queries' },
      prepare: async (threads) => {
        if (rankers.has(threads)) return;
        const ranker = new Bm25Ranker({ threads });
        await ranker.index(corpus);
        rankers.set(threads, ranker);
      },
      run: (threads) => void rankers.get(threads)!.searchSync(queries, 10),
    });
  }

  {
    const vocab = 30_000;
    const dim = 256;
    const batch = 64;
    const pairs = quick ? 512 : 4096;
    const qLen = 8;
    const dLen = 64;
    const r = rng(7);
    const lens = [...Array(pairs).fill(qLen), ...Array(pairs).fill(dLen)] as number[];
    const offsets = new Uint32Array(lens.length + 1);
    lens.forEach((l, i) => (offsets[i + 1] = offsets[i]! + l));
    const ids = Int32Array.from({ length: offsets[lens.length]! }, () => Math.floor(r() * vocab));
    const queries = Int32Array.from({ length: pairs }, (_, i) => i);
    const positives = Int32Array.from({ length: pairs }, (_, i) => pairs + i);
    const steps = pairs / batch;
    const trainers = new Map<number, DualEncoderTrainer>();
    probes.push({
      name: 'train',
      bound: 'compute-f32',
      params: { pairs, batch, dim, vocab, tokensPerPair: qLen + dLen },
      work: { flops: steps * (4 * batch * (qLen + dLen) * dim + 6 * batch * batch * dim), bytes: 0, units: pairs, unit: 'pairs' },
      prepare: async (threads) => {
        if (!trainers.has(threads)) trainers.set(threads, new DualEncoderTrainer(DualEncoder.create({ vocabSize: vocab, dim, outDim: 0, seed: 1, initStd: 0.1 }), { tau: 0.1, lr: 5e-3, threads }));
      },
      run: (threads) => void trainers.get(threads)!.trainSync({ ids, offsets }, { queries, positives, batch }),
    });
  }
  return probes;
}
