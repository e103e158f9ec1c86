/**
 * Reading a native checkpoint file (the framing of native/include/xmr/checkpoint.h, shared by the
 * dual encoder's `.xde` and the image tower's `.xit`): one place for the file and parse errors.
 */
import { readFileSync } from 'node:fs';
import { XmrError } from '../errors.js';

/**
 * Reads `file` and parses it with the native `parse`; a missing, truncated, foreign or corrupted
 * file, or a config that is not JSON, is an XmrError naming the file. An empty config reads as {}.
 */
export function readNativeCheckpoint<P extends { config: string }>(
  file: string,
  parse: (bytes: Uint8Array) => P,
): { parsed: P; config: Record<string, unknown>; bytes: Uint8Array } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new XmrError('E_MISSING', 'no such checkpoint file', { file });
    throw new XmrError('E_IO', (e as Error).message, { file });
  }
  let parsed: P;
  try {
    parsed = parse(bytes);
  } catch (e) {
    throw new XmrError('E_PARSE', (e as Error).message, { file });
  }
  let config: Record<string, unknown>;
  try {
    config = parsed.config === '' ? {} : (JSON.parse(parsed.config) as Record<string, unknown>);
  } catch {
    throw new XmrError('E_PARSE', 'the checkpoint config is not valid JSON', { file });
  }
  return { parsed, config, bytes };
}
