// Fuzz target dictd: readDictd and the FreeDict entry reader (freedictCandidates) on mutations of
// either file of fuzz/corpus/dictd (a .index and its .dict.dz), the other file left intact.
import { readDictd } from '../../src/data/lexicons/dictd.js';
import { freedictCandidates } from '../../src/data/lexicons/freedict.js';
import { LINE_PLACE, fuzzTarget } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'dictd',
  together: true,
  read: (file) => {
    const d = readDictd(file.replace(/\.(index|dict\.dz)$/, ''));
    return { entries: d.entries, candidates: [...freedictCandidates(d)] };
  },
  canonical: (v) => v,
  place: LINE_PLACE,
});
