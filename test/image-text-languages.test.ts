/**
 * Per-language image–text evaluation of a caption set: rows matched by id (in any order) or by
 * position, each language its own problem (its captions, the images they describe), and the errors
 * for embeddings that do not fit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageTextSet } from '../src/data/image-text/types.js';
import { evaluateImageTextSet } from '../src/eval/image-text/evaluate-set.js';
import { imageTextRetrieval } from '../src/eval/image-text/index.js';

// Three images; English captions for all, German ones for images 0 and 2 only.
const set: ImageTextSet = {
  images: [{ id: 'a.png', file: 'a.png' }, { id: 'b.png', file: 'b.png' }, { id: 'c.png', file: 'c.png' }],
  captions: [
    { id: 'e0', image: 0, text: 'red', lang: 'en' },
    { id: 'd0', image: 0, text: 'rot', lang: 'de' },
    { id: 'e1', image: 1, text: 'green', lang: 'en' },
    { id: 'e2', image: 2, text: 'blue', lang: 'en' },
    { id: 'd2', image: 2, text: 'blau', lang: 'de' },
  ],
};
const imageVecs = [[1, 0], [0.6, 0.8], [0, 1]];
const textVecs: Record<string, number[]> = { e0: [0.9, 0.5], d0: [0.1, 1], e1: [0.5, 0.6], e2: [0.2, 1], d2: [1, 0.2] };

describe('evaluateImageTextSet', () => {
  it('evaluates each language on its own captions and images, rows matched by id', async () => {
    // Rows in another order than the set, found by their ids.
    const imageIds = ['c.png', 'a.png', 'b.png'];
    const textIds = ['d2', 'e2', 'e1', 'd0', 'e0'];
    const images = { data: Float32Array.from(imageIds.flatMap((id) => imageVecs[set.images.findIndex((i) => i.id === id)]!)), rows: 3, dim: 2, ids: imageIds, file: 'img.npy' };
    const texts = { data: Float32Array.from(textIds.flatMap((id) => textVecs[id]!)), rows: 5, dim: 2, ids: textIds, file: 'txt.npy' };
    const [en, de] = await evaluateImageTextSet(set, images, texts, { cutoffs: [1] });
    assert.deepEqual([en!.lang, en!.ids.imageIds, en!.ids.captionIds], ['en', ['a.png', 'b.png', 'c.png'], ['e0', 'e1', 'e2']]);
    assert.deepEqual([de!.lang, de!.ids.imageIds, de!.ids.captionIds, [...de!.ids.textImage]], ['de', ['a.png', 'c.png'], ['d0', 'd2'], [0, 1]]);
    const direct = await imageTextRetrieval(Float32Array.from([...imageVecs[0]!, ...imageVecs[2]!]), Float32Array.from([...textVecs['d0']!, ...textVecs['d2']!]), Int32Array.from([0, 1]), { dim: 2, cutoffs: [1] });
    assert.deepEqual([...de!.t2i.ranks], [...direct.t2i.ranks]);
    assert.deepEqual([...de!.i2t.ranks], [...direct.i2t.ranks]);
    // German captions are swapped on purpose: rot points at c, blau at a.
    assert.deepEqual([...de!.t2i.ranks], [2, 2]);
    const german = await evaluateImageTextSet(set, images, texts, { cutoffs: [1], langs: ['de'] });
    assert.deepEqual(german.map((r) => r.lang), ['de']);
  });

  it('without ids takes rows in the order of the set, and says when counts differ', async () => {
    const images = { data: Float32Array.from(imageVecs.flat()), rows: 3, dim: 2, file: 'img.npy' };
    const texts = { data: Float32Array.from(set.captions.flatMap((c) => textVecs[c.id]!)), rows: 5, dim: 2, file: 'txt.npy' };
    const [en] = await evaluateImageTextSet(set, images, texts, { cutoffs: [1] });
    assert.equal(en!.t2i.ranks.length, 3);
    await assert.rejects(evaluateImageTextSet(set, { ...images, rows: 2, data: images.data.subarray(0, 4) }, texts), {
      name: 'XmrError',
      message: 'img.npy: 2 rows for the 3 images of the captions file (without ids, row i is the i-th image); give ids beside the .npy',
    });
    await assert.rejects(evaluateImageTextSet(set, images, { ...texts, ids: ['e0', 'd0', 'e1', 'e2', 'x'] }), { name: 'XmrError', message: 'txt.npy: no embedding for caption "d2"' });
    await assert.rejects(evaluateImageTextSet(set, images, { ...texts, dim: 1, data: new Float32Array(5), rows: 5 }), { name: 'XmrError', message: 'img.npy: image embeddings have 2 dimensions but text embeddings 1 (txt.npy)' });
  });
});
