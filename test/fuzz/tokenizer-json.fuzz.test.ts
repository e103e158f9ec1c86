// Fuzz target tokenizer-json: Tokenizer.fromFile (the TypeScript reading of tokenizer.json, then
// the native build of the spec) on mutations of fuzz/corpus/tokenizer-json; an accepted tokenizer
// must also encode a sentence.
import { Tokenizer } from '../../src/tokenize/tokenizer.js';
import { CRLF, JSON_PLACE, fuzzTarget } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'tokenizer-json',
  read: (file) => {
    const t = Tokenizer.fromFile(file);
    return t.encode('Hello, wörld! 日本 the quick brown fox').ids;
  },
  canonical: (ids) => [...ids],
  place: JSON_PLACE,
  neutral: { CRLF },
});
