/**
 * The native image tower as an {@link Encoder} of images. An input is one image as a Float32Array
 * of H × W × 3 (HWC, the tower's size); the batch is copied into one n × H × W × 3 array and
 * encoded in one native call. Rows are L2-normalised.
 */
import { positiveInteger } from '../args.js';
import type { Encoder, EncoderCallOptions } from './encoder.js';
import { ImageTower } from './image-tower-model.js';

export class NativeImageEncoder implements Encoder<Float32Array> {
  readonly modality = 'image' as const;
  readonly normalized = true;
  readonly threads: number;

  constructor(
    readonly model: ImageTower,
    options: { threads?: number } = {},
  ) {
    if (!(model instanceof ImageTower)) throw new TypeError('model must be an ImageTower');
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    this.threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  }

  get dim(): number {
    return this.model.outDim;
  }

  async encode(images: readonly Float32Array[], options: EncoderCallOptions = {}): Promise<Float32Array> {
    const threads = options.threads === undefined ? this.threads : positiveInteger(options.threads, 'threads');
    const per = this.model.pixelsPerImage;
    const batch = new Float32Array(images.length * per);
    images.forEach((img, i) => {
      if (!(img instanceof Float32Array) || img.length !== per)
        throw new RangeError(`images[${i}] must be a Float32Array of H×W×3 = ${per} floats`);
      batch.set(img, i * per);
    });
    return this.encodePixels(batch, { threads });
  }

  /** Encodes n images already packed as one n × H × W × 3 array (no copy). */
  encodePixels(pixels: Float32Array, options: { threads?: number } = {}): Promise<Float32Array> {
    return this.model.encode(pixels, { threads: options.threads ?? this.threads });
  }
}
