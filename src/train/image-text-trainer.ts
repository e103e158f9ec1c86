/**
 * CLIP-style training of the text tower (the dual encoder) with an image tower (native/include/xmr/
 * trainer.h, ImageSource): the candidates of the InfoNCE loss are images. `symmetric: true` is CLIP's
 * loss (Radford et al. 2021), the mean of image→text and text→image; the temperature τ is fixed
 * (CLIP learns log 1/τ; here it is a hyper-parameter, as in the text study). The Adam settings,
 * adversarial training (on the caption token embeddings only) and the step count are the text
 * trainer's (trainer.ts) — one native trainer, its image side added.
 *
 * - From pixels: both towers train (English CLIP from scratch).
 * - Against fixed image embeddings: only the text tower trains (locked image tower, LiT, Zhai et al.
 *   2022); the image tower is never touched.
 */
import { XmrError } from '../errors.js';
import { describe, positiveInteger } from '../args.js';
import { writeFileAtomic } from '../atomic-write.js';
import { checkSequences, DualEncoder, type Sequences } from '../encoders/dual-encoder-model.js';
import { ImageTower } from '../encoders/image-tower-model.js';
import { DualEncoderTrainer, stepStats, type StepStats, type TrainerOptions } from './trainer.js';

/** One call's caption–image batches: steps = captions.length / batch; batch s pairs captions[s·B + i] with images[s·B + i]. */
export interface ImageTextBatches {
  captions: Int32Array;
  images: Int32Array;
  batch: number;
}

/** Either pixels (n × H × W × 3: trains the image tower) or fixed embeddings (n × outDim: LiT). */
export type ImageInput = { pixels: Float32Array } | { embeddings: Float32Array };

function indices(value: unknown, name: string, count: number, what: string): Int32Array {
  if (!(value instanceof Int32Array)) throw new TypeError(`${name} must be an Int32Array, got ${describe(value)}`);
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    if (v < 0 || v >= count) throw new RangeError(`${name}[${i}] = ${v} is not ${what} [0, ${count})`);
  }
  return value;
}

export class ImageTextTrainer {
  readonly text: DualEncoderTrainer;

  /**
   * `image` is the tower trained from pixels (null for LiT against fixed embeddings). Checkpoints
   * (bytes of `checkpointBytes`) restore the Adam moments and the step count of each side.
   */
  constructor(
    model: DualEncoder,
    readonly image: ImageTower | null,
    options: TrainerOptions = {},
    checkpoints: { text?: Uint8Array; image?: Uint8Array } = {},
  ) {
    this.text = new DualEncoderTrainer(model, options, checkpoints.text);
    if (image !== null) {
      if (!(image instanceof ImageTower)) throw new TypeError('image must be an ImageTower or null');
      if (image.outDim !== model.outDim) throw new RangeError(`the image tower's outDim (${image.outDim}) must equal the text tower's (${model.outDim})`);
      if (checkpoints.image !== undefined && !(checkpoints.image instanceof Uint8Array)) throw new TypeError('checkpoints.image must be a Uint8Array');
      this.text.handle.setImageTower(image.handle, checkpoints.image ?? null);
    }
  }

  get step(): number {
    return this.text.step;
  }

  private check(pool: Sequences, input: ImageInput, b: ImageTextBatches): Parameters<DualEncoderTrainer['handle']['trainImagesSync']> {
    const count = checkSequences(pool, this.text.model.vocabSize, 'pool');
    if (input === null || typeof input !== 'object') throw new TypeError('images must be {pixels} or {embeddings}');
    let pixels: Float32Array | null = null;
    let embeddings: Float32Array | null = null;
    let n: number;
    if ('pixels' in input) {
      if (this.image === null) throw new TypeError('training from pixels needs an image tower');
      n = this.image.checkPixels(input.pixels, 'images.pixels');
      pixels = input.pixels;
    } else {
      const e = input.embeddings;
      if (!(e instanceof Float32Array)) throw new TypeError(`images.embeddings must be a Float32Array, got ${describe(e)}`);
      const d = this.text.model.outDim;
      if (e.length % d !== 0) throw new RangeError(`images.embeddings.length (${e.length}) is not a multiple of outDim (${d})`);
      n = e.length / d;
      embeddings = e;
    }
    if (b === null || typeof b !== 'object') throw new TypeError('batches must be {captions, images, batch}');
    const batch = positiveInteger(b.batch, 'batch');
    const captions = indices(b.captions, 'captions', count, 'a sequence of the pool');
    const images = indices(b.images, 'images', n, 'an image of the source');
    if (captions.length % batch !== 0) throw new RangeError(`captions.length (${captions.length}) is not a multiple of batch (${batch})`);
    if (images.length !== captions.length) throw new RangeError(`images.length (${images.length}) must equal captions.length (${captions.length})`);
    return [pool.ids, pool.offsets, pixels, embeddings, captions, images, batch];
  }

  /** Runs the steps on a worker thread; do not touch the arrays or either model until it settles. */
  async train(pool: Sequences, images: ImageInput, batches: ImageTextBatches): Promise<StepStats> {
    const a = this.check(pool, images, batches);
    return stepStats(await this.text.handle.trainImages(...a));
  }

  /** {@link train} on the calling thread. */
  trainSync(pool: Sequences, images: ImageInput, batches: ImageTextBatches): StepStats {
    return stepStats(this.text.handle.trainImagesSync(...this.check(pool, images, batches)));
  }

  /** Checkpoint bytes of both sides, each with its Adam moments and the step count. */
  checkpointBytes(config: Record<string, unknown> = {}): { text: Uint8Array; image: Uint8Array | null } {
    return { text: this.text.checkpointBytes(config), image: this.image === null ? null : this.text.handle.imageCheckpoint(JSON.stringify(config)) };
  }

  /** Writes the two checkpoint files atomically (`textFile` .xde, `imageFile` .xit when there is an image tower). */
  saveCheckpoints(textFile: string, imageFile: string | null, config: Record<string, unknown> = {}): void {
    if (typeof textFile !== 'string' || textFile === '') throw new XmrError('E_CONFIG', 'the checkpoint path must be a non-empty string');
    const bytes = this.checkpointBytes(config);
    writeFileAtomic(textFile, bytes.text);
    if (bytes.image !== null) {
      if (typeof imageFile !== 'string' || imageFile === '') throw new XmrError('E_CONFIG', 'the image checkpoint path must be a non-empty string');
      writeFileAtomic(imageFile, bytes.image);
    }
  }
}
