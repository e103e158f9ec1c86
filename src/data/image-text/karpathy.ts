/**
 * Karpathy-split JSON (`dataset_coco.json`, `dataset_flickr30k.json`, from Karpathy & Fei-Fei 2015's
 * NeuralTalk release): `{"images": [{"filepath", "filename", "imgid", "split", "sentences": [{"raw",
 * "sentid", "tokens", …}, …]}, …]}`. A sentence may carry `"lang"` — multilingual captions in one
 * file; without it the caption is in `defaultLang`.
 *
 * Read streamed, image by image (json-stream.ts): dataset_coco.json is ~150 MB, and only the kept
 * images' captions stay in memory (not `tokens`, not the other splits).
 *
 * Kept: every sentence of every image in the chosen splits (no cap at 5 captions). Refused, naming
 * the field path: a missing field, a duplicated `sentid` or image file name, an image without
 * sentences; with `imageRoot`, an image file that does not exist under it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import { JsonFields } from '../../json-fields.js';
import { idField } from './json-file.js';
import { streamTopLevel } from './json-stream.js';
import type { ImageTextSet } from './types.js';

export interface KarpathyOptions {
  /** splits to keep; default all */
  splits?: readonly string[];
  /** language of sentences without `lang`; default `en` */
  defaultLang?: string;
  /** folder the `filepath/filename` of each image is relative to: checked to exist when given */
  imageRoot?: string;
}

export function readKarpathy(file: string, options: KarpathyOptions = {}): ImageTextSet {
  const f = new JsonFields(file);
  const add = karpathyImages(file, options);
  let images = false;
  for (const e of streamTopLevel(file)) {
    if (e.key !== 'images') continue;
    if (e.kind === 'member') f.array(e.value, 'images');
    images = true;
    if (e.kind === 'element') add(e.value, e.index);
  }
  if (!images) f.array(undefined, 'images');
  return add.set;
}

/** Reads an already-parsed Karpathy document (`file` names it in errors). */
export function parseKarpathy(doc: unknown, file: string, options: KarpathyOptions = {}): ImageTextSet {
  const f = new JsonFields(file);
  const add = karpathyImages(file, options);
  f.array(f.object(doc, 'the document')['images'], 'images').forEach(add);
  return add.set;
}

/** A function that adds `images[i]` to `.set` — the one reading of an image for both entry points. */
function karpathyImages(file: string, options: KarpathyOptions): ((raw: unknown, i: number) => void) & { set: ImageTextSet } {
  const defaultLang = options.defaultLang ?? 'en';
  const splits = options.splits === undefined ? undefined : new Set(options.splits);
  const f = new JsonFields(file);
  const out: ImageTextSet = { images: [], captions: [] };
  const sentids = new Map<string, string>();
  const names = new Map<string, string>();
  const add = (raw: unknown, i: number): void => {
    const at = `images[${i}]`;
    const img = f.object(raw, at);
    const split = img['split'] === undefined ? undefined : f.string(img['split'], `${at}.split`);
    if (splits !== undefined && (split === undefined || !splits.has(split))) return;
    const filename = f.string(img['filename'], `${at}.filename`);
    const filepath = img['filepath'] === undefined ? '' : f.string(img['filepath'], `${at}.filepath`);
    const rel = filepath === '' ? filename : `${filepath}/${filename}`;
    const seen = names.get(rel);
    if (seen !== undefined) f.fail(`${at}.filename`, `repeats image ${JSON.stringify(rel)} of ${seen}`);
    names.set(rel, at);
    if (options.imageRoot !== undefined && !existsSync(path.join(options.imageRoot, rel))) {
      throw new XmrError('E_MISSING', `${at}: image file ${path.join(options.imageRoot, rel)} does not exist`, { file });
    }
    const sentences = f.array(img['sentences'], `${at}.sentences`);
    if (sentences.length === 0) f.fail(`${at}.sentences`, 'must have at least 1 element');
    const image = out.images.length;
    out.images.push({ id: filename, file: rel, ...(split === undefined ? {} : { split }) });
    sentences.forEach((s, j) => {
      const sAt = `${at}.sentences[${j}]`;
      const sent = f.object(s, sAt);
      const id = idField(f, sent['sentid'], `${sAt}.sentid`);
      const first = sentids.get(id);
      if (first !== undefined) f.fail(`${sAt}.sentid`, `repeats sentid ${id} of ${first}`);
      sentids.set(id, sAt);
      const text = f.string(sent['raw'], `${sAt}.raw`);
      const lang = sent['lang'] === undefined ? defaultLang : f.string(sent['lang'], `${sAt}.lang`);
      out.captions.push({ id, image, text, lang });
    });
  };
  return Object.assign(add, { set: out });
}
