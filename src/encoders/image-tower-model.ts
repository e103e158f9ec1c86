/**
 * The native image tower (native/include/xmr/image_tower.h), the image side of CLIP-style training:
 *
 *   images: float32 HWC (n × H × W × 3, row-major), cut into non-overlapping P×P patches x_n
 *   z_n = A·x_n + b + pos_n   linear patch embedding plus a learned position embedding
 *   a_n = GELU(z_n)           exact GELU, z·Φ(z) (Hendrycks & Gimpel 2016; PyTorch's nn.GELU())
 *   e   = normalize(W · mean_n a_n)
 *
 * Files: an image-tower checkpoint (`.xit`: magic "XMRIT\0", the dual encoder's framing — version,
 * 80-byte header, JSON config, float32 payload, optional Adam moments, CRC-32, "XEND").
 */
import { readNativeCheckpoint } from './checkpoint-file.js';
import { native, type IsaName, type NativeImageTower } from '../native.js';
import { checkSeed, describe, isaChoice, positiveInteger } from '../args.js';
import { writeFileAtomic } from '../atomic-write.js';

export interface ImageTowerShape {
  /** Image height and width in pixels: multiples of patch. */
  height: number;
  width: number;
  /** Patch side P. */
  patch: number;
  /** Hidden width h of the patch embedding. */
  hidden: number;
  /** Output dimension d (must equal the text tower's for joint training). */
  outDim: number;
  /** Seed of the initialisation (A ~ N(0, 1/3P²), W ~ N(0, 1/h), b = 0, pos ~ N(0, 0.02²)); default 0. */
  seed?: number;
}

export class ImageTower {
  /** @internal */
  readonly handle: NativeImageTower;

  /** @internal */
  constructor(handle: NativeImageTower) {
    this.handle = handle;
  }

  static create(shape: ImageTowerShape): ImageTower {
    if (shape === null || typeof shape !== 'object') throw new TypeError('shape must be an object with height, width, patch, hidden and outDim');
    const height = positiveInteger(shape.height, 'height');
    const width = positiveInteger(shape.width, 'width');
    const patch = positiveInteger(shape.patch, 'patch');
    if (height % patch !== 0) throw new RangeError(`height must be a positive multiple of patch (${patch}), got ${height}`);
    if (width % patch !== 0) throw new RangeError(`width must be a positive multiple of patch (${patch}), got ${width}`);
    const hidden = positiveInteger(shape.hidden, 'hidden');
    const outDim = positiveInteger(shape.outDim, 'outDim');
    const seed = shape.seed === undefined ? 0 : checkSeed(shape.seed);
    return new ImageTower(new (native().ImageTower)(height, width, patch, hidden, outDim, seed));
  }

  get shape(): Readonly<Omit<ImageTowerShape, 'seed'>> {
    return this.handle.shape;
  }
  get outDim(): number {
    return this.handle.shape.outDim;
  }
  /** Floats per image: H × W × 3. */
  get pixelsPerImage(): number {
    const s = this.handle.shape;
    return s.height * s.width * 3;
  }

  /** Checks a pixel array; returns the number of images. */
  checkPixels(pixels: unknown, name = 'pixels'): number {
    if (!(pixels instanceof Float32Array)) throw new TypeError(`${name} must be a Float32Array, got ${describe(pixels)}`);
    if (pixels.length % this.pixelsPerImage !== 0)
      throw new RangeError(`${name}.length (${pixels.length}) is not a multiple of H×W×3 (${this.pixelsPerImage})`);
    return pixels.length / this.pixelsPerImage;
  }

  /** Encodes n images (n × H × W × 3) on a worker thread: n × outDim, rows of norm 1 (or 0). */
  encode(pixels: Float32Array, options: { threads?: number; isa?: IsaName | 'auto' } = {}): Promise<Float32Array> {
    try {
      this.checkPixels(pixels);
      const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
      return this.handle.encode(pixels, threads, isaChoice(options.isa ?? 'auto'));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** {@link encode} on the calling thread. */
  encodeSync(pixels: Float32Array, options: { threads?: number; isa?: IsaName | 'auto' } = {}): Float32Array {
    this.checkPixels(pixels);
    const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
    return this.handle.encodeSync(pixels, threads, isaChoice(options.isa ?? 'auto'));
  }

  /** A copy of the parameters [A | b | pos | W]. */
  params(): Float32Array {
    return this.handle.params();
  }
}

/** Reads an image-tower checkpoint; a missing, truncated, foreign or corrupted file is an XmrError naming it. */
export function readImageTowerFile(file: string): { model: ImageTower; step: number; config: Record<string, unknown>; hasOptimizer: boolean; bytes: Uint8Array } {
  const { parsed, config, bytes } = readNativeCheckpoint(file, (b) => native().ImageTower.fromCheckpoint(b));
  return { model: new ImageTower(parsed.model), step: parsed.step, config, hasOptimizer: parsed.hasOptimizer, bytes };
}

/** Saves the image tower's weights alone (no optimiser state), atomically. */
export function saveImageTower(model: ImageTower, file: string, info: { step?: number; config?: Record<string, unknown> } = {}): void {
  writeFileAtomic(file, model.handle.checkpoint(info.step ?? 0, JSON.stringify(info.config ?? {})));
}
