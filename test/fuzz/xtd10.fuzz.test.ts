// Fuzz target xtd10: readXtd10 on mutations of either file of fuzz/corpus/xtd10 (an image list and
// a line-aligned caption file), the other left intact.
import path from 'node:path';
import { readXtd10 } from '../../src/data/image-text/index.js';
import { CRLF, fuzzTarget, quote } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'xtd10',
  together: true,
  read: (file) => readXtd10(path.dirname(file)),
  canonical: (set) => set,
  // the folder, or one of its files with the line
  place: (dir) => new RegExp(`${quote(dir)}(/[^:/]+:\\d+)?: `),
  named: (file) => path.dirname(file),
  neutral: { CRLF },
});
