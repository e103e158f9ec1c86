// Fuzz target image: image decoding through sharp (resizeAndCrop, src/encoders/image-preprocess.ts)
// on mutations of fuzz/corpus/image (PNG, JPEG, GIF and WebP files of a few pixels).
import { clipPreprocessing, resizeAndCrop } from '../../src/encoders/image-preprocess.js';
import { fuzzTarget, quote } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'image',
  read: (file) => resizeAndCrop(file, clipPreprocessing(8)),
  canonical: (rgb) => Buffer.from(rgb).toString('hex'),
  place: (file) => new RegExp(`${quote(file)}: `),
});
