/**
 * Image–text results as TREC qrels and runs, so `xmrbench compare`, `xmrbench eval` and every
 * paired test read them like any other retrieval result.
 *
 * - text→image: qid = caption id, docno = image id, the caption's image judged 1;
 * - image→text: qid = image id, docno = caption id, each of its captions judged 1.
 * Runs hold the `depth` best items per query with their cosine scores. Under trec_eval's measures
 * CLIP_benchmark's R@k is `Success@k` (any relevant item in the top k) and RR is `RR` (0 when the
 * first relevant item is beyond the depth). trec_eval orders exactly equal scores by docno
 * descending, xmrbench's retrieval by the lower index: the two agree wherever scores differ.
 */
import { Qrels, QrelsBuilder } from '../../data/trec/qrels.js';
import { Run, RunBuilder } from '../../data/trec/run.js';
import type { Direction, DirectionResult } from './retrieval.js';

/** Ids of the items of one retrieval problem: images, captions and each caption's image. */
export interface ImageTextIds {
  imageIds: readonly string[];
  captionIds: readonly string[];
  /** index into imageIds of each caption */
  textImage: Int32Array;
}

/** The judgments of one direction. */
export function imageTextQrels(direction: Direction, ids: ImageTextIds): Qrels {
  const b = new QrelsBuilder();
  if (direction === 't2i') {
    ids.textImage.forEach((img, t) => b.add(ids.captionIds[t]!, ids.imageIds[img]!, 1));
  } else {
    // Queries in image order, each with all its captions.
    const byImage: number[][] = ids.imageIds.map(() => []);
    ids.textImage.forEach((img, t) => byImage[img]!.push(t));
    byImage.forEach((ts, img) => ts.forEach((t) => b.add(ids.imageIds[img]!, ids.captionIds[t]!, 1)));
  }
  return b.build();
}

/** The run of one direction: each query's `depth` best items and their scores. */
export function imageTextRun(result: DirectionResult, ids: ImageTextIds): Run {
  const [queryIds, docIds] = result.direction === 't2i' ? [ids.captionIds, ids.imageIds] : [ids.imageIds, ids.captionIds];
  const b = new RunBuilder();
  const { ids: top, scores } = result.top;
  for (let q = 0; q < queryIds.length; q++) {
    for (let j = q * result.depth; j < (q + 1) * result.depth; j++) b.add(queryIds[q]!, docIds[top[j]!]!, scores[j]!);
  }
  return b.build();
}
