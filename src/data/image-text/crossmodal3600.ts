/**
 * Crossmodal-3600 (Thapliyal et al. 2022) `captions.jsonl`: one JSON object per line,
 * `{"image/key": "…", "<locale>": {"caption": ["…", …], …}, …}`, 3,600 images × 36 locales. As
 * CLIP_benchmark's `crossmodal3600` loader, each image keeps `caption[0]` per locale (with
 * `allCaptions`, every caption). Streamed line by line; a line that is not JSON, lacks the key,
 * repeats an image, or has a locale without captions is refused at its file and line.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { XmrError } from '../../errors.js';
import { parseJsonText } from '../../json-text.js';
import type { ImageTextSet } from './types.js';

export interface Crossmodal3600Options {
  /** locales to keep; default every locale of the first line, in file order */
  langs?: readonly string[];
  /** keep every caption instead of caption[0]; default false (CLIP_benchmark) */
  allCaptions?: boolean;
  /** folder with `<key>.jpg`: checked to exist when given */
  imageRoot?: string;
}

export async function readCrossmodal3600(file: string, options: Crossmodal3600Options = {}): Promise<ImageTextSet> {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'file not found', { file });
  const out: ImageTextSet = { images: [], captions: [] };
  const seen = new Map<string, number>();
  let langs = options.langs;
  let lineNo = 0;
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    const where = { file, line: lineNo };
    const rec = parseJsonText(line, where);
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new XmrError('E_PARSE', 'expected a JSON object', where);
    const obj = rec as Record<string, unknown>;
    const key = obj['image/key'];
    if (typeof key !== 'string' || key === '') throw new XmrError('E_PARSE', '"image/key" must be a non-empty string', where);
    const first = seen.get(key);
    if (first !== undefined) throw new XmrError('E_DUPLICATE', `image ${key} repeats line ${first}`, where);
    seen.set(key, lineNo);
    langs ??= Object.keys(obj).filter((k) => k !== 'image/key');
    const fileName = `${key}.jpg`;
    if (options.imageRoot !== undefined && !existsSync(path.join(options.imageRoot, fileName))) {
      throw new XmrError('E_MISSING', `image file ${path.join(options.imageRoot, fileName)} does not exist`, where);
    }
    const image = out.images.length;
    out.images.push({ id: key, file: fileName });
    for (const lang of langs) {
      const entry = obj[lang] as { caption?: unknown } | undefined;
      const caps = entry?.caption;
      if (!Array.isArray(caps) || caps.length === 0 || caps.some((c) => typeof c !== 'string')) {
        throw new XmrError('E_PARSE', `"${lang}".caption must be a non-empty array of strings`, where);
      }
      const keep = options.allCaptions ? caps.length : 1;
      for (let j = 0; j < keep; j++) out.captions.push({ id: options.allCaptions ? `${key}#${lang}#${j}` : `${key}#${lang}`, image, text: caps[j] as string, lang });
    }
  }
  if (out.images.length === 0) throw new XmrError('E_EMPTY', 'no images', { file });
  return out;
}
