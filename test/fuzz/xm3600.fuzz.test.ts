// Fuzz target xm3600: readCrossmodal3600 on mutations of fuzz/corpus/xm3600 (captions.jsonl).
import { readCrossmodal3600 } from '../../src/data/image-text/index.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'xm3600',
  read: (file) => readCrossmodal3600(file, { allCaptions: true }),
  canonical: (set) => set,
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
});
