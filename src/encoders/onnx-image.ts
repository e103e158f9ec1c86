/**
 * An image encoder over an ONNX model folder: `model.onnx` with a `pixel_values` input (NCHW
 * float32), optionally `preprocessor_config.json` (image-preprocess.ts: CLIP's preprocessing
 * unless it says otherwise). The embedding is the output named by the `output` option, else the
 * first of `image_embeds` (CLIP's vision tower with projection), `pooler_output`,
 * `sentence_embedding` the model has; L2-normalised unless `normalize: false`. Images are decoded
 * and resized by sharp on libuv's threads, the model runs on a worker thread (onnx-session.ts).
 */
import { XmrError } from '../errors.js';
import { booleanArg, positiveInteger, stringArg } from '../args.js';
import { OnnxSession, tensorNames } from './onnx-session.js';
import { l2NormalizeRows } from './pooling.js';
import { locateOnnxModel } from './model-folder.js';
import { folderPreprocessing, preprocessImages, type ImagePreprocessing } from './image-preprocess.js';
import type { Encoder, EncoderCallOptions } from './encoder.js';

export interface OnnxImageEncoderOptions {
  output?: string;
  /** L2-normalise embeddings; default true. */
  normalize?: boolean;
  /** Images per onnxruntime run; default 16. */
  batchSize?: number;
  intraOpThreads?: number;
}

const IMAGE_OUTPUTS = ['image_embeds', 'pooler_output', 'sentence_embedding'];

export class OnnxImageEncoder implements Encoder<string | Uint8Array> {
  readonly modality = 'image' as const;
  private dimension = 0;

  private constructor(
    readonly session: OnnxSession,
    readonly folder: string,
    readonly modelFile: string,
    readonly preprocessing: ImagePreprocessing,
    readonly outputName: string,
    readonly normalized: boolean,
    readonly batchSize: number,
  ) {}

  static async load(where: string, options: OnnxImageEncoderOptions = {}): Promise<OnnxImageEncoder> {
    if (typeof where !== 'string') throw new TypeError(`model must be a path, got ${typeof where}`);
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    if (options.normalize !== undefined) booleanArg(options.normalize, 'normalize');
    if (options.output !== undefined) stringArg(options.output, 'output');
    const batchSize = options.batchSize === undefined ? 16 : positiveInteger(options.batchSize, 'batchSize');
    const loc = locateOnnxModel(where);
    return OnnxSession.openFor(loc.modelFile, { intraOpThreads: options.intraOpThreads ?? 1 }, async (session) => {
      const px = session.input('pixel_values');
      if (px === undefined || session.inputs.length !== 1)
        throw new XmrError('E_CONFIG', `the model's inputs are ${tensorNames(session.inputs)}; an ONNX image encoder expects one input, pixel_values (NCHW float32)`, { file: loc.modelFile });
      if (px.type !== 'float32') throw new XmrError('E_CONFIG', `the model's input 'pixel_values' is ${px.type}; expected float32`, { file: loc.modelFile });
      // A static input side (…, 3, H, W) is the fallback size when there is no preprocessor_config.json.
      const staticSide = typeof px.shape[3] === 'number' && px.shape[3] > 0 ? px.shape[3] : 224;
      const prep = folderPreprocessing(loc.folder, staticSide);
      const chosen = options.output ?? IMAGE_OUTPUTS.find((n) => session.output(n) !== undefined);
      if (chosen === undefined || session.output(chosen) === undefined)
        throw new XmrError('E_CONFIG', `no output ${chosen === undefined ? `to embed with; expected one of ${IMAGE_OUTPUTS.join(', ')}` : `'${chosen}'`} (its outputs: ${tensorNames(session.outputs)})`, { file: loc.modelFile });
      const encoder = new OnnxImageEncoder(session, loc.folder, loc.modelFile, prep, chosen, options.normalize ?? true, batchSize);
      // The embedding size: one blank image through the model (symbolic output shapes do not tell).
      const side = prep.crop;
      const r = await session.run({ pixel_values: { type: 'float32', data: new Float32Array(3 * side * side), dims: [1, 3, side, side] } }, [chosen]);
      encoder.dimension = r[chosen]!.dims[r[chosen]!.dims.length - 1]!;
      return encoder;
    });
  }

  /** Coordinates per embedding. */
  get dim(): number {
    return this.dimension;
  }

  /** Embeddings of images (file paths or encoded bytes), n × dim row-major, in the order given. */
  async encode(images: readonly (string | Uint8Array)[], options: Pick<EncoderCallOptions, 'role' | 'onProgress'> = {}): Promise<Float32Array> {
    if (!Array.isArray(images)) throw new TypeError('images must be an array of file paths or byte arrays');
    const side = this.preprocessing.crop;
    const n = images.length;
    let out: Float32Array | null = null;
    for (let b = 0; b < n; b += this.batchSize) {
      const batch = images.slice(b, b + this.batchSize);
      const pixels = await preprocessImages(batch, this.preprocessing);
      const r = await this.session.run({ pixel_values: { type: 'float32', data: pixels, dims: [batch.length, 3, side, side] } }, [this.outputName]);
      const t = r[this.outputName]!;
      if (t.type !== 'float32' || t.dims.length !== 2 || t.dims[0] !== batch.length)
        throw new XmrError('E_CONFIG', `the output '${this.outputName}' is ${t.type} [${t.dims.join(', ')}] for ${batch.length} images; expected float32 [${batch.length}, dim]`, { file: this.modelFile });
      const dim = t.dims[1]!;
      const v = (t.data as Float32Array).slice();
      if (this.normalized) l2NormalizeRows(v, dim);
      out ??= new Float32Array(n * dim);
      out.set(v, b * dim);
      options.onProgress?.(b + batch.length, n);
    }
    return out ?? new Float32Array(0);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
