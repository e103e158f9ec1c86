// How far sharp's CLIP preprocessing is from PIL's (what transformers' CLIPImageProcessor and
// open_clip use): the same images resized (bicubic) and centre-cropped by both, compared pixel by
// pixel in units of 1/255. Needs /usr/bin/python3 with PIL (python3-pil); skips without it. The
// numbers printed here are the ones the README quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { clipPreprocessing, resizeAndCrop, resizedSize } from '../src/encoders/image-preprocess.js';

const PY = '/usr/bin/python3';
const hasPil = spawnSync(PY, ['-c', 'import PIL.Image'], { stdio: 'ignore' }).status === 0;

// PIL's side: resize to the same size with BICUBIC (reducing_gap None, as transformers calls it), crop, raw bytes.
const SCRIPT = `
import sys
from PIL import Image
src, out, w, h, crop = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
im = Image.open(src).convert('RGB').resize((w, h), resample=Image.BICUBIC)
left, top = (w - crop) // 2, (h - crop) // 2
open(out, 'wb').write(im.crop((left, top, left + crop, top + crop)).tobytes())
`;

async function images(dir: string): Promise<{ name: string; file: string }[]> {
  const out: { name: string; file: string }[] = [];
  const textured = (w: number, h: number, seed: number) =>
    sharp({ create: { width: w, height: h, channels: 3, background: { r: 120, g: 90 + seed, b: 60 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).blur(1.5);
  const save = async (name: string, img: Sharp) => {
    const file = path.join(dir, name);
    await img.toFile(file);
    out.push({ name, file });
  };
  await save('texture-640x480.png', textured(640, 480, 1).png());
  await save('texture-333x500.jpg', textured(333, 500, 2).jpeg({ quality: 92 }));
  await save('texture-1024x768.jpg', textured(1024, 768, 3).jpeg({ quality: 92 }));
  await save('upscale-180x120.png', textured(180, 120, 4).png());
  const checker = Uint8Array.from({ length: 400 * 300 * 3 }, (_, i) => ((Math.floor(i / 3 / 400 / 10) + Math.floor(((i / 3) % 400) / 10)) % 2 ? 235 : 20));
  await save('checker-400x300.png', sharp(checker, { raw: { width: 400, height: 300, channels: 3 } }).png());
  return out;
}

test('sharp vs PIL: CLIP preprocessing at 224, pixel differences in units of 1/255', { skip: hasPil ? false : 'needs /usr/bin/python3 with PIL (apt-get install python3-pil)' }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-pil-'));
  const p = clipPreprocessing(224);
  const rows: string[] = [];
  const stats: { name: string; mean: number; max: number }[] = [];
  for (const { name, file } of await images(dir)) {
    const meta = await sharp(file).metadata();
    const { width, height } = resizedSize(meta.width!, meta.height!, p.size);
    const pilFile = path.join(dir, `${name}.pil.raw`);
    execFileSync(PY, ['-c', SCRIPT, file, pilFile, String(width), String(height), String(p.crop)]);
    const pil = readFileSync(pilFile);
    const ours = await resizeAndCrop(file, p);
    assert.equal(ours.length, pil.length, name);
    let max = 0;
    let sum = 0;
    let within1 = 0;
    for (let i = 0; i < ours.length; i++) {
      const d = Math.abs(ours[i]! - pil[i]!);
      max = Math.max(max, d);
      sum += d;
      if (d <= 1) within1++;
    }
    const mean = sum / ours.length;
    rows.push(`${name.padEnd(22)} mean |Δ| ${mean.toFixed(3)}  max |Δ| ${max}  within ±1: ${((100 * within1) / ours.length).toFixed(1)}%`);
    stats.push({ name, mean, max });
  }
  console.log(`# sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}) vs PIL:\n# ${rows.join('\n# ')}`);
  // Same kernel (a = −0.5 cubic, widened by the scale when shrinking) on the same pixel-centre grid:
  // rounding differs, nothing else. A half-pixel shift (libvips' own enlargement) measured mean 2.2,
  // max 14 on the enlarged texture; a JPEG shrink-on-load or box pre-shrink moves the mean too.
  for (const s of stats) assert.ok(s.mean < 0.5 && s.max <= 4, `${s.name}: mean |Δ| ${s.mean}, max ${s.max}`);
});
