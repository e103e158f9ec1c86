/**
 * Opens what `xmrbench search --ranker dense --model PATH` is given, as a text {@link Encoder}:
 *   - a checkpoint file (`.xde`, xmrbench train): the native dual encoder with the tokenizer and
 *     maximum length it was trained with (from the checkpoint's config);
 *   - a native export folder (manifest.json, `xmrbench train --export`): the same model read back;
 *   - an ONNX model folder or .onnx file (optimum, sentence-transformers, `xmrbench export --onnx`):
 *     {@link OnnxTextEncoder} with the ONNX options.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../errors.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { loadDualEncoder, type DualEncoder } from './dual-encoder-model.js';
import type { Encoder } from './encoder.js';
import { NativeTextEncoder } from './native-text-encoder.js';
import { isNativeExportFolder, loadDualEncoderExport } from './native-export-folder.js';
import { OnnxTextEncoder, type OnnxTextEncoderOptions } from './onnx-text.js';

export type OpenedTextEncoder = Encoder<string> & { readonly kind: 'native' | 'onnx'; close(): Promise<void> };

function nativeEncoder(model: DualEncoder, config: Record<string, unknown>, tokenizerFile: string | null, where: string, options: OnnxTextEncoderOptions): OpenedTextEncoder {
  const trained = config.tokenizer as { file?: unknown; maxLength?: unknown } | undefined;
  const file = tokenizerFile ?? (typeof trained?.file === 'string' ? trained.file : null);
  if (file === null) throw new XmrError('E_CONFIG', 'names no tokenizer file (trained with an older xmrbench?)', { file: where });
  if (!existsSync(file)) throw new XmrError('E_MISSING', `no such tokenizer file (the one ${where} was trained with)`, { file });
  // A vocab.txt is read as training reads it (BERT uncased).
  const tokenizer = file.endsWith('.json') ? Tokenizer.fromFile(file) : Tokenizer.fromVocabFile(file);
  const maxLength = options.maxLength ?? (typeof trained?.maxLength === 'number' ? trained.maxLength : 128);
  const encoder = new NativeTextEncoder(model, tokenizer, { maxLength, ...(options.threads === undefined ? {} : { threads: options.threads }) });
  return Object.assign(encoder, { kind: 'native' as const, close: async () => undefined });
}

/** The text encoder at `where` (see the module comment); ONNX-only options are ignored for native models. */
export async function openTextEncoder(where: string, options: OnnxTextEncoderOptions = {}): Promise<OpenedTextEncoder> {
  if (typeof where !== 'string' || where === '') throw new TypeError('model must be a path');
  if (!existsSync(where)) throw new XmrError('E_MISSING', 'no such model: expected a checkpoint (.xde), a native export folder or an ONNX model folder', { file: where });
  if (statSync(where).isFile() && !where.endsWith('.onnx')) {
    const { model, info } = loadDualEncoder(where);
    return nativeEncoder(model, info.config, null, where, options);
  }
  if (statSync(where).isDirectory() && isNativeExportFolder(where)) {
    const { model, manifest, tokenizerFile } = loadDualEncoderExport(where);
    return nativeEncoder(model, manifest.config ?? {}, tokenizerFile, path.join(where, 'manifest.json'), options);
  }
  const onnx = await OnnxTextEncoder.load(where, options);
  return Object.assign(onnx, { kind: 'onnx' as const });
}
