// Fuzz target config: loadConfig({ file }) (the experiment config: JSON, its JSON Schema, the
// cross-field checks) on mutations of fuzz/corpus/config.
import { loadConfig } from '../../src/experiment/config.js';
import { CRLF, JSON_PLACE, fuzzTarget } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'config',
  read: (file) => loadConfig({ file }),
  canonical: (c) => c,
  place: JSON_PLACE,
  neutral: { CRLF },
});
