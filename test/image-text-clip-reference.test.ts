/**
 * The same numbers as CLIP_benchmark: on ../shared/reference/image-text (embeddings and the values
 * its own `recall_at_k` computed with torch), every averaged and every per-query value, both
 * directions, k = 1, 5, 10; and the TREC form gives the same per-query values as Success@k.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readNpy } from '../src/data/npy.js';
import { evaluate } from '../src/eval/evaluate.js';
import { imageTextQrels, imageTextRetrieval, imageTextRun } from '../src/eval/image-text/index.js';
import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';

const skip = skipUnlessReference('image-text/expected.json');
const dir = path.join(referenceDir, 'image-text');

describe('CLIP_benchmark recall_at_k reference', { skip }, () => {
  const expected = skip ? undefined : JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));

  it('matches every averaged and per-query value in both directions', async () => {
    const images = readNpy(path.join(dir, 'images.npy'));
    const texts = readNpy(path.join(dir, 'texts.npy'));
    assert.deepEqual([images.rows, texts.rows, images.cols], [300, 1259, 64]);
    const textImage = Int32Array.from(expected.texts_image_index as number[]);
    const r = await imageTextRetrieval(images.data, texts.data, textImage, { dim: 64, threads: 2 });
    for (const k of [1, 5, 10]) {
      assert.deepEqual([...r.t2i.perQuery.get(`R@${k}`)!], expected.per_query[`t2i@${k}`], `t2i@${k}`);
      assert.deepEqual([...r.i2t.perQuery.get(`R@${k}`)!], expected.per_query[`i2t@${k}`], `i2t@${k}`);
      // torch averages in float32: the float32 rounding of our float64 mean.
      assert.equal(Math.fround(r.t2i.means[`R@${k}`]!), expected.metrics[`image_retrieval_recall@${k}`], `image_retrieval_recall@${k}`);
      assert.equal(Math.fround(r.i2t.means[`R@${k}`]!), expected.metrics[`text_retrieval_recall@${k}`], `text_retrieval_recall@${k}`);
    }
    const ids = { imageIds: Array.from({ length: 300 }, (_, i) => `img${i}`), captionIds: Array.from({ length: 1259 }, (_, i) => `cap${i}`), textImage };
    for (const d of [r.t2i, r.i2t]) {
      const ev = evaluate(imageTextQrels(d.direction, ids), imageTextRun(d, ids), 'Success@1,Success@5,Success@10', { queries: 'all' });
      // evaluate lists queries in byte order; map back to ours.
      const order = ev.queryIds.map((q) => Number(q.slice(3)));
      for (const k of [1, 5, 10]) assert.deepEqual([...ev.perQuery.get(`Success@${k}`)!], order.map((q) => d.perQuery.get(`R@${k}`)![q]), `${d.direction} Success@${k}`);
    }
  });
});
