/**
 * The one way xmrbench writes a file: the bytes go to `FILE.tmp-PID-N` in the same folder, which is
 * renamed over FILE only once complete. rename(2) within one filesystem is atomic, so a reader — or a
 * study resumed after the process was killed — sees the old file or the whole new one, never half a
 * file. (The promise is about the process dying; without fsync a power cut can still lose the data.)
 */
import { copyFileSync, createWriteStream, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { XmrError } from './errors.js';

let sequence = 0;

/** A temporary name beside `file`, unique within this process. */
function tempName(file: string): string {
  return `${file}.tmp-${process.pid}-${sequence++}`;
}

function ioError(e: unknown, file: string): XmrError {
  return e instanceof XmrError ? e : new XmrError('E_IO', (e as Error).message, { file });
}

/** Writes `data` to `file` through a temporary file and a rename. */
export function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): void {
  const tmp = tempName(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw ioError(e, file);
  }
}

/** Copies `from` to `to` through a temporary file and a rename. */
export function copyFileAtomic(from: string, to: string): void {
  const tmp = tempName(to);
  try {
    copyFileSync(from, tmp);
    renameSync(tmp, to);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw ioError(e, to);
  }
}

export interface AtomicWriteStream {
  /** Write here; `file` appears only after `commit()`. */
  readonly stream: WriteStream;
  /** Ends the stream, waits until it is closed and renames it into place. */
  commit(): Promise<void>;
  /** Destroys the stream and removes the temporary file. */
  abort(): void;
}

/** A stream to a temporary file that `commit()` renames to `file`. */
export function createAtomicWriteStream(file: string): AtomicWriteStream {
  const tmp = tempName(file);
  const stream = createWriteStream(tmp);
  return {
    stream,
    async commit() {
      try {
        if (!stream.closed) {
          if (!stream.writableEnded) stream.end();
          await once(stream, 'close');
        }
        if (stream.errored) throw stream.errored;
        renameSync(tmp, file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw ioError(e, file);
      }
    },
    abort() {
      stream.destroy();
      rmSync(tmp, { force: true });
    },
  };
}
