/**
 * Streams a text file (or its gzip: name ending in `.gz`) as regions of whole lines, so files of any
 * size are parsed from Buffers without building one string per line (readline would) and without
 * holding the file twice. A line split across chunks is joined into a small buffer of its own.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { XmrError } from '../../errors.js';

/** Receives `buf[start, end)`: whole lines, each ending in `\n` except possibly the file's last. */
export type LineRegionSink = (buf: Uint8Array, start: number, end: number) => void;

const CHUNK = 1 << 24;

export async function streamLineRegions(path: string, sink: LineRegionSink): Promise<void> {
  if (!path.endsWith('.gz')) {
    readPlain(path, sink);
    return;
  }
  const file = createReadStream(path, { highWaterMark: CHUNK });
  const gz = path.endsWith('.gz');
  const source = gz ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
  if (gz) file.on('error', (err) => source.destroy(err));
  let carry: Buffer | null = null;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let start = 0;
      if (carry !== null) {
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          carry = Buffer.concat([carry, chunk]);
          continue;
        }
        const joined = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
        carry = null;
        sink(joined, 0, joined.length);
        start = nl + 1;
      }
      const last = chunk.lastIndexOf(10);
      if (last >= start) sink(chunk, start, last + 1);
      const rest = Math.max(last + 1, start);
      if (rest < chunk.length) carry = Buffer.from(chunk.subarray(rest));
    }
  } catch (err) {
    throw ioError(err, path);
  }
  if (carry !== null) sink(carry, 0, carry.length);
}

/**
 * Plain files: synchronous positioned reads into one reused buffer (no allocation per chunk); the
 * partial last line is moved to the front before the next read.
 */
function readPlain(path: string, sink: LineRegionSink): void {
  const fd = openForReading(path);
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    let pos = 0;
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      let got = 0;
      try {
        got = readSync(fd, buf, carry, buf.length - carry, pos);
      } catch (err) {
        throw ioError(err, path);
      }
      pos += got;
      const filled = carry + got;
      if (got === 0) {
        if (filled > 0) sink(buf.subarray(0, filled), 0, filled); // exact view: scans stop at its end
        return;
      }
      const last = buf.lastIndexOf(10, filled - 1);
      if (last < 0) {
        carry = filled;
        continue;
      }
      sink(buf, 0, last + 1);
      carry = filled - (last + 1);
      buf.copy(buf, 0, last + 1, filled);
    }
  } finally {
    closeSync(fd);
  }
}

/** A file descriptor for reading `path`, or the file error naming it ({@link ioError}). */
export function openForReading(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    throw ioError(err, path);
  }
}

export function ioError(err: unknown, path: string): unknown {
  if (err instanceof XmrError) return err;
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return err;
  if (e.code === 'ENOENT') return new XmrError('E_MISSING', 'file not found', { file: path });
  if (e.code === 'EISDIR') return new XmrError('E_IO', 'is a directory, expected a file', { file: path });
  if (e.code.startsWith('Z_')) return new XmrError('E_PARSE', `not a valid gzip file (${e.message})`, { file: path });
  return new XmrError('E_IO', e.message, { file: path });
}
