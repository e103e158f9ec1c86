/** Readers of image–text caption sets (Karpathy, COCO, XTD10, Crossmodal-3600) and per-language views. */
export type { Caption, CaptionedImage, ImageTextSet } from './types.js';
export { readKarpathy, parseKarpathy, type KarpathyOptions } from './karpathy.js';
export { readCoco, parseCoco, type CocoOptions } from './coco.js';
export { readXtd10, type Xtd10Options } from './xtd10.js';
export { readCrossmodal3600, type Crossmodal3600Options } from './crossmodal3600.js';
export { languageViews, type LanguageView } from './languages.js';
export { readCaptions, CAPTION_FORMATS, type CaptionFormat, type ReadCaptionsOptions } from './read.js';
