/**
 * A caption set and its embeddings → image–text retrieval per language (see retrieval.ts for the
 * measures and languages.ts for what one language's problem holds).
 *
 * Rows are matched to images and captions by id when the embeddings carry ids (image file name or
 * key, caption id: see data/image-text/types.ts), else by position: row i is the set's i-th image
 * or caption, so the counts must agree.
 */
import { XmrError } from '../../errors.js';
import { languageViews } from '../../data/image-text/languages.js';
import type { ImageTextSet } from '../../data/image-text/types.js';
import { gatherRows, imageTextRetrieval, type ImageTextOptions, type ImageTextResult } from './retrieval.js';
import type { ImageTextIds } from './trec.js';

export interface EmbeddingRows {
  /** row-major rows × dim */
  data: Float32Array;
  rows: number;
  dim: number;
  /** one id per row; absent: rows in the set's order */
  ids?: readonly string[];
  /** the file, named in errors */
  file: string;
}

export interface LanguageResult extends ImageTextResult {
  lang: string;
  ids: ImageTextIds;
}

/** For each wanted id, its row in `m` (without ids, row i is the i-th wanted). */
export function rowsFor(m: EmbeddingRows, wanted: readonly string[], what: string): Int32Array {
  if (m.ids === undefined) {
    if (m.rows !== wanted.length) throw new XmrError('E_PARSE', `${m.rows} rows for the ${wanted.length} ${what} of the captions file (without ids, row i is the i-th ${what.replace(/s$/, '')}); give ids beside the .npy`, { file: m.file });
    return Int32Array.from(wanted, (_, i) => i);
  }
  const at = new Map<string, number>();
  m.ids.forEach((id, i) => at.set(id, i));
  return Int32Array.from(wanted, (id) => {
    const r = at.get(id);
    if (r === undefined) throw new XmrError('E_MISSING', `no embedding for ${what.replace(/s$/, '')} ${JSON.stringify(id)}`, { file: m.file });
    return r;
  });
}

/** Retrieval in both directions for each language of the set (or `langs`). */
export async function evaluateImageTextSet(
  set: ImageTextSet,
  images: EmbeddingRows,
  texts: EmbeddingRows,
  options: Omit<ImageTextOptions, 'dim'> & { langs?: readonly string[] } = {},
): Promise<LanguageResult[]> {
  if (images.dim !== texts.dim) throw new XmrError('E_PARSE', `image embeddings have ${images.dim} dimensions but text embeddings ${texts.dim} (${texts.file})`, { file: images.file });
  const imageRows = rowsFor(images, set.images.map((i) => i.id), 'images');
  const captionRows = rowsFor(texts, set.captions.map((c) => c.id), 'captions');
  const out: LanguageResult[] = [];
  for (const view of languageViews(set, options.langs)) {
    if (view.captions.length === 0) throw new XmrError('E_EMPTY', `no caption in language ${view.lang}`, { file: texts.file });
    const result = await imageTextRetrieval(gatherRows(images.data, view.images.map((i) => imageRows[i]!), images.dim), gatherRows(texts.data, view.captions.map((c) => captionRows[c]!), texts.dim), view.textImage, { ...options, dim: images.dim });
    const ids: ImageTextIds = { imageIds: view.images.map((i) => set.images[i]!.id), captionIds: view.captions.map((c) => set.captions[c]!.id), textImage: view.textImage };
    out.push({ lang: view.lang, ids, ...result });
  }
  return out;
}
