/**
 * One retrieval problem per caption language, as CLIP_benchmark evaluates each language of XTD10 or
 * Crossmodal-3600 as its own dataset: language L's problem has the captions in L and the images
 * with at least one caption in L (an image without one could be neither found nor answered).
 */
import type { ImageTextSet } from './types.js';

export interface LanguageView {
  lang: string;
  /** indices into set.images, in set order */
  images: number[];
  /** indices into set.captions, in set order */
  captions: number[];
  /** for each caption of the view, the index of its image within `images` */
  textImage: Int32Array;
}

/** The languages of the set in order of first appearance, or `langs` in the order given. */
export function languageViews(set: ImageTextSet, langs?: readonly string[]): LanguageView[] {
  const order = langs ?? [...new Set(set.captions.map((c) => c.lang))];
  return order.map((lang) => {
    const captions: number[] = [];
    set.captions.forEach((c, i) => {
      if (c.lang === lang) captions.push(i);
    });
    const has = new Uint8Array(set.images.length);
    for (const i of captions) has[set.captions[i]!.image] = 1;
    const local = new Int32Array(set.images.length).fill(-1);
    const images: number[] = [];
    has.forEach((h, img) => {
      if (h) {
        local[img] = images.length;
        images.push(img);
      }
    });
    return { lang, images, captions, textImage: Int32Array.from(captions, (i) => local[set.captions[i]!.image]!) };
  });
}
