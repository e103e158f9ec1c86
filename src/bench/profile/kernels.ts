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
 * - `encode-native`, `encode-onnx` (the same dual encoder — a bag of subwords — on the same token ids
 *   of ddtp-mini's texts: natively, and as its exportOnnx graph through onnxruntime-node): memory
 *   bound, since the model's whole cost is reading the T token rows of E; bytes = 4·T·d gathered,
 *   4·n·d written and the ids (4 bytes each natively, 8 as the ONNX graph's int64 input); 2·T·d
 *   flops (the mask multiply and the sum). The same work for both, so their points sit on one
 *   vertical line of the roofline and the gap between them is the runtime's.
 * - `image-native`, `onnx-image` (a freshly initialised native image tower, natively and as its
 *   exportImageTowerOnnx graph through onnxruntime-node, on the same preprocessed 224 × 224 pixels):
 *   compute bound, 2·n·(N·h·3P² + h·d) flops for the patch embedding and the projection (counted from
 *   the tower's layer sizes; see imageEncoderProbes); bytes = the pixels and the parameters read
 *   once and the embeddings written.
 *
 * Probes are built only when asked for (the ONNX ones write a model folder and open a session per
 * thread count), and closed after their runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ddtpTextsByLanguage } from '../../data/ddtp/settings.js';
import { DualEncoder, type Sequences } from '../../encoders/dual-encoder-model.js';
import { ImageTower } from '../../encoders/image-tower-model.js';
import { OnnxImageEncoder } from '../../encoders/onnx-image.js';
import { OnnxTextEncoder, type TokenizedTexts } from '../../encoders/onnx-text.js';
import { tokenizeTexts } from '../../encoders/native-text-encoder.js';
import { exportOnnx } from '../../export/onnx-dual-encoder.js';
import { exportImageTowerOnnx } from '../../export/onnx-image-tower.js';
import { packageRoot } from '../../native.js';
import { perturb } from '../../perturb/perturb.js';
import { randn, rng } from '../../random.js';
import { Bm25Ranker } from '../../rankers/bm25.js';
import { topKSync, toBf16 } from '../../search/topk.js';
import { Tokenizer } from '../../tokenize/tokenizer.js';
import { buildWordPieceVocab } from '../../tokenize/vocab-builder.js';
import { DualEncoderTrainer } from '../../train/trainer.js';
import { buildWordVocab, writeVocab } from '../../train/vocab.js';

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
  run: (threads: number) => void | Promise<unknown>;
  /** releases what prepare made (sessions, temporary folders); called once after the last run */
  close?: () => Promise<void>;
}

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');

/** Times `repeats` calls after one warm-up call (awaited when a call returns a promise); seconds per call. */
export async function timeCalls(run: () => void | Promise<unknown>, repeats: number): Promise<number[]> {
  await run();
  const out: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await run();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

/** A group of probes sharing their data, built only when one of its kernels is asked for. */
interface ProbeGroup {
  names: readonly string[];
  make: (quick: boolean, streamFloats: number) => KernelProbe[];
}

/**
 * The probes, in profile order; `streamFloats` is the STREAM array size, which the memory-bound
 * perturbation uses too, so kernel and roof see the same cache conditions.
 */
const GROUPS: readonly ProbeGroup[] = [
  { names: ['topk-f32', 'topk-bf16'], make: topkProbes },
  { names: ['perturb-linf'], make: perturbProbes },
  { names: ['tokenize'], make: tokenizeProbes },
  { names: ['bm25'], make: bm25Probes },
  { names: ['train'], make: trainProbes },
  { names: ['encode-native', 'encode-onnx'], make: textEncoderProbes },
  { names: ['image-native', 'onnx-image'], make: imageEncoderProbes },
];

/** Every kernel `xmrbench profile` can run, in the order it runs them. */
export const KERNEL_NAMES: readonly string[] = GROUPS.flatMap((g) => g.names);

/** Refuses a kernel name `xmrbench profile` does not know, listing the ones it does. */
export function checkKernelNames(names: readonly string[]): void {
  const unknown = names.find((k) => !KERNEL_NAMES.includes(k));
  if (unknown !== undefined) throw new RangeError(`kernels: unknown kernel '${unknown}'; expected some of ${KERNEL_NAMES.join(', ')}`);
}

/** The probes for `only` (default all), in profile order. */
export function kernelProbes(quick: boolean, streamFloats: number, only?: readonly string[]): KernelProbe[] {
  if (only !== undefined) checkKernelNames(only);
  const wanted = (name: string) => only === undefined || only.includes(name);
  return GROUPS.filter((g) => g.names.some(wanted)).flatMap((g) => g.make(quick, streamFloats).filter((p) => wanted(p.name)));
}

const DDTP_MINI_DOCUMENTS = () => [...ddtpTextsByLanguage(DDTP_MINI, ['corpus']).entries()].filter(([lang]) => lang !== 'train').flatMap(([, t]) => t);

function topkProbes(quick: boolean): KernelProbe[] {
  const probes: KernelProbe[] = [];
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
  return probes;
}

function perturbProbes(_quick: boolean, streamFloats: number): KernelProbe[] {
  const probes: KernelProbe[] = [];
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
  return probes;
}

function tokenizeProbes(quick: boolean): KernelProbe[] {
  const probes: KernelProbe[] = [];
  const texts = DDTP_MINI_DOCUMENTS();
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
  return probes;
}

function bm25Probes(quick: boolean): KernelProbe[] {
  const probes: KernelProbe[] = [];
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
  return probes;
}

function trainProbes(quick: boolean): KernelProbe[] {
  const probes: KernelProbe[] = [];
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
  return probes;
}

/**
 * The bag-of-subwords dual encoder over a word vocabulary of ddtp-mini's English texts, natively
 * (ids as the native text encoder tokenizes them) and as its ONNX export (ids as OnnxTextEncoder
 * tokenizes them, with the special tokens its folder declares). The flops are counted from the
 * model's width d and the token count, not by walking the graph: without a projection (outDim 0)
 * the graph has no MatMul or Gemm, and its Gather, Mul and ReduceSum are the 2·T·d counted. The work
 * depends on the token count, known once prepare has tokenized: prepare fills it in before the first
 * run.
 */
function textEncoderProbes(quick: boolean): KernelProbe[] {
  const texts = (ddtpTextsByLanguage(DDTP_MINI, ['corpus']).get('en') ?? []).slice(0, quick ? 1000 : undefined);
  const dim = 256;
  const maxLength = 128;
  const params = { texts: texts.length, dim, maxLength };
  let dir: string | null = null;
  let model: DualEncoder | null = null;
  let tokenizer: Tokenizer | null = null;
  let seqs: Sequences | null = null;
  const sessions = new Map<number, { encoder: OnnxTextEncoder; tokens: TokenizedTexts }>();
  const setUp = async (): Promise<string> => {
    if (dir !== null) return dir;
    dir = mkdtempSync(path.join(tmpdir(), 'xmrbench-profile-encoder-'));
    const vocabFile = path.join(dir, 'vocab.txt');
    writeVocab(vocabFile, buildWordVocab(texts));
    tokenizer = Tokenizer.fromVocabFile(vocabFile);
    model = DualEncoder.create({ vocabSize: tokenizer.vocabSize, dim, seed: 1, initStd: 0.1 });
    exportOnnx(model, path.join(dir, 'onnx'), { tokenizerFile: vocabFile, maxLength });
    return dir;
  };
  /** T tokens gathered (4·d bytes each, plus the id of `idBytes`), n rows of d written; 2 flops per gathered value. */
  const setWork = (work: KernelWork, tokens: number, idBytes: number): void => {
    work.flops = 2 * tokens * dim;
    work.bytes = (4 * dim + idBytes) * tokens + 4 * texts.length * dim;
  };
  // Each probe is prepared, run and closed before the next starts; closing frees everything, and
  // the next probe's prepare builds it again (a cheap export).
  const close = async (): Promise<void> => {
    for (const s of sessions.values()) await s.encoder.close();
    sessions.clear();
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
    model = tokenizer = seqs = null;
  };
  const nativeWork: KernelWork = { flops: 0, bytes: 0, units: texts.length, unit: 'texts' };
  const onnxWork: KernelWork = { flops: 0, bytes: 0, units: texts.length, unit: 'texts' };
  return [
    {
      name: 'encode-native',
      bound: 'memory',
      params,
      work: nativeWork,
      prepare: async (threads) => {
        await setUp();
        seqs ??= await tokenizeTexts(tokenizer!, texts, { maxLength, threads });
        setWork(nativeWork, seqs.ids.length, 4);
      },
      run: (threads) => model!.encode(seqs!, { threads }),
      close,
    },
    {
      name: 'encode-onnx',
      bound: 'memory',
      params: { ...params, runtime: 'onnxruntime-node (intra-op threads = threads, worker thread)' },
      work: onnxWork,
      prepare: async (threads) => {
        const folder = path.join(await setUp(), 'onnx');
        if (!sessions.has(threads)) {
          const encoder = await OnnxTextEncoder.load(folder, { intraOpThreads: threads, threads, batchSize: 64 });
          sessions.set(threads, { encoder, tokens: await encoder.tokenize(texts) });
        }
        setWork(onnxWork, sessions.get(threads)!.tokens.ids.length, 8);
      },
      run: (threads) => {
        const s = sessions.get(threads)!;
        return s.encoder.encodeTokens(s.tokens);
      },
      close,
    },
  ];
}

/**
 * A freshly initialised native image tower (224 × 224 pixels, patch 16, hidden 256, d = 128: ViT-B/16's
 * patch grid with a narrower embedding), run natively on HWC pixels and, exported by
 * exportImageTowerOnnx (the `xmrbench export --onnx` code path), through onnxruntime-node on the same
 * pixels in NCHW (standard-normal values: the time does not depend on them); decoding and resizing
 * are sharp's and not counted.
 *
 * The flops are counted from the tower's layer sizes, not by walking the ONNX graph: imageTowerGraph
 * builds the graph from exactly these sizes (Conv of h filters of 3·P² over N = (224/P)² patches, then
 * MatMul h → d), and the ONNX writer keeps no shape inference to read them back. Per image:
 * 2·N·h·3P² (the patch embedding) + 2·h·d (the projection). The position add, GELU (Div, Erf, Add,
 * Mul, Mul) and the mean, about 7·N·h operations, and the O(d) normalisation are not counted: a lower
 * bound, short by 7/(6P²) ≈ 0.5% at P = 16.
 * Compulsory bytes: the pixels read once, the parameters read once, the embeddings written.
 */
function imageEncoderProbes(quick: boolean): KernelProbe[] {
  const images = quick ? 16 : 64;
  const shape = { height: 224, width: 224, patch: 16, hidden: 256, outDim: 128, seed: 1 };
  const { height: side, patch, hidden, outDim } = shape;
  const patches = (side / patch) ** 2;
  const pixels = randn(images * 3 * side * side, 5);
  const tower = ImageTower.create(shape);
  const work = (): KernelWork => ({
    flops: 2 * images * (patches * hidden * 3 * patch * patch + hidden * outDim),
    bytes: 4 * (pixels.length + tower.params().length + images * outDim),
    units: images,
    unit: 'images',
  });
  let dir: string | null = null;
  const encoders = new Map<number, OnnxImageEncoder>();
  const params = { images, side, patch, hidden, outDim };
  return [
    {
      name: 'image-native',
      bound: 'compute-f32',
      params,
      work: work(),
      run: (threads) => tower.encode(pixels, { threads }),
    },
    {
      name: 'onnx-image',
      bound: 'compute-f32',
      params: { ...params, runtime: 'onnxruntime-node (intra-op threads = threads, worker thread)' },
      work: work(),
      prepare: async (threads) => {
        if (dir === null) {
          dir = mkdtempSync(path.join(tmpdir(), 'xmrbench-profile-image-'));
          exportImageTowerOnnx(tower, dir);
        }
        if (!encoders.has(threads)) encoders.set(threads, await OnnxImageEncoder.load(dir, { intraOpThreads: threads, batchSize: images }));
      },
      run: (threads) => {
        // The session itself, on pixels already preprocessed: OnnxImageEncoder.encode would decode images.
        const e = encoders.get(threads)!;
        return e.session.run({ pixel_values: { type: 'float32', data: pixels, dims: [images, 3, side, side] } }, [e.outputName]);
      },
      close: async () => {
        for (const e of encoders.values()) await e.close();
        encoders.clear();
        if (dir !== null) rmSync(dir, { recursive: true, force: true });
        dir = null;
      },
    },
  ];
}
