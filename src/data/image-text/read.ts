/**
 * One entry point for every caption format: `karpathy`, `coco`, `xtd10` (a folder), `xm3600`
 * (captions.jsonl), or `auto` — a folder is XTD10, `.jsonl` is Crossmodal-3600, and a JSON
 * document is COCO when it has `annotations`, else Karpathy (whose images carry `sentences`).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { oneOf } from '../../args.js';
import { XmrError } from '../../errors.js';
import { readCoco } from './coco.js';
import { readCrossmodal3600 } from './crossmodal3600.js';
import { streamTopLevel } from './json-stream.js';
import { readKarpathy } from './karpathy.js';
import type { ImageTextSet } from './types.js';
import { readXtd10 } from './xtd10.js';

export type CaptionFormat = 'auto' | 'karpathy' | 'coco' | 'xtd10' | 'xm3600';
export const CAPTION_FORMATS: readonly CaptionFormat[] = ['auto', 'karpathy', 'coco', 'xtd10', 'xm3600'];

export interface ReadCaptionsOptions {
  format?: CaptionFormat;
  /** Karpathy splits to keep; default all */
  splits?: readonly string[];
  /** languages to keep (XTD10, Crossmodal-3600: which files/locales to read; others: a filter) */
  langs?: readonly string[];
  /** language of captions that do not say (Karpathy without `lang`, COCO); default `en` */
  defaultLang?: string;
  /** Crossmodal-3600: every caption instead of caption[0] */
  allCaptions?: boolean;
  /** folder the image files are relative to: each is checked to exist when given */
  imageRoot?: string;
}

/**
 * COCO or Karpathy, from the start of the document: an `annotations` key is COCO, a first image
 * with `sentences` is Karpathy (so a Karpathy file is not read to its end twice).
 */
function detectJson(file: string): 'coco' | 'karpathy' {
  for (const e of streamTopLevel(file)) {
    if (e.key === 'annotations') return 'coco';
    if (e.key === 'images' && e.kind === 'element' && e.value !== null && typeof e.value === 'object' && 'sentences' in e.value) return 'karpathy';
  }
  return 'karpathy';
}

function detect(file: string): CaptionFormat {
  let dir: boolean;
  try {
    dir = statSync(file).isDirectory();
  } catch {
    throw new XmrError('E_MISSING', 'file not found', { file });
  }
  if (dir) return 'xtd10';
  if (file.endsWith('.jsonl')) return 'xm3600';
  return detectJson(file);
}

/**
 * The folder a caption set's image files are relative to when no image root is given: beside the
 * captions file — where Karpathy's filepath/filename, COCO's file_name and XM3600's <key>.jpg are
 * relative to — or the XTD10 folder itself.
 */
export function imagesBeside(captions: string): string {
  return statSync(captions, { throwIfNoEntry: false })?.isDirectory() ? captions : path.dirname(captions);
}

export async function readCaptions(file: string, options: ReadCaptionsOptions = {}): Promise<ImageTextSet> {
  let format = oneOf(options.format ?? 'auto', 'format', CAPTION_FORMATS);
  if (format === 'auto') format = detect(file);
  const { imageRoot, langs } = options;
  if (format === 'xtd10') return readXtd10(file, { langs, imageRoot });
  if (format === 'xm3600') return readCrossmodal3600(file, { langs, imageRoot, allCaptions: options.allCaptions });
  const set: ImageTextSet =
    format === 'coco'
      ? readCoco(file, { lang: options.defaultLang, imageRoot })
      : readKarpathy(file, { splits: options.splits, defaultLang: options.defaultLang, imageRoot });
  if (langs === undefined) return set;
  const keep = new Set(langs);
  return { images: set.images, captions: set.captions.filter((c) => keep.has(c.lang)) };
}
