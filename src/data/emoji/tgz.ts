/**
 * Reading files out of an npm package tarball (.tgz: gzip over POSIX ustar, with pax `x` headers
 * for long names, as `npm pack` writes them) without unpacking it to disk.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { XmrError } from '../../errors.js';

function field(block: Uint8Array, start: number, length: number): string {
  const bytes = block.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** The regular files of `file` whose path satisfies `want`, path → bytes. */
export function readTgz(file: string, want: (path: string) => boolean): Map<string, Uint8Array> {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(readFileSync(file));
  } catch (e) {
    throw new XmrError('E_IO', `cannot read the package tarball: ${(e as Error).message}`, { file });
  }
  const out = new Map<string, Uint8Array>();
  let paxPath: string | undefined;
  for (let p = 0; p + 512 <= tar.length; ) {
    const header = tar.subarray(p, p + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    const prefix = field(header, 345, 155);
    const name = paxPath ?? (prefix === '' ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`);
    const body = tar.subarray(p + 512, p + 512 + size);
    paxPath = undefined;
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(body));
      paxPath = m?.[1];
    } else if ((type === '0' || type === '\0') && want(name)) out.set(name, body);
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
