/**
 * The PNG code under the emoji test bed: encode → decode is lossless, palette and grey PNGs decode
 * to RGBA, and shrinking averages in premultiplied alpha (hand-worked).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { decodePng, encodePng, shrink } from '../src/data/emoji/png.js';

function chunk(type: string, data: number[]): Buffer {
  const body = Buffer.from([...Buffer.from(type, 'latin1'), ...data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  // decodePng does not check CRCs; a zero CRC keeps this fixture short.
  return Buffer.concat([len, body, Buffer.alloc(4)]);
}

describe('PNG', () => {
  it('round-trips RGBA exactly', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) % 256);
    const img = { width: 5, height: 3, pixels };
    assert.deepEqual(decodePng(encodePng(img), 'x.png'), img);
  });

  it('decodes a 2-bit palette PNG with transparency', () => {
    const ihdr = [0, 0, 0, 3, 0, 0, 0, 1, 2, 3, 0, 0, 0];
    // One row: filter 0, indices 0, 1, 2 packed in 2-bit fields (00 01 10 00 → 0x18).
    const png = Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('PLTE', [255, 0, 0, 0, 255, 0, 0, 0, 255]),
      chunk('tRNS', [0, 128]),
      chunk('IDAT', [...deflateSync(Buffer.from([0, 0x18]))]),
      chunk('IEND', []),
    ]);
    assert.deepEqual([...decodePng(png, 'p.png').pixels], [255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255]);
  });

  it('shrinks in premultiplied alpha, rounding halves up', () => {
    // One 2×2 block: opaque red, opaque blue, half-transparent green, fully transparent white.
    const img = { width: 2, height: 2, pixels: Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 255, 0, 255, 0, 128, 255, 255, 255, 0]) };
    // Σa = 638; R = 255·255/638 = 101.9 → 102; G = 255·128/638 = 51.2 → 51; B = 102; A = 638/4 = 159.5 → 160.
    assert.deepEqual([...shrink(img, 2).pixels], [102, 51, 102, 160]);
    assert.throws(() => shrink(img, 3), { name: 'RangeError', message: 'factor must be an integer ≥ 1 dividing 2×2, got 3' });
  });
});
