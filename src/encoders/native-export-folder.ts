/**
 * Reading back a native export folder (`xmrbench train --export DIR`, exportDualEncoder:
 * manifest.json, embeddings.bin, projection.bin, the tokenizer) into a native DualEncoder, so a
 * folder moved to another machine searches like its checkpoint. Every file is checked against the
 * manifest (format, version, shapes, byte size, SHA-256); the weights reach the native side as an
 * in-memory checkpoint in the format of native/include/xmr/checkpoint.h (version 1, no optimiser
 * state), the one path the addon already validates.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { XmrError } from '../errors.js';
import { native } from '../native.js';
import { DualEncoder, EXPORT_FORMAT, EXPORT_VERSION, type ExportManifest } from './dual-encoder-model.js';
import { readOptionalJson } from './model-folder.js';

/** Whether `dir` is a native export folder (has a manifest.json of the export format). */
export function isNativeExportFolder(dir: string): boolean {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return false;
  try {
    return readOptionalJson(file)?.format === EXPORT_FORMAT;
  } catch {
    return false;
  }
}

/** The checkpoint bytes (version 1, weights only) of E (V × d) and W (d′ × d, or null). */
function checkpointBytes(V: number, d: number, E: Float32Array, W: Float32Array | null, tau: number, config: string): Uint8Array {
  const json = new TextEncoder().encode(config);
  const floats = E.length + (W?.length ?? 0);
  const size = 80 + json.length + 4 * floats + 8;
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('XMRDE'), 0); // + the NUL already there
  v.setUint16(6, 1, true);
  v.setUint32(8, 80, true);
  v.setUint32(12, W === null ? 0 : 1, true);
  v.setBigUint64(16, BigInt(V), true);
  v.setBigUint64(24, BigInt(d), true);
  v.setBigUint64(32, BigInt(W === null ? 0 : W.length / d), true);
  v.setFloat32(40, tau, true);
  v.setBigUint64(56, BigInt(json.length), true);
  v.setBigUint64(64, BigInt(floats), true);
  bytes.set(json, 80);
  const at = 80 + json.length;
  for (let i = 0; i < E.length; i++) v.setFloat32(at + 4 * i, E[i]!, true);
  if (W !== null) for (let i = 0; i < W.length; i++) v.setFloat32(at + 4 * (E.length + i), W[i]!, true);
  v.setUint32(size - 8, crc32(bytes.subarray(0, size - 8)), true);
  bytes.set(new TextEncoder().encode('XEND'), size - 4);
  return bytes;
}

/** The model of a native export folder, its manifest and its tokenizer file (or null). */
export function loadDualEncoderExport(dir: string): { model: DualEncoder; manifest: ExportManifest; tokenizerFile: string | null } {
  const file = path.join(dir, 'manifest.json');
  const m = readOptionalJson(file) as ExportManifest | undefined;
  if (m === undefined) throw new XmrError('E_MISSING', 'no manifest.json: expected a folder written by xmrbench train --export', { file: dir });
  if (m.format !== EXPORT_FORMAT) throw new XmrError('E_CONFIG', `format: expected '${EXPORT_FORMAT}', got ${JSON.stringify(m.format)}`, { file });
  if (m.version !== EXPORT_VERSION) throw new XmrError('E_CONFIG', `version: expected ${EXPORT_VERSION}, got ${JSON.stringify(m.version)}`, { file });
  const tensor = (name: string, shape: number[] | null): Float32Array | null => {
    const t = m.tensors?.[name];
    if (t === undefined) {
      if (shape === null) return null;
      throw new XmrError('E_CONFIG', `tensors.${name}: missing`, { file });
    }
    if (shape !== null && JSON.stringify(t.shape) !== JSON.stringify(shape)) throw new XmrError('E_CONFIG', `tensors.${name}.shape: expected [${shape.join(', ')}], got ${JSON.stringify(t.shape)}`, { file });
    const bin = path.join(dir, t.file);
    if (!existsSync(bin)) throw new XmrError('E_MISSING', `no such file (tensors.${name} of ${file})`, { file: bin });
    const bytes = readFileSync(bin);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== 4 * count) throw new XmrError('E_PARSE', `expected ${4 * count} bytes (float32 [${t.shape.join(', ')}]), got ${bytes.length}`, { file: bin });
    if (createHash('sha256').update(bytes).digest('hex') !== t.sha256) throw new XmrError('E_PARSE', 'SHA-256 differs from the manifest: the file was changed or damaged', { file: bin });
    const out = new Float32Array(count);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  };
  const E = tensor('embeddings', [m.vocabSize, m.dim])!;
  const W = m.tensors?.projection === undefined ? null : tensor('projection', [m.outDim, m.dim]);
  let parsed;
  try {
    parsed = native().DualEncoder.fromCheckpoint(checkpointBytes(m.vocabSize, m.dim, E, W, m.temperature ?? 1, JSON.stringify(m.config ?? {})));
  } catch (e) {
    throw new XmrError('E_PARSE', (e as Error).message, { file });
  }
  const tokenizerFile = m.tokenizer === null || m.tokenizer === undefined ? null : path.join(dir, m.tokenizer.file);
  return { model: new DualEncoder(parsed.model), manifest: m, tokenizerFile };
}
