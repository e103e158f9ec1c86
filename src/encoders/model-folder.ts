/**
 * Reading a model folder as Hugging Face optimum and sentence-transformers write it: optional JSON
 * files (config.json, 1_Pooling/config.json, preprocessor_config.json, …) and the ONNX graph, which
 * optimum puts at `model.onnx` and sentence-transformers' ONNX backend at `onnx/model.onnx`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../errors.js';
import { parseJsonText } from '../json-text.js';

/** The parsed JSON object in `file`, or undefined when the file does not exist. */
export function readOptionalJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  // parseJsonText: a syntax error names the line and column (V8's own message does not always).
  const value = parseJsonText(readFileSync(file, 'utf8'), { file });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new XmrError('E_PARSE', 'expected a JSON object', { file });
  return value as Record<string, unknown>;
}

/**
 * The model file and the folder holding its configuration, from a folder or a path to a `.onnx`
 * file. The sentence-transformers layout (`DIR/onnx/model.onnx`) resolves to DIR.
 */
export function locateOnnxModel(where: string): { folder: string; modelFile: string } {
  if (!existsSync(where)) throw new XmrError('E_MISSING', 'no such ONNX model folder or file', { file: where });
  if (statSync(where).isFile()) {
    const folder = path.dirname(where);
    const parent = path.dirname(folder);
    const stLayout = path.basename(folder) === 'onnx' && !existsSync(path.join(folder, 'tokenizer.json')) && existsSync(path.join(parent, 'tokenizer.json'));
    return { folder: stLayout ? parent : folder, modelFile: where };
  }
  for (const rel of ['model.onnx', path.join('onnx', 'model.onnx')]) {
    const file = path.join(where, rel);
    if (existsSync(file)) return { folder: where, modelFile: file };
  }
  throw new XmrError('E_MISSING', 'no model.onnx (nor onnx/model.onnx): expected a model folder as optimum or sentence-transformers export it', { file: where });
}
