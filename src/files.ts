/**
 * Writing files so a crash never leaves half a file: bytes go to a temporary name beside the
 * target, then one rename (atomic on POSIX file systems) puts them in place.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { XmrError } from './errors.js';

/** Writes bytes to `file` through a temporary file and a rename. */
export function writeFileAtomic(file: string, bytes: Uint8Array | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    throw new XmrError('E_IO', (e as Error).message, { file });
  }
}
