/**
 * The flags that name and configure a text encoder (`--model` and the ONNX options), shared by the
 * commands that encode text with one — `search --ranker dense`, `index build`, `index search` — so
 * each opens the model with the same loader (src/encoders/open-text-encoder.ts) and the same options.
 */
import type { Argv } from 'yargs';
import { openTextEncoder, type OpenedTextEncoder } from '../encoders/open-text-encoder.js';
import { POOLING_MODES, type PoolingMode } from '../encoders/pooling.js';

export interface TextEncoderArgs {
  model?: string;
  pooling?: PoolingMode;
  normalize: boolean;
  'query-prefix'?: string;
  'document-prefix'?: string;
  'max-length'?: number;
  'batch-size': number;
  threads: number;
}

/** Adds --model (described by `modelUse`) and the ONNX options to a command. */
export function textEncoderOptions<T>(y: Argv<T>, modelUse: string): Argv<T> {
  return y
    .option('model', { type: 'string', describe: `${modelUse}: a checkpoint (.xde), a native export folder, or an ONNX model folder (optimum, sentence-transformers, xmrbench export --onnx)` })
    .option('pooling', { choices: POOLING_MODES, describe: "ONNX: pool the per-token output this way (default: the model's sentence_embedding, else 1_Pooling/config.json, else mean)" })
    .option('normalize', { type: 'boolean', default: true, describe: 'ONNX: L2-normalise embeddings (--no-normalize for dot-product models)' })
    .option('query-prefix', { type: 'string', describe: "ONNX: prepended to queries (E5: 'query: '; default: config_sentence_transformers.json's prompts)" })
    .option('document-prefix', { type: 'string', describe: "ONNX: prepended to documents (E5: 'passage: ')" })
    .option('max-length', { type: 'number', describe: "Dense: tokens per text (default: the model's)" })
    .option('batch-size', { type: 'number', default: 32, describe: 'ONNX: texts per onnxruntime run' }) as unknown as Argv<T>;
}

/** Opens `a.model` with the flags' options. */
export function openTextEncoderFromArgs(a: TextEncoderArgs & { model: string }): Promise<OpenedTextEncoder> {
  return openTextEncoder(a.model, {
    normalize: a.normalize,
    batchSize: a['batch-size'],
    intraOpThreads: a.threads,
    threads: a.threads,
    ...(a.pooling === undefined ? {} : { pooling: a.pooling }),
    ...(a['query-prefix'] === undefined ? {} : { queryPrefix: a['query-prefix'] }),
    ...(a['document-prefix'] === undefined ? {} : { documentPrefix: a['document-prefix'] }),
    ...(a['max-length'] === undefined ? {} : { maxLength: a['max-length'] }),
  });
}
