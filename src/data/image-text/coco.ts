/**
 * COCO captions JSON (`captions_val2014.json`; also CLIP_benchmark's converted
 * `coco_test_karpathy.json`): `{"images": [{"id", "file_name", …}], "annotations": [{"image_id",
 * "caption", "id"?}, …]}`. Every annotation is kept, in file order; images without an annotation
 * are dropped (they cannot be queried), image ids must be unique, and an annotation must name a
 * listed image — each refusal names its JSON path.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import { JsonPath, readJsonFile } from './json-file.js';
import type { ImageTextSet } from './types.js';

export interface CocoOptions {
  /** language of the captions; default `en` */
  lang?: string;
  /** folder holding the `file_name`s: checked to exist when given */
  imageRoot?: string;
}

export function readCoco(file: string, options: CocoOptions = {}): ImageTextSet {
  return parseCoco(readJsonFile(file), file, options);
}

/** Reads an already-parsed COCO captions document (`file` names it in errors). */
export function parseCoco(parsed: unknown, file: string, options: CocoOptions = {}): ImageTextSet {
  const lang = options.lang ?? 'en';
  const root = new JsonPath(file);
  const doc = root.object(parsed);
  const imagesAt = root.key('images');
  const byId = new Map<string, { file: string; at: string }>();
  imagesAt.array(doc['images']).forEach((raw, i) => {
    const at = imagesAt.index(i);
    const img = at.object(raw);
    const id = at.key('id').id(img['id']);
    const name = at.key('file_name').string(img['file_name']);
    const first = byId.get(id);
    if (first !== undefined) throw at.key('id').fail(`image id ${id} is used twice (first at ${first.at})`);
    byId.set(id, { file: name, at: at.path });
  });
  const annAt = root.key('annotations');
  const anns = annAt.array(doc['annotations']);
  const texts: { id: string; image: string; text: string }[] = [];
  const annIds = new Map<string, string>();
  anns.forEach((raw, i) => {
    const at = annAt.index(i);
    const a = at.object(raw);
    const image = at.key('image_id').id(a['image_id']);
    if (!byId.has(image)) throw at.key('image_id').fail(`image ${image} is not in $.images`);
    const text = at.key('caption').string(a['caption']);
    const id = a['id'] === undefined ? `${image}#${i}` : at.key('id').id(a['id']);
    const first = annIds.get(id);
    if (first !== undefined) throw at.key('id').fail(`annotation id ${id} is used twice (first at ${first})`);
    annIds.set(id, at.path);
    texts.push({ id, image, text });
  });
  const out: ImageTextSet = { images: [], captions: [] };
  const index = new Map<string, number>();
  // Images in file order, those with at least one caption.
  const captioned = new Set(texts.map((t) => t.image));
  for (const [id, img] of byId) {
    if (!captioned.has(id)) continue;
    if (options.imageRoot !== undefined && !existsSync(path.join(options.imageRoot, img.file))) {
      throw new XmrError('E_MISSING', `${img.at}: image file ${path.join(options.imageRoot, img.file)} does not exist`, { file });
    }
    index.set(id, out.images.length);
    out.images.push({ id: img.file, file: img.file });
  }
  for (const t of texts) out.captions.push({ id: t.id, image: index.get(t.image)!, text: t.text, lang });
  return out;
}
