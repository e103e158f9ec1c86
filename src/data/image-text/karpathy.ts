/**
 * Karpathy-split JSON (`dataset_coco.json`, `dataset_flickr30k.json`, from Karpathy & Fei-Fei 2015's
 * NeuralTalk release): `{"images": [{"filepath", "filename", "imgid", "split", "sentences": [{"raw",
 * "sentid", "tokens", …}, …]}, …]}`. A sentence may carry `"lang"` — multilingual captions in one
 * file; without it the caption is in `defaultLang`.
 *
 * Kept: every sentence of every image in the chosen splits (no cap at 5 captions). Refused, naming
 * the JSON path: a missing field, a duplicated `sentid` or image file name, an image without
 * sentences; with `imageRoot`, an image file that does not exist under it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import { JsonPath, readJsonFile } from './json-file.js';
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
  return parseKarpathy(readJsonFile(file), file, options);
}

/** Reads an already-parsed Karpathy document (`file` names it in errors). */
export function parseKarpathy(doc: unknown, file: string, options: KarpathyOptions = {}): ImageTextSet {
  const defaultLang = options.defaultLang ?? 'en';
  const splits = options.splits === undefined ? undefined : new Set(options.splits);
  const root = new JsonPath(file);
  const imagesAt = root.key('images');
  const list = imagesAt.array(root.object(doc)['images']);
  const out: ImageTextSet = { images: [], captions: [] };
  const sentids = new Map<string, string>();
  const names = new Map<string, string>();
  list.forEach((raw, i) => {
    const at = imagesAt.index(i);
    const img = at.object(raw);
    const split = img['split'] === undefined ? undefined : at.key('split').string(img['split']);
    if (splits !== undefined && (split === undefined || !splits.has(split))) return;
    const filename = at.key('filename').string(img['filename']);
    const filepath = img['filepath'] === undefined ? '' : at.key('filepath').string(img['filepath']);
    const rel = filepath === '' ? filename : `${filepath}/${filename}`;
    const seen = names.get(rel);
    if (seen !== undefined) throw at.key('filename').fail(`image ${JSON.stringify(rel)} is listed twice (first at ${seen})`);
    names.set(rel, at.path);
    if (options.imageRoot !== undefined && !existsSync(path.join(options.imageRoot, rel))) {
      throw new XmrError('E_MISSING', `${at.path}: image file ${path.join(options.imageRoot, rel)} does not exist`, { file });
    }
    const sentencesAt = at.key('sentences');
    const sentences = sentencesAt.array(img['sentences']);
    if (sentences.length === 0) throw sentencesAt.fail('an image without sentences');
    const image = out.images.length;
    out.images.push({ id: filename, file: rel, ...(split === undefined ? {} : { split }) });
    sentences.forEach((s, j) => {
      const sAt = sentencesAt.index(j);
      const sent = sAt.object(s);
      const id = sAt.key('sentid').id(sent['sentid']);
      const first = sentids.get(id);
      if (first !== undefined) throw sAt.key('sentid').fail(`sentid ${id} is used twice (first at ${first})`);
      sentids.set(id, sAt.path);
      const text = sAt.key('raw').string(sent['raw']);
      const lang = sent['lang'] === undefined ? defaultLang : sAt.key('lang').string(sent['lang']);
      out.captions.push({ id, image, text, lang });
    });
  });
  return out;
}
