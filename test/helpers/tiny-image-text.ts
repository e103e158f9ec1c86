/**
 * A tiny image–text test bed in the emoji test bed's layout (Karpathy JSON per style, sentences with
 * `lang`, PNG images relative to the folder): 8 classes — 4 colours × 2 shapes on 8×8 pixels — with
 * 6 images per class (4 train, 2 test), in two styles (`a` on a dark, `b` on a light background).
 * Captions use the tiny DDTP lexicons' words (tiny-ddtp.ts): English "w<colour> w<shape>" and its
 * word-by-word translations "<lang>w…" in de, it and ru, so code-switching and Translate-Test work.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng } from '../../src/data/emoji/png.js';
import { rng } from '../../src/random.js';

const SIDE = 8;
const LANGS = ['en', 'de', 'it', 'ru'];

export function writeTinyImageText(root: string, seed = 3): string {
  const dir = path.join(root, 'image-text');
  const u = rng(seed);
  const colours = [[230, 20, 20], [20, 200, 20], [20, 20, 230], [230, 230, 20]];
  for (const [style, bg] of [['a', 30], ['b', 200]] as const) {
    mkdirSync(path.join(dir, style), { recursive: true });
    const images: object[] = [];
    let sentid = 0;
    for (let k = 0; k < 8; k++) {
      for (let r = 0; r < 6; r++) {
        const px = new Uint8Array(SIDE * SIDE * 4);
        for (let y = 0; y < SIDE; y++)
          for (let x = 0; x < SIDE; x++) {
            const on = k < 4 ? y < 4 && x < 4 : y >= 5 && y < 7;
            for (let c = 0; c < 3; c++) px[(y * SIDE + x) * 4 + c] = Math.min(255, (on ? colours[k % 4]![c]! : bg) + Math.floor(40 * u()));
            px[(y * SIDE + x) * 4 + 3] = 255;
          }
        const filename = `c${k}-${r}.png`;
        writeFileSync(path.join(dir, style, filename), encodePng({ width: SIDE, height: SIDE, pixels: px }));
        const words = [`w${k % 4}`, `w${4 + Math.floor(k / 4)}`];
        const sentences = LANGS.map((lang) => ({ sentid: sentid++, raw: words.map((w) => (lang === 'en' ? w : `${lang}${w}`)).join(' '), lang }));
        images.push({ filepath: style, filename, imgid: k * 6 + r, split: r < 4 ? 'train' : 'test', sentences });
      }
    }
    writeFileSync(path.join(dir, `${style}.json`), JSON.stringify({ dataset: `tiny-${style}`, images }));
  }
  return dir;
}

/** The `imageText` section of a config for the tiny test bed: both protocols, a mixed set, a domain shift, small towers. */
export function tinyImageTextConfig(dir: string): Record<string, unknown> {
  return {
    dataset: dir,
    trainStyle: 'a',
    side: SIDE,
    tower: { patch: 4, hidden: 16 },
    seeds: [1, 2],
    clip: { dim: 16, epochs: 30, batch: 8, lr: 0.01, tau: 0.1 },
    lit: { epochs: 5, batch: 8, lr: 0.01, tau: 0.1 },
    settings: [
      { id: 'held-out/en', protocol: 'held-out', style: 'a', captions: ['en'] },
      { id: 'held-out/de', protocol: 'held-out', style: 'a', captions: ['de'] },
      { id: 'held-out/ru', protocol: 'held-out', style: 'a', captions: ['ru'] },
      { id: 'held-out/mix', protocol: 'held-out', style: 'a', captions: ['de', 'ru'] },
      { id: 'seen-images/de', protocol: 'seen-images', style: 'a', captions: ['de'] },
      { id: 'held-out/en@b', protocol: 'held-out', style: 'b', captions: ['en'] },
    ],
    // The seen-image protocol evaluates a sample of 24 of the 32 training images.
    maxImages: 24,
    probes: { setting: 'held-out/en', csRates: [0, 1], eps: [0, 0.5] },
  };
}
