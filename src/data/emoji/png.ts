/**
 * Just enough PNG (ISO/IEC 15948, W3C PNG 2nd ed.) for the emoji test bed: decode the vendors'
 * non-interlaced PNGs (grey, RGB, palette with tRNS, grey+alpha, RGBA; 8-bit, palettes also 1/2/4-bit)
 * to RGBA, shrink by an integer factor, and encode RGBA. Written here rather than pulled in as a
 * dependency so the snapshot's bytes depend only on Node's zlib.
 *
 * Shrinking: each output pixel is the box average of factor×factor source pixels in premultiplied
 * alpha (colour weighted by alpha, so transparent pixels do not bleed their colour into edges):
 * A = round(Σa / n), C = round(Σc·a / Σa) (0 when Σa = 0), rounding halves up — integer data, so
 * the result is the same on every machine.
 *
 * Encoding: 8-bit RGBA, per row the filter (None, Sub, Up, Average, Paeth) with the smallest sum of
 * absolute filtered bytes (the heuristic the PNG spec recommends, §12.8), zlib level 9.
 */
import { deflateSync, inflateSync } from 'node:zlib';

export interface Rgba {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major */
  pixels: Uint8Array;
}

const SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG to RGBA; `name` is used in error messages. */
export function decodePng(bytes: Uint8Array, name: string): Rgba {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error(`${name}: not a PNG file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let palette: Uint8Array | undefined;
  let alphaTable: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let p = 8; p + 8 <= bytes.length; ) {
    const len = view.getUint32(p);
    const type = String.fromCharCode(...bytes.subarray(p + 4, p + 8));
    const data = bytes.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(p + 8);
      height = view.getUint32(p + 12);
      depth = bytes[p + 16]!;
      colorType = bytes[p + 17]!;
      if (bytes[p + 20] !== 0) throw new Error(`${name}: interlaced PNG is not supported`);
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') alphaTable = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    p += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (channels === undefined || (depth !== 8 && !(colorType === 3 && (depth === 1 || depth === 2 || depth === 4)))) {
    throw new Error(`${name}: PNG colour type ${colorType} at bit depth ${depth} is not supported`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = Math.ceil((width * channels * depth) / 8);
  const bpp = Math.max(1, (channels * depth) / 8);
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[i - bpp]! : 0;
      const b = up[i]!;
      const c = i >= bpp ? up[i - bpp]! : 0;
      const pred = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : -1;
      if (pred < 0) throw new Error(`${name}: bad PNG filter type ${filter}`);
      out[i] = (src[i]! + pred) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = rows.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (colorType === 3) {
        const idx = depth === 8 ? row[x]! : (row[(x * depth) >> 3]! >> (8 - depth - ((x * depth) & 7))) & ((1 << depth) - 1);
        if (palette === undefined || idx * 3 + 2 >= palette.length) throw new Error(`${name}: palette index ${idx} out of range`);
        pixels.set(palette.subarray(idx * 3, idx * 3 + 3), o);
        pixels[o + 3] = alphaTable !== undefined && idx < alphaTable.length ? alphaTable[idx]! : 255;
      } else if (colorType === 0 || colorType === 4) {
        const g = row[x * channels]!;
        pixels.set([g, g, g, colorType === 4 ? row[x * 2 + 1]! : 255], o);
      } else if (colorType === 2) {
        pixels.set([row[x * 3]!, row[x * 3 + 1]!, row[x * 3 + 2]!, 255], o);
      } else {
        pixels.set(row.subarray(x * 4, x * 4 + 4), o);
      }
    }
  }
  return { width, height, pixels };
}

/** Box-averages factor×factor blocks in premultiplied alpha (see the file comment). */
export function shrink(img: Rgba, factor: number): Rgba {
  if (!Number.isInteger(factor) || factor < 1 || img.width % factor !== 0 || img.height % factor !== 0) {
    throw new RangeError(`factor must be an integer ≥ 1 dividing ${img.width}×${img.height}, got ${factor}`);
  }
  const width = img.width / factor;
  const height = img.height / factor;
  const n = factor * factor;
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sa = 0;
      const sc = [0, 0, 0];
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const i = ((y * factor + dy) * img.width + x * factor + dx) * 4;
          const a = img.pixels[i + 3]!;
          sa += a;
          for (let c = 0; c < 3; c++) sc[c]! += img.pixels[i + c]! * a;
        }
      }
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) pixels[o + c] = sa === 0 ? 0 : Math.floor((2 * sc[c]! + sa) / (2 * sa));
      pixels[o + 3] = Math.floor((2 * sa + n) / (2 * n));
    }
  }
  return { width, height, pixels };
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes 8-bit RGBA (see the file comment for the filter choice). */
export function encodePng(img: Rgba): Uint8Array {
  const { width, height, pixels } = img;
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  const candidate = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const cur = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    let bestSum = Infinity;
    for (let f = 0; f < 5; f++) {
      let sum = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= 4 ? cur[i - 4]! : 0;
        const b = up[i]!;
        const c = i >= 4 ? up[i - 4]! : 0;
        const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const v = (cur[i]! - pred) & 0xff;
        candidate[i] = v;
        sum += v < 128 ? v : 256 - v;
      }
      if (sum < bestSum) {
        bestSum = sum;
        raw[y * (stride + 1)] = f;
        raw.set(candidate, y * (stride + 1) + 1);
      }
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}
