// Fuzz target onnx-folder: OnnxTextEncoder.load on a model folder as optimum / sentence-transformers
// write it (fuzz/corpus/onnx-folder: tokenizer.json, config.json, tokenizer_config.json,
// special_tokens_map.json, config_sentence_transformers.json, sentence_bert_config.json,
// 1_Pooling/config.json and a tiny model.onnx), one file mutated per run: the folder's checks
// before and after the session is made. Each accepted load opens an onnxruntime session on a worker
// thread, so `npm test` runs fewer of these.
import path from 'node:path';
import { OnnxTextEncoder } from '../../src/encoders/onnx-text.js';
import { fuzzTarget, quote } from '../helpers/fuzz.js';

fuzzTarget({
  target: 'onnx-folder',
  together: true,
  runs: 40,
  read: async (file) => {
    const e = await OnnxTextEncoder.load(path.dirname(file.replace(/\/1_Pooling\//, '/')));
    const v = { dim: e.dim, pooling: e.pooling, output: e.outputName, maxLength: e.maxLength, padId: e.padId, queryPrefix: e.queryPrefix, documentPrefix: e.documentPrefix };
    await e.close();
    return v;
  },
  canonical: (v) => v,
  // Any file of the folder, with a line, a field or the parser's position when it is a JSON file.
  place: (dir) => new RegExp(`${quote(dir)}/[^:]+(:\\d+)?: `),
  named: (file) => path.dirname(file.replace(/\/1_Pooling\//, '/')),
});
