// Fuzz target muse: readMusePairs on mutations of fuzz/corpus/muse (MUSE bilingual lexicons).
import { readMusePairs } from '../../src/data/lexicons/muse.js';
import { BLANK_LINE, CRLF, LINE_PLACE, fuzzTarget } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'muse',
  read: (file) => readMusePairs(file),
  canonical: (pairs) => pairs,
  place: LINE_PLACE,
  neutral: { CRLF, BLANK_LINE },
});
