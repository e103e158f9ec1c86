/**
 * Image preprocessing as CLIP does it (transformers' CLIPImageProcessor, open_clip's eval
 * transform), decoded and resized with sharp (libvips):
 *
 *   1. decode, convert to RGB (an alpha channel is dropped, as PIL's convert('RGB') does; EXIF
 *      orientation is not applied, as PIL's Image.open does not);
 *   2. resize so the shortest side is `size` (the long side becomes ⌊size·long/short⌋, as
 *      transformers' get_resize_output_image_size computes it) with a bicubic kernel (libvips'
 *      Catmull-Rom cubic, a = −0.5, PIL's BICUBIC coefficient), shrink-on-load disabled so the
 *      whole resize is that kernel and not a JPEG DCT-domain pre-shrink (enlarging: see
 *      upscaleAndCrop);
 *   3. centre crop to crop × crop, top = ⌊(h − crop)/2⌋, left = ⌊(w − crop)/2⌋ (transformers'
 *      center_crop; torchvision rounds instead, which can move the window one pixel);
 *   4. x = (p · rescale − mean_c) / std_c, with rescale 1/255 and CLIP's mean (0.48145466,
 *      0.4578275, 0.40821073) and std (0.26862954, 0.26130258, 0.27577711) unless
 *      preprocessor_config.json says otherwise;
 *   5. laid out channel-first: one image is 3 × crop × crop float32 (NCHW for a batch), or
 *      interleaved (crop × crop × 3) for the native image tower.
 *
 * How far this is from PIL (test/image-preprocess-pil.test.ts, README): libvips and PIL both use the
 * a = −0.5 cubic widened by the downscale factor on the pixel-centre grid and differ only in
 * rounding: mean |Δ| ≈ 0.2/255, max 2–3/255 on textures shrunk to 224, ≈ 0.06/255 enlarged.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { XmrError } from '../errors.js';
import { positiveInteger } from '../args.js';
import { readOptionalJson } from './model-folder.js';

export interface ImagePreprocessing {
  /** The shortest side after resizing. */
  size: number;
  /** Side of the centre crop (square). */
  crop: number;
  rescale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export const CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

/** CLIP's preprocessing at a given size (crop = size). */
export function clipPreprocessing(size = 224): ImagePreprocessing {
  positiveInteger(size, 'size');
  return { size, crop: size, rescale: 1 / 255, mean: [...CLIP_MEAN], std: [...CLIP_STD] };
}

/**
 * The pixels the native image tower is trained and evaluated on, everywhere (the study, eval-images on a
 * `.xit`, and the ONNX export's preprocessor_config.json): the ONNX image encoder's own decoding — RGB
 * with alpha dropped as PIL's convert('RGB') does, a resize that is the identity at the tower's side,
 * 8-bit pixels — scaled to [−1, 1] by x = 2p/255 − 1 (rescale 2/255, mean 1, std 1), so a blank
 * background is a constant the tower's bias absorbs. One convention, so a tower trained here and its
 * ONNX export give the same embeddings for the same files.
 */
export function towerPreprocessing(shape: { height: number; width: number }): ImagePreprocessing {
  const { height, width } = shape;
  if (height !== width) throw new RangeError(`an image encoder reading files (ONNX or .xit) crops squares: the tower's images must be square, got ${height} × ${width}`);
  return { size: height, crop: height, rescale: 2 / 255, mean: [1, 1, 1], std: [1, 1, 1] };
}

/**
 * The preprocessing a model folder's preprocessor_config.json describes (transformers'
 * CLIPImageProcessor fields: size.shortest_edge, crop_size, rescale_factor, image_mean, image_std),
 * CLIP's defaults for what it leaves out, or `fallbackSize` when there is no file.
 */
export function folderPreprocessing(folder: string, fallbackSize = 224): ImagePreprocessing {
  const file = path.join(folder, 'preprocessor_config.json');
  const c = readOptionalJson(file);
  if (c === undefined) return clipPreprocessing(fallbackSize);
  const fail = (key: string, expected: string): never => {
    throw new XmrError('E_CONFIG', `${key}: expected ${expected}, got ${JSON.stringify(c[key])}`, { file });
  };
  const side = (key: string, names: string[]): number | undefined => {
    const v = c[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const sides = names.map((n) => o[n]).filter((x) => x !== undefined);
      if (sides.length > 0 && sides.every((x) => x === sides[0] && typeof x === 'number' && Number.isInteger(x) && x > 0)) return sides[0] as number;
    }
    return fail(key, `a positive integer or {${names.join(', ')}} with one square side`);
  };
  const triple = (key: string, fallback: [number, number, number]): [number, number, number] => {
    const v = c[key];
    if (v === undefined) return [...fallback];
    if (typeof v === 'number') return [v, v, v];
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number')) return v as [number, number, number];
    return fail(key, 'three numbers');
  };
  if (c.resample !== undefined && c.resample !== 3) fail('resample', '3 (bicubic), the only resampling implemented');
  if (c.do_resize === false || c.do_center_crop === false) fail(c.do_resize === false ? 'do_resize' : 'do_center_crop', 'true (resize then centre crop, as CLIP)');
  const size = side('size', ['shortest_edge', 'height', 'width']) ?? fallbackSize;
  const crop = side('crop_size', ['height', 'width']) ?? size;
  const rescale = c.do_rescale === false ? 1 : typeof c.rescale_factor === 'number' ? c.rescale_factor : c.rescale_factor === undefined ? 1 / 255 : fail('rescale_factor', 'a number');
  const normalize = c.do_normalize !== false;
  return {
    size,
    crop,
    rescale,
    mean: normalize ? triple('image_mean', CLIP_MEAN) : [0, 0, 0],
    std: normalize ? triple('image_std', CLIP_STD) : [1, 1, 1],
  };
}

/** Size after resizing the shortest side to `size`: the long side is ⌊size·long/short⌋. */
export function resizedSize(width: number, height: number, size: number): { width: number; height: number } {
  if (width <= height) return { width: size, height: Math.floor((size * height) / width) };
  return { width: Math.floor((size * width) / height), height: size };
}

/** One image (a file path or its bytes) as crop × crop RGB bytes after decode, resize and crop. */
export async function resizeAndCrop(input: string | Uint8Array, p: ImagePreprocessing): Promise<Uint8Array> {
  const name = typeof input === 'string' ? input : '<image bytes>';
  let bytes: Uint8Array;
  try {
    bytes = typeof input === 'string' ? readFileSync(input) : input;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new XmrError(missing ? 'E_MISSING' : 'E_IO', missing ? 'no such image file' : (e as Error).message, { file: name });
  }
  try {
    const meta = await sharp(bytes).metadata();
    const { width, height } = resizedSize(meta.width!, meta.height!, p.size);
    if (width < p.crop || height < p.crop) throw new RangeError(`crop ${p.crop} is larger than the resized image ${width} × ${height}`);
    const left = Math.floor((width - p.crop) / 2);
    const top = Math.floor((height - p.crop) / 2);
    const rgb = sharp(bytes).toColourspace('srgb').removeAlpha();
    if (width <= meta.width!) {
      const { data, info } = await rgb
        .resize(width, height, { kernel: 'cubic', fit: 'fill', fastShrinkOnLoad: false })
        .extract({ left, top, width: p.crop, height: p.crop })
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new Error(`expected 3 channels after conversion to RGB, got ${info.channels}`);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }
    return await upscaleAndCrop(rgb, meta.width!, meta.height!, width, height, left, top, p.crop);
  } catch (e) {
    if (e instanceof RangeError) throw e;
    const msg = (e as Error).message;
    if (/unsupported image format|Input buffer contains|Input file is missing|corrupt|bad seek|VipsJpeg|pngload|premature/i.test(msg))
      throw new XmrError('E_PARSE', `not an image (expected a JPEG, PNG, WebP, GIF, TIFF or AVIF file): ${msg}`, { file: name });
    throw new XmrError('E_IO', msg, { file: name });
  }
}

/**
 * Enlarging: libvips' resize samples at corner-aligned positions when it enlarges (half a pixel
 * off PIL at 2.5×), so the enlargement is an affine map with its bicubic (Catmull-Rom) interpolator
 * placed on PIL's pixel-centre grid, source x = (x′ + ½)·w/W − ½, i.e. an output offset of
 * ½·s − ½ for scale s = W/w. The source is first extended by copying its edge (PIL instead
 * renormalises the taps that fall outside, which differs only in the outermost pixels).
 */
async function upscaleAndCrop(rgb: Sharp, w: number, h: number, W: number, H: number, left: number, top: number, crop: number): Promise<Uint8Array> {
  const m = 2; // the cubic kernel's reach
  const ext = await rgb.extend({ top: m, bottom: m, left: m, right: m, extendWith: 'copy' }).raw().toBuffer({ resolveWithObject: true });
  const sx = W / w;
  const sy = H / h;
  const { data, info } = await sharp(ext.data, { raw: { width: ext.info.width, height: ext.info.height, channels: ext.info.channels } })
    .affine([sx, 0, 0, sy], { interpolator: sharp.interpolators.bicubic, odx: 0.5 * sx - 0.5 - m * sx, ody: 0.5 * sy - 0.5 - m * sy })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after conversion to RGB, got ${info.channels}`);
  if (info.width < left + crop || info.height < top + crop) throw new Error(`the enlarged image is ${info.width} × ${info.height}, expected at least ${W} × ${H}`);
  const out = new Uint8Array(crop * crop * 3);
  for (let y = 0; y < crop; y++) out.set(data.subarray(((top + y) * info.width + left) * 3, ((top + y) * info.width + left + crop) * 3), y * crop * 3);
  return out;
}

/**
 * Pixel layouts: `chw` channel-first (3 × crop × crop, NCHW for a batch: ONNX vision models),
 * `hwc` interleaved (crop × crop × 3, NHWC: the native image tower, image-tower-model.ts).
 */
export type PixelLayout = 'chw' | 'hwc';

/**
 * Writes the normalised pixels of `rgb` (crop × crop × 3 interleaved bytes) into `out` at `offset`
 * (3 × crop × crop floats) in `layout`.
 */
export function normalizePixels(rgb: Uint8Array, p: ImagePreprocessing, out: Float32Array, offset = 0, layout: PixelLayout = 'chw'): void {
  const plane = p.crop * p.crop;
  for (let c = 0; c < 3; c++) {
    const m = p.mean[c]!;
    const s = p.std[c]!;
    if (layout === 'hwc') {
      for (let i = 0; i < plane; i++) out[offset + i * 3 + c] = (rgb[i * 3 + c]! * p.rescale - m) / s;
      continue;
    }
    const base = offset + c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = (rgb[i * 3 + c]! * p.rescale - m) / s;
  }
}

/** A batch of images as one float32 tensor: NCHW (n × 3 × crop × crop) or, with `hwc`, NHWC. */
export async function preprocessImages(inputs: readonly (string | Uint8Array)[], p: ImagePreprocessing, layout: PixelLayout = 'chw'): Promise<Float32Array> {
  const plane = 3 * p.crop * p.crop;
  const out = new Float32Array(inputs.length * plane);
  const rgb = await Promise.all(inputs.map((x) => resizeAndCrop(x, p)));
  rgb.forEach((px, i) => normalizePixels(px, p, out, i * plane, layout));
  return out;
}
