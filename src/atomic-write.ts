/**
 * The one way xmrbench writes a file: the bytes go to `FILE.tmp-PID-N` in the same folder, which is
 * renamed over FILE only once complete. rename(2) within one filesystem is atomic, so a reader — or a
 * study resumed after the process was killed — sees the old file or the whole new one, never half a
 * file. (The promise is about the process dying; without fsync a power cut can still lose the data.)
 */
import { copyFileSync, createWriteStream, readdirSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { hostname } from 'node:os';
import path from 'node:path';
import { XmrError } from './errors.js';

let sequence = 0;

/**
 * Temporary files and folders of this process not yet renamed into place or removed: what an
 * interrupted command removes before it exits (src/cli/interrupt.ts), so that Ctrl-C leaves nothing
 * half-written behind even when it cannot wait for the work in flight.
 */
const pending = new Set<string>();

/**
 * Registers a temporary file or folder that someone else renames or removes (a cache entry's
 * `ENTRY.tmp-PID` folder); call the returned function once it is gone.
 */
export function trackTemporary(tmp: string): () => void {
  pending.add(tmp);
  return () => void pending.delete(tmp);
}

/** Removes every pending temporary of this process (synchronously: it runs just before exit). */
export function removePendingTemporaries(): string[] {
  const removed = [...pending];
  for (const tmp of removed) rmSync(tmp, { recursive: true, force: true });
  pending.clear();
  return removed;
}

const HOST = hostname();

/**
 * The suffix of a temporary name, `.tmp-PID-N@HOST`: unique within this process (N counts), and
 * across the hosts that share a file system (a study's shards on a cluster, src/experiment/shard.ts).
 */
export function temporarySuffix(): string {
  return `.tmp-${process.pid}-${sequence++}@${HOST}`;
}

/** `NAME.tmp-PID-N@HOST`, or `NAME.tmp-PID[-N]` from xmrbench before shared caches (this host's). */
const TEMPORARY = /\.tmp-(\d+)(?:-\d+)?(?:@(.+))?$/;

/**
 * Whether the temporary `name` was left by a process of this host that is gone. Another host's are
 * never orphans from here: whether their process lives cannot be told.
 */
function orphaned(name: string): boolean {
  const m = TEMPORARY.exec(name);
  return m !== null && (m[2] === undefined || m[2] === HOST) && !isRunning(Number(m[1]));
}

/** Whether a process with this id is running (EPERM: it is, but not ours to signal). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A temporary name beside `file`, unique within this process, registered as pending. The
 * temporaries of `file` that a dead process left (killed, or out of memory, while writing it) are
 * removed first, so writing the file again leaves nothing of an earlier failure behind.
 */
function tempName(file: string): string {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.tmp-`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // no folder: the write itself reports it
  }
  for (const name of names) {
    if (name.startsWith(prefix) && orphaned(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  const tmp = `${file}${temporarySuffix()}`;
  pending.add(tmp);
  return tmp;
}

/** Renames the temporary `tmp` to `file`. */
function settle(tmp: string, file: string): void {
  renameSync(tmp, file);
  pending.delete(tmp);
}

/** Removes the temporary `tmp` (after a failure). */
function discard(tmp: string): void {
  rmSync(tmp, { recursive: true, force: true });
  pending.delete(tmp);
}

/**
 * Removes the temporaries under `dir` (down to `depth` levels of folders) whose process is gone —
 * what a killed writer left behind; returns their paths. A running process's are left alone, so two
 * studies sharing a cache do not remove each other's work.
 */
export function removeOrphanedTemporaries(dir: string, depth = 1): string[] {
  const removed: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed; // no folder yet: nothing left behind
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (TEMPORARY.test(e.name)) {
      if (!orphaned(e.name)) continue;
      rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } else if (e.isDirectory() && depth > 1) removed.push(...removeOrphanedTemporaries(full, depth - 1));
  }
  return removed;
}

function ioError(e: unknown, file: string): XmrError {
  return e instanceof XmrError ? e : new XmrError('E_IO', (e as Error).message, { file });
}

/** Writes `data` to `file` through a temporary file and a rename. */
export function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): void {
  const tmp = tempName(file);
  try {
    writeFileSync(tmp, data);
    settle(tmp, file);
  } catch (e) {
    discard(tmp);
    throw ioError(e, file);
  }
}

/** Copies `from` to `to` through a temporary file and a rename. */
export function copyFileAtomic(from: string, to: string): void {
  const tmp = tempName(to);
  try {
    copyFileSync(from, tmp);
    settle(tmp, to);
  } catch (e) {
    discard(tmp);
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
        settle(tmp, file);
      } catch (e) {
        discard(tmp);
        throw ioError(e, file);
      }
    },
    abort() {
      stream.destroy();
      discard(tmp);
    },
  };
}
