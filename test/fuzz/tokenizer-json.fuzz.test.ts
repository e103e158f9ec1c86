// Fuzz target tokenizer-json: Tokenizer.fromFile (the TypeScript reading of tokenizer.json, then
// the native build of the spec) on mutations of fuzz/corpus/tokenizer-json; an accepted tokenizer
// must also encode a sentence — or, a Unigram model without unk_id meeting an unknown character,
// refuse as Hugging Face tokenizers does at encode time (UnigramError::MissingUnkId).
import { Tokenizer } from '../../src/tokenize/tokenizer.js';
import { CRLF, JSON_PLACE, fuzzTarget } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'tokenizer-json',
  read: (file) => {
    const t = Tokenizer.fromFile(file);
    try {
      return [...t.encode('Hello, wörld! 日本 the quick brown fox').ids];
    } catch (e) {
      if (/^Unigram: an unknown character and the model has no unk_id$/.test((e as Error).message)) return 'MissingUnkId';
      throw e;
    }
  },
  canonical: (ids) => ids,
  place: JSON_PLACE,
  neutral: { CRLF },
});
