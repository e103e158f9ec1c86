/**
 * Workloads `onnx-text` and `onnx-image`.
 *
 * onnx-text: the same dual encoder (a bag of subwords, docs/dual-encoder.md) encoding DDTP texts
 * natively (tokenize + the native encoder) and through onnxruntime-node (its exportOnnx folder read
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
import { packageRoot } from '../src/native.js';
import { readBeirCorpus } from '../src/data/beir.js';
import { DualEncoder } from '../src/train/dual-encoder.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { tokenizeTexts } from '../src/rankers/dual-encoder.js';
import { exportOnnx } from '../src/export/onnx-dual-encoder.js';
import { toyImageGraph } from '../src/export/toy-image-graph.js';
import { OnnxTextEncoder } from '../src/encoders/onnx-text.js';
import { OnnxImageEncoder } from '../src/encoders/onnx-image.js';
import { clipPreprocessing, preprocessImages } from '../src/encoders/image-preprocess.js';
import { machineStamp } from './machine.js';
import { measure } from './measure.js';

export interface OnnxTextBenchOptions {
  texts: number;
  dim: number;
  threads: number;
  timeMs: number;
}

const load = () => loadavg().map((x) => Number(x.toFixed(2)));

export async function benchOnnxText(o: OnnxTextBenchOptions): Promise<Record<string, unknown>> {
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
      const native = async () => model.encode(await tokenizeTexts(tokenizer, texts, { maxLength: 128, threads: o.threads }), { threads: o.threads });
      const a = await native();
      const b = await onnx.encode(texts);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      if (!(worst <= 1e-5)) throw new Error(`native and onnxruntime embeddings differ by ${worst}`);
      // The model alone: the same token ids in, embeddings out (the tokenizer is shared by both paths).
      const seqs = await tokenizeTexts(tokenizer, texts, { maxLength: 128, threads: o.threads });
      const tokens = await onnx.tokenize(texts);
      const timings = await measure(
        {
          'xmrbench native': native,
          onnxruntime: () => onnx.encode(texts),
          'xmrbench native, model only': () => model.encode(seqs, { threads: o.threads }),
          'onnxruntime, model only': () => onnx.encodeTokens(tokens),
        },
        { timeMs: o.timeMs, iterations: 3 },
      );
      const notes: Record<string, string> = {
        'xmrbench native': `strings in: tokenizeTexts + DualEncoder.encode, ${o.threads} threads, ragged sequences`,
        onnxruntime: `strings in: OnnxTextEncoder (native tokenizer; length-sorted batches of 64 padded as int64; onnxruntime-node, ${o.threads} intra-op threads, on a worker thread)`,
        'xmrbench native, model only': 'token ids in: DualEncoder.encode',
        'onnxruntime, model only': 'token ids in: OnnxTextEncoder.encodeTokens',
      };
      const drivers = timings.map((t) => ({ driver: t.name, textsPerSecond: texts.length / (t.meanMs / 1000), timing: t, note: notes[t.name] }));
      const rate = (n: string) => drivers.find((d) => d.driver === n)!.textsPerSecond;
      return {
        workload: 'onnx-text',
        params: { texts: texts.length, dim: o.dim, vocab: tokenizer.vocabSize, threads: o.threads, timeMs: o.timeMs, source: 'datasets/ddtp-mini/en corpus.jsonl' },
        machine: machineStamp(),
        load: { before: loadBefore, after: load() },
        maxAbsDifference: worst,
        drivers,
        ratios: {
          'native / onnxruntime, strings in': rate('xmrbench native') / rate('onnxruntime'),
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

export interface OnnxImageBenchOptions {
  images: number;
  threads: number;
  timeMs: number;
}

export async function benchOnnxImage(o: OnnxImageBenchOptions): Promise<Record<string, unknown>> {
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
        params: { images: images.length, source: '640 × 480 JPEG, quality 90', size: 224, graph: 'Conv 16×16/16 → Relu → GlobalAveragePool, 64 dims', threads: o.threads, timeMs: o.timeMs },
        machine: machineStamp(),
        load: { before: loadBefore, after: load() },
        drivers: timings.map((t) => ({ driver: t.name, imagesPerSecond: images.length / (t.meanMs / 1000), timing: t })),
      };
    } finally {
      await enc.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
