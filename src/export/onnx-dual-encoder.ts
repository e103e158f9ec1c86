/**
 * `exportOnnx(model, dir)`: the native dual encoder (docs/dual-encoder.md) as an ONNX model folder
 * laid out as optimum writes one, so src/encoders/onnx-text.ts (or any sentence-embedding runtime)
 * reads it back:
 *
 *   model.onnx      inputs input_ids, attention_mask (int64, batch × sequence); output
 *                   sentence_embedding (float32, batch × outDim)
 *   tokenizer.json  the training tokenizer without special tokens, truncating at the training's
 *                   maximum length (tokenizer-json.ts)
 *   config.json     what the graph is, for people and tools that look
 *
 * The graph (opset 13; ReduceSum and Unsqueeze take axes as inputs):
 *   x = Gather(E, input_ids)                         batch × seq × d
 *   m = Cast<float>(attention_mask)                  batch × seq
 *   mean = ReduceSum(x · m[..., None], 1) / max(ReduceSum(m, 1), 1)
 *   u = mean · Wᵀ                                    (only with a projection)
 *   e = u / max(sqrt(ReduceSum(u², 1)), 1e-12)       an empty text stays the zero vector
 * which is the native encoder's e(x) = normalize(W · mean_t E[x_t]).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DualEncoder } from '../encoders/dual-encoder-model.js';
import { writeFileAtomic } from '../atomic-write.js';
import { positiveInteger } from '../args.js';
import type { VocabOptions } from '../tokenize/spec.js';
import { OnnxGraph, OPSET } from './onnx-writer.js';
import { exportTokenizerJson } from './tokenizer-json.js';

export interface ExportOnnxOptions {
  /** The tokenizer the model was trained with (tokenizer.json or BERT vocab.txt); without it no tokenizer.json is written. */
  tokenizerFile?: string;
  /** How a vocab.txt was read (default: BERT uncased, as training reads it). */
  vocab?: VocabOptions;
  /** Tokens per text (the training's maximum length); default 128. */
  maxLength?: number;
}

/** The dual encoder's ONNX graph. */
export function dualEncoderGraph(model: DualEncoder): OnnxGraph {
  const g = new OnnxGraph('xmrbench_dual_encoder');
  const V = model.vocabSize;
  const d = model.dim;
  g.input('input_ids', 'int64', ['batch', 'sequence']);
  g.input('attention_mask', 'int64', ['batch', 'sequence']);
  g.constant('E', model.embeddings(), [V, d]);
  g.constant('axis1', BigInt64Array.of(1n), [1]);
  g.constant('axis2', BigInt64Array.of(2n), [1]);
  g.constant('one', Float32Array.of(1), []);
  g.constant('eps', Float32Array.of(1e-12), []);
  g.node('Gather', ['E', 'input_ids'], ['tokens'], { axis: { int: 0 } });
  g.node('Cast', ['attention_mask'], ['mask'], { to: { int: 1 } }); // 1 = FLOAT
  g.node('Unsqueeze', ['mask', 'axis2'], ['mask3']);
  g.node('Mul', ['tokens', 'mask3'], ['masked']);
  g.node('ReduceSum', ['masked', 'axis1'], ['summed'], { keepdims: { int: 0 } });
  g.node('ReduceSum', ['mask', 'axis1'], ['count'], { keepdims: { int: 1 } });
  g.node('Max', ['count', 'one'], ['denominator']);
  let u = g.node('Div', ['summed', 'denominator'], ['mean']);
  const W = model.projection();
  if (W !== null) {
    // MatMul(mean, Wᵀ): store Wᵀ (d × outDim) so the graph needs no Transpose.
    const out = model.outDim;
    const Wt = new Float32Array(d * out);
    for (let r = 0; r < out; r++) for (let c = 0; c < d; c++) Wt[c * out + r] = W[r * d + c]!;
    g.constant('Wt', Wt, [d, out]);
    u = g.node('MatMul', [u, 'Wt'], ['projected']);
  }
  g.node('Mul', [u, u], ['squares']);
  g.node('ReduceSum', ['squares', 'axis1'], ['sumsq'], { keepdims: { int: 1 } });
  g.node('Sqrt', ['sumsq'], ['norm']);
  g.node('Max', ['norm', 'eps'], ['safe_norm']);
  g.node('Div', [u, 'safe_norm'], ['sentence_embedding']);
  g.output('sentence_embedding', 'float32', ['batch', model.outDim]);
  return g;
}

/** Writes the model folder (model.onnx, tokenizer.json, config.json) into `dir`. */
export function exportOnnx(model: DualEncoder, dir: string, options: ExportOnnxOptions = {}): { files: string[] } {
  if (!(model instanceof DualEncoder)) throw new TypeError('model must be a DualEncoder');
  if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a folder path');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const maxLength = options.maxLength === undefined ? 128 : positiveInteger(options.maxLength, 'maxLength');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  if (options.tokenizerFile !== undefined) {
    const json = exportTokenizerJson(options.tokenizerFile, { maxLength, ...(options.vocab === undefined ? {} : { vocab: options.vocab }) });
    writeFileAtomic(path.join(dir, 'tokenizer.json'), new TextEncoder().encode(json));
    files.push('tokenizer.json');
  }
  dualEncoderGraph(model).write(path.join(dir, 'model.onnx'), { docString: 'xmrbench dual encoder: e = normalize(W · masked mean of E[input_ids])' });
  files.push('model.onnx');
  const config = {
    model_type: 'xmrbench-dual-encoder',
    architecture: 'bag of subwords: L2-normalised (projected) masked mean of token embeddings',
    vocab_size: model.vocabSize,
    hidden_size: model.dim,
    embedding_size: model.outDim,
    max_length: maxLength,
    opset: OPSET,
    outputs: { sentence_embedding: 'normalised; score texts by the dot product' },
  };
  writeFileAtomic(path.join(dir, 'config.json'), new TextEncoder().encode(JSON.stringify(config, null, 2) + '\n'));
  files.push('config.json');
  return { files };
}
