/**
 * COCO captions JSON (`captions_val2014.json`; also CLIP_benchmark's converted
 * `coco_test_karpathy.json`): `{"images": [{"id", "file_name", …}], "annotations": [{"image_id",
 * "caption", "id"?}, …]}`. Every annotation is kept, in file order; images without an annotation
 * are dropped (they cannot be queried), image ids must be unique, and an annotation must name a
 * listed image — each refusal names its field path.
 *
 * Read streamed, element by element (json-stream.ts): only the image names and the captions stay
 * in memory, not the rest of each record (COCO's `coco_url`, `license`, sizes, dates).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import { JsonFields } from '../../json-fields.js';
import { idField } from './json-file.js';
import { streamTopLevel } from './json-stream.js';
import type { ImageTextSet } from './types.js';

export interface CocoOptions {
  /** language of the captions; default `en` */
  lang?: string;
  /** folder holding the `file_name`s: checked to exist when given */
  imageRoot?: string;
}

const KEYS = ['images', 'annotations'] as const;

export function readCoco(file: string, options: CocoOptions = {}): ImageTextSet {
  const f = new JsonFields(file);
  const c = cocoReader(file, options);
  const seen = new Set<string>();
  for (const e of streamTopLevel(file)) {
    const key = KEYS.find((k) => k === e.key);
    if (key === undefined) continue;
    if (e.kind === 'member') f.array(e.value, key);
    seen.add(key);
    if (e.kind === 'element') c[key](e.value, e.index);
    else if (e.kind === 'end' && key === 'images') c.imagesDone();
  }
  for (const k of KEYS) if (!seen.has(k)) f.array(undefined, k);
  return c.result();
}

/** Reads an already-parsed COCO captions document (`file` names it in errors). */
export function parseCoco(parsed: unknown, file: string, options: CocoOptions = {}): ImageTextSet {
  const f = new JsonFields(file);
  const doc = f.object(parsed, 'the document');
  const c = cocoReader(file, options);
  f.array(doc['images'], 'images').forEach(c.images);
  c.imagesDone();
  f.array(doc['annotations'], 'annotations').forEach(c.annotations);
  return c.result();
}

/**
 * The one reading of COCO's images and annotations, element by element. An annotation's image is
 * checked once every image is known: at once when the images came first (as COCO writes them),
 * else at the end, in annotation order.
 */
function cocoReader(file: string, options: CocoOptions) {
  const lang = options.lang ?? 'en';
  const f = new JsonFields(file);
  const byId = new Map<string, { file: string; at: string }>();
  let allImages = false;
  const texts: { id: string; image: string; text: string; i: number }[] = [];
  const annIds = new Map<string, string>();
  const checkImage = (image: string, at: string): void => {
    if (!byId.has(image)) f.fail(`${at}.image_id`, `names image ${image}, which is not in images`);
  };
  return {
    images(raw: unknown, i: number): void {
      const at = `images[${i}]`;
      const img = f.object(raw, at);
      const id = idField(f, img['id'], `${at}.id`);
      const name = f.string(img['file_name'], `${at}.file_name`);
      const first = byId.get(id);
      if (first !== undefined) f.fail(`${at}.id`, `repeats image id ${id} of ${first.at}`);
      byId.set(id, { file: name, at });
    },
    imagesDone(): void {
      allImages = true;
    },
    annotations(raw: unknown, i: number): void {
      const at = `annotations[${i}]`;
      const a = f.object(raw, at);
      const image = idField(f, a['image_id'], `${at}.image_id`);
      if (allImages) checkImage(image, at);
      const text = f.string(a['caption'], `${at}.caption`);
      const id = a['id'] === undefined ? `${image}#${i}` : idField(f, a['id'], `${at}.id`);
      const first = annIds.get(id);
      if (first !== undefined) f.fail(`${at}.id`, `repeats annotation id ${id} of ${first}`);
      annIds.set(id, at);
      texts.push({ id, image, text, i });
    },
    result(): ImageTextSet {
      for (const t of texts) checkImage(t.image, `annotations[${t.i}]`);
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
    },
  };
}
