/**
 * A plain sequential read of a file into one reused buffer, nothing done with the bytes: the roof a
 * reader of the same file is compared with (bench eval's run reader, bench store's streamed search).
 * For a file in the page cache this is the kernel's copy into user memory.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function readThrough(file: string, buffer: Buffer): void {
  const fd = openSync(file, 'r');
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}
