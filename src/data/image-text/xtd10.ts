/**
 * The XTD10 layout (Aggarwal & Kale 2020, github.com/adobe-research/Cross-lingual-Test-Dataset-XTD10;
 * CLIP_benchmark's `multilingual_mscoco` loader): `test_image_names.txt` (one image file name per
 * line) and line-aligned `test_1kcaptions_<lang>.txt`, one caption per image per language. Read
 * line by line; a caption file with more or fewer lines than the image list, or an empty line, is
 * refused at its file and line.
 */
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { XmrError } from '../../errors.js';
import type { ImageTextSet } from './types.js';

export interface Xtd10Options {
  /** languages to read; default every `test_1kcaptions_<lang>.txt` in the folder, sorted */
  langs?: readonly string[];
  /** folder holding the images: checked to exist when given */
  imageRoot?: string;
}

async function readLines(file: string): Promise<string[]> {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'file not found', { file });
  const lines: string[] = [];
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    const text = line.replace(/^\uFEFF/, '').trim();
    if (text === '') throw new XmrError('E_PARSE', 'empty line', { file, line: lines.length + 1 });
    lines.push(text);
  }
  return lines;
}

export async function readXtd10(dir: string, options: Xtd10Options = {}): Promise<ImageTextSet> {
  const namesFile = path.join(dir, 'test_image_names.txt');
  const names = await readLines(namesFile);
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const first = seen.get(n);
    if (first !== undefined) throw new XmrError('E_DUPLICATE', `image ${JSON.stringify(n)} repeats line ${first + 1}`, { file: namesFile, line: i + 1 });
    seen.set(n, i);
    if (options.imageRoot !== undefined && !existsSync(path.join(options.imageRoot, n))) {
      throw new XmrError('E_MISSING', `image file ${path.join(options.imageRoot, n)} does not exist`, { file: namesFile, line: i + 1 });
    }
  });
  const langs =
    options.langs ??
    readdirSync(dir)
      .map((f) => /^test_1kcaptions_(.+)\.txt$/.exec(f)?.[1])
      .filter((l): l is string => l !== undefined)
      .sort();
  if (langs.length === 0) throw new XmrError('E_MISSING', 'no test_1kcaptions_<lang>.txt caption files', { file: dir });
  const out: ImageTextSet = { images: names.map((n) => ({ id: n, file: n })), captions: [] };
  for (const lang of langs) {
    const file = path.join(dir, `test_1kcaptions_${lang}.txt`);
    const lines = await readLines(file);
    if (lines.length !== names.length) {
      throw new XmrError('E_PARSE', `${lines.length} captions for the ${names.length} images of ${namesFile} (one per line, in the same order)`, { file, line: Math.min(lines.length, names.length) + 1 });
    }
    lines.forEach((text, i) => out.captions.push({ id: `${names[i]}#${lang}`, image: i, text, lang }));
  }
  return out;
}
