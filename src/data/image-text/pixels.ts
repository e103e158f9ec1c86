/**
 * The pixels of an image–text set's images, as the native image tower reads them: one Float32Array
 * of n × H × W × 3 (HWC, row-major). Each PNG is decoded to RGBA (src/data/emoji/png.ts), composited
 * over white (c' = c·a + 255·(1 − a), a = alpha/255: the emoji are drawn on transparent backgrounds,
 * and white is how they are seen on a page) and scaled to [−1, 1] by x = 2·c'/255 − 1, so a blank
 * background is a constant the tower's bias absorbs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import { decodePng } from '../emoji/png.js';
import type { CaptionedImage } from './types.js';

/** Decodes `images` (paths relative to `root`), each `side` × `side` pixels, into n × side × side × 3 floats. */
export function loadPixels(images: readonly CaptionedImage[], root: string, side: number): Float32Array {
  const per = side * side * 3;
  const out = new Float32Array(images.length * per);
  images.forEach((img, i) => {
    const file = path.join(root, img.file);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new XmrError('E_MISSING', `cannot read the image: ${(e as Error).message}`, { file });
    }
    let rgba;
    try {
      rgba = decodePng(bytes, img.file);
    } catch (e) {
      throw new XmrError('E_PARSE', (e as Error).message, { file });
    }
    if (rgba.width !== side || rgba.height !== side) throw new XmrError('E_PARSE', `image is ${rgba.width}×${rgba.height} pixels, expected ${side}×${side}`, { file });
    const px = rgba.pixels;
    for (let p = 0, o = i * per; p < side * side; p++) {
      const a = px[p * 4 + 3]! / 255;
      for (let c = 0; c < 3; c++) out[o++] = (2 * (px[p * 4 + c]! * a + 255 * (1 - a))) / 255 - 1;
    }
  });
  return out;
}
