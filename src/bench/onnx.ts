/**
 * Workloads `onnx-text` and `onnx-image`.
 *
 * onnx-text: the same dual encoder (a bag of subwords, docs/dual-encoder.md) encoding DDTP texts
 * natively (DualEncoder.encodeTexts: tokenize + encode in one native call; also the two calls one after
 * the other) and through onnxruntime-node (its exportOnnx folder read
 * by OnnxTextEncoder: the same tokenizer, then the ONNX graph on a worker thread), both at `threads`
 * threads, from strings to a Float32Array of embeddings, and the model alone (token ids in; the
 * tokenizer is the same native one in both). Embeddings are checked (max |Δ| ≤ 1e-5) before
 * anything is timed.
 *
 * onnx-image: CLIP preprocessing of 640 × 480 JPEGs (sharp: decode, bicubic resize to 224, crop,
 * normalise) alone, and followed by the toy image tower (src/export/toy-image-graph.ts: a 16 × 16
 * patch convolution and pooling) through onnxruntime, in images/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { packageRoot } from '../native.js';
import { readBeirCorpus } from '../data/beir.js';
import { DualEncoder } from '../encoders/dual-encoder-model.js';
import { buildWordVocab, writeVocab } from '../train/vocab.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { tokenizeTexts } from '../encoders/native-text-encoder.js';
import { exportOnnx } from '../export/onnx-dual-encoder.js';
import { toyImageGraph } from '../export/toy-image-graph.js';
import { OnnxTextEncoder } from '../encoders/onnx-text.js';
import { OnnxImageEncoder } from '../encoders/onnx-image.js';
import { clipPreprocessing, preprocessImages } from '../encoders/image-preprocess.js';
import { machineStamp } from './machine.js';
import { measure } from './measure.js';
import { defineWorkload, type BenchResult, type CommonOptions } from './workload.js';

export interface OnnxTextBenchOptions extends CommonOptions {
  texts: number;
  dim: number;
}

const load = () => loadavg().map((x) => Number(x.toFixed(2)));

export async function benchOnnxText(o: OnnxTextBenchOptions): Promise<BenchResult> {
  const loadBefore = load();
  const corpus = await readBeirCorpus(path.join(packageRoot, 'datasets', 'ddtp-mini', 'en', 'corpus.jsonl'));
  const texts = Array.from({ length: o.texts }, (_, i) => corpus.texts[i % corpus.texts.length]!);
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-onnx-'));
  try {
    const vocabFile = path.join(dir, 'vocab.txt');
    writeVocab(vocabFile, buildWordVocab(corpus.texts));
    const tokenizer = Tokenizer.fromVocabFile(vocabFile);
    const model = DualEncoder.create({ vocabSize: tokenizer.vocabSize, dim: o.dim, seed: 1, initStd: 0.1 });
    const folder = path.join(dir, 'onnx');
    exportOnnx(model, folder, { tokenizerFile: vocabFile, maxLength: 128 });
    const onnx = await OnnxTextEncoder.load(folder, { intraOpThreads: o.threads, threads: o.threads, batchSize: 64 });
    try {
      const native = async () => model.encodeTexts(tokenizer, texts, { maxLength: 128, threads: o.threads });
      const unfused = async () => model.encode(await tokenizeTexts(tokenizer, texts, { maxLength: 128, threads: o.threads }), { threads: o.threads });
      const a = await native();
      const b = await onnx.encode(texts);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      if (!(worst <= 1e-5)) throw new Error(`native and onnxruntime embeddings differ by ${worst}`);
      const c = await unfused();
      if (!a.every((x, i) => x === c[i])) throw new Error('the fused and unfused native embeddings differ');
      // The model alone: the same token ids in, embeddings out (the tokenizer is shared by both paths).
      const seqs = await tokenizeTexts(tokenizer, texts, { maxLength: 128, threads: o.threads });
      const tokens = await onnx.tokenize(texts);
      const timings = await measure(
        {
          'xmrbench native': native,
          'xmrbench native, unfused': unfused,
          // async functions: tinybench calls a plain function once to learn whether it returns a
          // promise, without waiting for it, and that call would hold the model busy.
          onnxruntime: async () => onnx.encode(texts),
          'xmrbench native, model only': async () => model.encode(seqs, { threads: o.threads }),
          'onnxruntime, model only': async () => onnx.encodeTokens(tokens),
        },
        { timeMs: o.timeMs, iterations: 3 },
      );
      const notes: Record<string, string> = {
        'xmrbench native': `strings in: DualEncoder.encodeTexts (what NativeTextEncoder runs: tokenize, then encode, in one native call), ${o.threads} threads`,
        'xmrbench native, unfused': `strings in: tokenizeTexts, then DualEncoder.encode (ragged id arrays through JavaScript), ${o.threads} threads`,
        onnxruntime: `strings in: OnnxTextEncoder (native tokenizer; length-sorted batches of 64 padded as int64; onnxruntime-node, ${o.threads} intra-op threads, on a worker thread)`,
        'xmrbench native, model only': 'token ids in: DualEncoder.encode',
        'onnxruntime, model only': 'token ids in: OnnxTextEncoder.encodeTokens',
      };
      const drivers = timings.map((t) => ({ driver: t.name, textsPerSecond: texts.length / (t.meanMs / 1000), timing: t, note: notes[t.name] }));
      const rate = (n: string) => drivers.find((d) => d.driver === n)!.textsPerSecond;
      return {
        workload: 'onnx-text',
        params: { texts: texts.length, dim: o.dim, vocab: tokenizer.vocabSize, threads: o.threads, timeMs: o.timeMs, source: 'datasets/ddtp-mini/en corpus.jsonl', maxAbsDifference: worst, loadAverage: { before: loadBefore, after: load() } },
        machine: machineStamp(),
        drivers,
        ratios: {
          'native / onnxruntime, strings in': rate('xmrbench native') / rate('onnxruntime'),
          'native unfused / onnxruntime, strings in': rate('xmrbench native, unfused') / rate('onnxruntime'),
          'native / onnxruntime, model only': rate('xmrbench native, model only') / rate('onnxruntime, model only'),
        },
      };
    } finally {
      await onnx.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface OnnxImageBenchOptions extends CommonOptions {
  images: number;
}

export async function benchOnnxImage(o: OnnxImageBenchOptions): Promise<BenchResult> {
  const loadBefore = load();
  const images = await Promise.all(
    Array.from({ length: o.images }, (_, i) =>
      sharp({ create: { width: 640, height: 480, channels: 3, background: { r: (37 * i) % 256, g: 128, b: 200 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
        .blur(1)
        .jpeg({ quality: 90 })
        .toBuffer(),
    ),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-bench-onnx-image-'));
  sharp.concurrency(o.threads);
  try {
    toyImageGraph({ size: 224, patch: 16, dim: 64, seed: 1 }).write(path.join(dir, 'model.onnx'));
    const enc = await OnnxImageEncoder.load(dir, { intraOpThreads: o.threads, batchSize: 16 });
    try {
      const prep = clipPreprocessing(224);
      const timings = await measure(
        { 'CLIP preprocessing (sharp)': () => preprocessImages(images, prep), 'preprocessing + toy tower (onnxruntime)': () => enc.encode(images) },
        { timeMs: o.timeMs, iterations: 3 },
      );
      return {
        workload: 'onnx-image',
        params: { images: images.length, source: '640 × 480 JPEG, quality 90', size: 224, graph: 'Conv 16×16/16 → Relu → GlobalAveragePool, 64 dims', threads: o.threads, timeMs: o.timeMs, loadAverage: { before: loadBefore, after: load() } },
        machine: machineStamp(),
        drivers: timings.map((t) => ({ driver: t.name, imagesPerSecond: images.length / (t.meanMs / 1000), timing: t })),
      };
    } finally {
      await enc.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const onnxTextWorkload = defineWorkload<OnnxTextBenchOptions>({
  name: 'onnx-text',
  measures: 'The exported dual encoder encoded natively vs through onnxruntime-node (texts/s), strings in and token ids in',
  options: {
    texts: { type: 'number', default: 5000, describe: 'DDTP English descriptions per call' },
    dim: { type: 'number', default: 256, describe: 'Embedding dimension of the model' },
  },
  drivers: [
    'xmrbench native: DualEncoder.encodeTexts (tokenize, then encode, in one native call) on --threads threads',
    'xmrbench native, unfused: tokenizeTexts, then DualEncoder.encode',
    'onnxruntime: OnnxTextEncoder on the exportOnnx folder (same tokenizer; --threads intra-op threads, worker thread)',
    '(both again with token ids in: the model alone)',
  ],
  ratios: ['native / onnxruntime, strings in', 'native unfused / onnxruntime, strings in', 'native / onnxruntime, model only'],
  examples: [['$0 bench onnx-text --threads 2', 'Native vs onnxruntime on 5,000 texts (target: native ≥ 3×)']],
  run: benchOnnxText,
});

export const onnxImageWorkload = defineWorkload<OnnxImageBenchOptions>({
  name: 'onnx-image',
  measures: 'CLIP image preprocessing (sharp) alone and with a small ONNX image tower in onnxruntime-node (images/s)',
  options: { images: { type: 'number', default: 64, describe: '640 × 480 JPEGs per call' } },
  drivers: ['CLIP preprocessing (sharp): decode, bicubic resize to 224, centre crop, normalise', 'the same + the toy tower (patch Conv, Relu, GlobalAveragePool) through onnxruntime'],
  ratios: [],
  examples: [['$0 bench onnx-image --threads 2', '64 JPEGs, 2 threads']],
  run: benchOnnxImage,
});
