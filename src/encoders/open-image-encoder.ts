/**
 * Opens what `xmrbench eval-images --image-encoder PATH` is given, as an {@link Encoder} of image
 * files:
 *   - a native image-tower checkpoint (`.xit`, image-tower-model.ts): images are read as the tower is
 *     trained on them and as its ONNX export declares (`towerPreprocessing` in image-preprocess.ts:
 *     RGB, the tower's side, x = 2p/255 − 1), laid out H × W × 3 as the tower takes them, and encoded in
 *     batches on the addon's worker threads;
 *   - an ONNX model folder or .onnx file with a `pixel_values` input ({@link OnnxImageEncoder}).
 * Either way a file that is missing or not an image is an XmrError naming it.
 */
import { existsSync, statSync } from 'node:fs';
import { XmrError } from '../errors.js';
import { positiveInteger } from '../args.js';
import type { Encoder, EncoderCallOptions } from './encoder.js';
import { preprocessImages, towerPreprocessing, type ImagePreprocessing } from './image-preprocess.js';
import { readImageTowerFile } from './image-tower-model.js';
import { NativeImageEncoder } from './native-image-encoder.js';
import { OnnxImageEncoder, type OnnxImageEncoderOptions } from './onnx-image.js';

export type OpenedImageEncoder = Encoder<string> & { readonly kind: 'native' | 'onnx'; close(): Promise<void> };

export interface OpenImageEncoderOptions extends OnnxImageEncoderOptions {
  /** Native tower: threads of the encode (≥ 1); default 1. */
  threads?: number;
}

/** The native tower over image files: decode and preprocess a batch, encode it natively. */
class NativeImageFileEncoder implements OpenedImageEncoder {
  readonly modality = 'image' as const;
  readonly kind = 'native' as const;
  readonly normalized = true;

  constructor(
    readonly tower: NativeImageEncoder,
    readonly preprocessing: ImagePreprocessing,
    readonly batchSize: number,
  ) {}

  get dim(): number {
    return this.tower.dim;
  }

  async encode(files: readonly string[], options: EncoderCallOptions = {}): Promise<Float32Array> {
    if (!Array.isArray(files)) throw new TypeError('images must be an array of file paths');
    const out = new Float32Array(files.length * this.dim);
    for (let b = 0; b < files.length; b += this.batchSize) {
      const batch = files.slice(b, b + this.batchSize);
      const pixels = await preprocessImages(batch, this.preprocessing, 'hwc');
      out.set(await this.tower.encodePixels(pixels, options.threads === undefined ? {} : { threads: options.threads }), b * this.dim);
      options.onProgress?.(b + batch.length, files.length);
    }
    return out;
  }

  async close(): Promise<void> {}
}

/** The image encoder at `where` (see the module comment); ONNX-only options are ignored for the native tower. */
export async function openImageEncoder(where: string, options: OpenImageEncoderOptions = {}): Promise<OpenedImageEncoder> {
  if (typeof where !== 'string' || where === '') throw new TypeError('model must be a path');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (!existsSync(where)) throw new XmrError('E_MISSING', 'no such image model: expected an image-tower checkpoint (.xit) or an ONNX model folder', { file: where });
  if (statSync(where).isFile() && !where.endsWith('.onnx')) {
    const { model } = readImageTowerFile(where);
    const { height, width } = model.shape;
    if (height !== width) throw new XmrError('E_CONFIG', `the image tower takes ${height} × ${width} images; reading image files needs a square tower (CLIP's centre crop)`, { file: where });
    const preprocessing = towerPreprocessing(model.shape);
    const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
    const batchSize = options.batchSize === undefined ? 64 : positiveInteger(options.batchSize, 'batchSize');
    return new NativeImageFileEncoder(new NativeImageEncoder(model, { threads }), preprocessing, batchSize);
  }
  const onnx = await OnnxImageEncoder.load(where, options);
  return Object.assign(onnx, { kind: 'onnx' as const });
}
