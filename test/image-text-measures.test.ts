/**
 * Image–text measures on a hand-worked case: first-relevant ranks in both directions, R@k, RR,
 * MedR, MeanR, the full-ranking pass for queries beyond the depth, ties by the lower index, and the
 * TREC form read back by `evaluate` (Success@k = CLIP_benchmark's R@k).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageTextQrels, imageTextRetrieval, imageTextRun, median } from '../src/eval/image-text/index.js';
import { evaluate } from '../src/eval/evaluate.js';

// Images i0 = (1,0), i1 = (0,1), i2 = (−1,0); captions t0, t1 of i0, t2 of i1, t3 of i2.
// Text→image (cosine): t0 = (1,.1) ranks i0 first; t1 = (.1,1) ranks i1, i0 → 2; t2 = (−1,−.2)
// ranks i2, i1 → 2; t3 = (1,−.5) ranks i0, i1, i2 → 3.
// Image→text on the normalised captions: i0 ranks t0 (.995), t3 (.894), t1, t2 → 1; i1 ranks t1,
// t0, t2 → 3; i2 ranks t2 (.981), t1 (−.0995), t3 (−.894), t0 → 3.
const images = Float32Array.from([1, 0, 0, 1, -1, 0]);
const texts = Float32Array.from([1, 0.1, 0.1, 1, -1, -0.2, 1, -0.5]);
const textImage = Int32Array.from([0, 0, 1, 2]);

describe('image–text measures by hand', () => {
  it('ranks the first relevant item in both directions', async () => {
    const r = await imageTextRetrieval(images, texts, textImage, { dim: 2 });
    assert.deepEqual([...r.t2i.ranks], [1, 2, 2, 3]);
    assert.deepEqual([...r.i2t.ranks], [1, 3, 3]);
  });

  it('R@k, RR, MedR and MeanR per direction', async () => {
    const r = await imageTextRetrieval(images, texts, textImage, { dim: 2, cutoffs: [1, 2] });
    assert.deepEqual([...r.t2i.perQuery.get('R@1')!], [1, 0, 0, 0]);
    assert.deepEqual([...r.t2i.perQuery.get('R@2')!], [1, 1, 1, 0]);
    assert.deepEqual([...r.t2i.perQuery.get('RR')!], [1, 1 / 2, 1 / 2, 1 / 3]);
    assert.deepEqual(r.t2i.means, { 'R@1': 0.25, 'R@2': 0.75, RR: (1 + 1 / 2 + 1 / 2 + 1 / 3) / 4, MedR: 2, MeanR: 2 });
    assert.deepEqual(r.i2t.means, { 'R@1': 1 / 3, 'R@2': 1 / 3, RR: (1 + 1 / 3 + 1 / 3) / 3, MedR: 3, MeanR: 7 / 3 });
  });

  it('ranks beyond the depth come from a full ranking, and ranks: false leaves them unknown', async () => {
    const full = await imageTextRetrieval(images, texts, textImage, { dim: 2, cutoffs: [1], depth: 1 });
    assert.deepEqual([...full.t2i.ranks], [1, 2, 2, 3]);
    assert.equal(full.t2i.top.ids.length, 4);
    const bare = await imageTextRetrieval(images, texts, textImage, { dim: 2, cutoffs: [1], ranks: false });
    assert.deepEqual([...bare.t2i.ranks], [1, 0, 0, 0]);
    assert.deepEqual(Object.keys(bare.t2i.means), ['R@1']);
  });

  it('breaks exact ties by the lower index', async () => {
    // Two identical images: the caption of the second one finds it at rank 2.
    const r = await imageTextRetrieval(Float32Array.from([0, 1, 0, 1]), Float32Array.from([0, 1, 0, 1]), Int32Array.from([0, 1]), { dim: 2 });
    assert.deepEqual([...r.t2i.ranks], [1, 2]);
    assert.deepEqual([...r.i2t.ranks], [1, 2]);
  });

  it('median as numpy.median', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('the TREC form gives the same Success@k and RR under evaluate', async () => {
    const r = await imageTextRetrieval(images, texts, textImage, { dim: 2, cutoffs: [1, 2], depth: 3 });
    const ids = { imageIds: ['i0', 'i1', 'i2'], captionIds: ['t0', 't1', 't2', 't3'], textImage };
    for (const d of [r.t2i, r.i2t]) {
      const ev = evaluate(imageTextQrels(d.direction, ids), imageTextRun(d, ids), 'Success@1,Success@2,RR', { queries: 'all' });
      assert.deepEqual([...ev.perQuery.get('Success@1')!], [...d.perQuery.get('R@1')!], d.direction);
      assert.deepEqual([...ev.perQuery.get('Success@2')!], [...d.perQuery.get('R@2')!], d.direction);
      assert.deepEqual([...ev.perQuery.get('RR')!], [...d.perQuery.get('RR')!], d.direction);
    }
  });

  it('rejects bad input naming the argument', async () => {
    await assert.rejects(imageTextRetrieval(images, texts, Int32Array.from([0, 0, 1]), { dim: 2 }), { name: 'RangeError', message: 'texts holds 4 rows of dim 2 but textImage names 3 captions' });
    await assert.rejects(imageTextRetrieval(images, texts, Int32Array.from([0, 0, 1, 3]), { dim: 2 }), { name: 'RangeError', message: 'textImage[3] must be an image index in [0, 3), got 3' });
    await assert.rejects(imageTextRetrieval(images, texts, Int32Array.from([0, 0, 1, 1]), { dim: 2 }), {
      name: 'RangeError',
      message: 'image 2 has no caption (every image needs at least one; CLIP_benchmark would count it a miss in image→text)',
    });
    await assert.rejects(imageTextRetrieval(images, texts, textImage, { dim: 2, cutoffs: [0] }), { name: 'RangeError', message: 'cutoffs[0] must be an integer ≥ 1, got 0' });
  });
});
