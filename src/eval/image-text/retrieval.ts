/**
 * Image–text retrieval in both directions on precomputed embeddings, exactly as CLIP_benchmark's
 * `evaluate` + `recall_at_k` (clip_benchmark/metrics/zeroshot_retrieval.py):
 *
 * - embeddings are L2-normalised, scores = texts · imagesᵀ (cosine similarity; we use topK's
 *   `cosine` metric, which divides by the norms instead of normalising copies);
 * - text→image ("image retrieval"): one query per caption, its own image relevant;
 * - image→text ("text retrieval"): one query per image, every caption of it relevant, a hit at k
 *   when any of them is in the top k.
 *
 * Ranking is the native topK (src/search/topk.ts): score descending, equal scores by the lower
 * index. CLIP_benchmark ranks with `torch.topk`, whose order among equal scores is unspecified,
 * so the two can differ only where a relevant and an irrelevant item tie exactly.
 *
 * Pass 1 asks topK for the `depth` best of every query (the run kept for `compare`, and R@k).
 * First-relevant ranks beyond the depth come from pass 2: the queries that missed are ranked in
 * full (topK with k = every item), in blocks of rows so the result buffers stay near 32 MB.
 */
import { float32, positiveInteger } from '../../args.js';
import { topK, type TopKResult } from '../../search/topk.js';
import { DEFAULT_CUTOFFS, measuresFromRanks, type RankMeasures } from './measures.js';

export type Direction = 't2i' | 'i2t';

export interface ImageTextOptions {
  /** coordinates per embedding */
  dim: number;
  /** R@k cutoffs; default 1, 5, 10 */
  cutoffs?: readonly number[];
  /** results kept per query (the run); default the largest cutoff */
  depth?: number;
  /** compute every first-relevant rank (RR, MedR, MeanR); default true */
  ranks?: boolean;
  /** threads per topK call; default 1 */
  threads?: number;
}

export interface DirectionResult extends RankMeasures {
  direction: Direction;
  /** 1-based rank of the first relevant item per query; 0 when beyond `depth` and ranks were off */
  ranks: Int32Array;
  /** the `depth` best items per query, row-major, best first */
  top: TopKResult;
  depth: number;
}

export interface ImageTextResult {
  t2i: DirectionResult;
  i2t: DirectionResult;
  cutoffs: number[];
  ranks: boolean;
}

function checkInputs(images: Float32Array, texts: Float32Array, textImage: Int32Array, dim: number): number {
  float32(images, 'images');
  float32(texts, 'texts');
  if (!(textImage instanceof Int32Array)) throw new TypeError('textImage must be an Int32Array');
  if (images.length % dim !== 0) throw new RangeError(`images.length (${images.length}) is not a multiple of dim (${dim})`);
  if (texts.length !== textImage.length * dim) throw new RangeError(`texts holds ${texts.length / dim} rows of dim ${dim} but textImage names ${textImage.length} captions`);
  const nImages = images.length / dim;
  if (nImages === 0) throw new RangeError('images must hold at least one row');
  const captions = new Int32Array(nImages);
  textImage.forEach((img, t) => {
    if (!(img >= 0 && img < nImages)) throw new RangeError(`textImage[${t}] must be an image index in [0, ${nImages}), got ${img}`);
    captions[img]!++;
  });
  const bare = captions.indexOf(0);
  if (bare >= 0) throw new RangeError(`image ${bare} has no caption (every image needs at least one; CLIP_benchmark would count it a miss in image→text)`);
  return nImages;
}

/** Rows `rows` of an m×dim matrix, gathered into a new array. */
export function gatherRows(x: Float32Array, rows: readonly number[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(x.subarray(r * dim, (r + 1) * dim), i * dim));
  return out;
}

/** Rank (1-based) of the first id in `ids[lo, lo+len)` for which `relevant` holds; 0 if none. */
function firstRelevant(ids: Int32Array, lo: number, len: number, relevant: (id: number) => boolean): number {
  for (let j = 0; j < len; j++) if (relevant(ids[lo + j]!)) return j + 1;
  return 0;
}

async function rankDirection(
  direction: Direction,
  queries: Float32Array,
  docs: Float32Array,
  relevant: (q: number, id: number) => boolean,
  o: { dim: number; depth: number; cutoffs: readonly number[]; ranks: boolean; threads: number },
): Promise<DirectionResult> {
  const m = queries.length / o.dim;
  const n = docs.length / o.dim;
  const depth = Math.min(o.depth, n);
  const top = await topK(queries, docs, { dim: o.dim, k: depth, metric: 'cosine', threads: o.threads });
  const ranks = new Int32Array(m);
  const missed: number[] = [];
  for (let q = 0; q < m; q++) {
    ranks[q] = firstRelevant(top.ids, q * depth, depth, (id) => relevant(q, id));
    if (ranks[q] === 0) missed.push(q);
  }
  if (o.ranks && depth < n) {
    const block = Math.max(1, Math.floor((1 << 22) / n));
    for (let b = 0; b < missed.length; b += block) {
      const rows = missed.slice(b, b + block);
      const full = await topK(gatherRows(queries, rows, o.dim), docs, { dim: o.dim, k: n, metric: 'cosine', threads: o.threads });
      rows.forEach((q, i) => (ranks[q] = firstRelevant(full.ids, i * n, n, (id) => relevant(q, id))));
    }
  }
  return { direction, ranks, top, depth, ...measuresFromRanks(ranks, o.cutoffs, o.ranks) };
}

/**
 * Both directions of image–text retrieval. `images` is nImages×dim, `texts` nTexts×dim (row-major
 * float32, any scale: they are compared by cosine), `textImage[t]` the image of caption t.
 * @throws TypeError / RangeError naming the argument for bad input, an image without a caption.
 */
export async function imageTextRetrieval(images: Float32Array, texts: Float32Array, textImage: Int32Array, options: ImageTextOptions): Promise<ImageTextResult> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with dim');
  const dim = positiveInteger(options.dim, 'dim');
  const cutoffs = [...(options.cutoffs ?? DEFAULT_CUTOFFS)];
  if (cutoffs.length === 0) throw new RangeError('cutoffs must name at least one k');
  cutoffs.forEach((k, i) => positiveInteger(k, `cutoffs[${i}]`));
  const depth = options.depth === undefined ? Math.max(...cutoffs) : positiveInteger(options.depth, 'depth');
  const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  const ranks = options.ranks ?? true;
  checkInputs(images, texts, textImage, dim);
  const o = { dim, depth: Math.max(depth, ...cutoffs), cutoffs, ranks, threads };
  const t2i = await rankDirection('t2i', texts, images, (t, img) => textImage[t] === img, o);
  const i2t = await rankDirection('i2t', images, texts, (img, t) => textImage[t] === img, o);
  return { t2i, i2t, cutoffs, ranks };
}
