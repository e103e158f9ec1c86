/**
 * The run tag that trec_eval reports as `runid`: the sixth field of the run file's last line
 * (get_trec_results.c keeps "the run_id field of the last line"), passing over blank and `#` comment
 * lines as the run reader does. A plain file is read from its end, a block at a time; a gzip file
 * has no end to seek to and is streamed through.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openForReading, streamLineRegions } from './lines.js';

const BLOCK = 1 << 16;

/** The tag of the last run line of the file at `path`, or undefined when no line has one. */
export async function lastRunTag(path: string): Promise<string | undefined> {
  if (path.endsWith('.gz')) {
    let tag: string | undefined;
    await streamLineRegions(path, (b, start, end) => {
      tag = lastTagIn(b, start, end) ?? tag;
    });
    return tag;
  }
  const fd = openForReading(path);
  try {
    let pos = fstatSync(fd).size;
    let tail = Buffer.alloc(0);
    while (pos > 0) {
      const n = Math.min(BLOCK, pos);
      pos -= n;
      const block = Buffer.allocUnsafe(n);
      readSync(fd, block, 0, n, pos);
      tail = Buffer.concat([block, tail]);
      // Lines wholly read: after the first line end, or all of them once the file's start is in.
      const from = pos === 0 ? 0 : tail.indexOf(10) + 1;
      if (from === 0 && pos > 0) continue;
      const tag = lastTagIn(tail, from, tail.length);
      if (tag !== undefined) return tag;
      tail = tail.subarray(0, from); // what is left to look at: the lines before them
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The sixth field of the last line in b[start, end) that is neither blank nor a comment. */
function lastTagIn(b: Uint8Array, start: number, end: number): string | undefined {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let lineEnd = end;
  while (lineEnd > start) {
    const nl = buf.lastIndexOf(10, lineEnd - 1);
    const lineStart = nl < start ? start : nl + 1;
    // Fields split as the run reader splits them: on spaces, tabs and \r.
    const fields = buf.toString('utf8', lineStart, lineEnd).split(/[ \t\r]+/).filter((f) => f !== '');
    if (fields.length > 0 && !fields[0]!.startsWith('#')) return fields[5];
    lineEnd = lineStart - 1;
  }
  return undefined;
}
