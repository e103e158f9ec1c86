/**
 * NumPy `.npy` files (format versions 1.0–3.0, numpy/lib/format.py; NEP 1): the way embeddings
 * computed in Python come in, and the way xmrbench hands them back.
 *
 * Layout: the magic `\x93NUMPY`, major and minor version bytes, the header length (uint16 LE in
 * 1.0, uint32 LE in 2.0/3.0), an ASCII (3.0: UTF-8) Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols), }` padded with spaces and a
 * newline so the data starts at a multiple of 64 bytes, then the raw array.
 *
 * Accepted here: 2-D, C order, little-endian float32 (`<f4`) or float16 (`<f2`, widened to
 * float32 exactly). Anything else is an XmrError naming the file and what was found. Ids ride
 * beside the matrix in a text file (one per line) or a JSON array, one per row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { float32, nonNegativeInteger, oneOf } from '../args.js';
import { XmrError } from '../errors.js';
import { parseJsonText } from '../json-text.js';
import { writeFileAtomic } from '../atomic-write.js';

export type NpyDtype = 'float32' | 'float16';
export const NPY_DTYPES: readonly NpyDtype[] = ['float32', 'float16'];

export interface NpyMatrix {
  /** row-major rows×cols values */
  data: Float32Array;
  rows: number;
  cols: number;
  /** the dtype stored in the file */
  dtype: NpyDtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR: Record<string, NpyDtype> = { '<f4': 'float32', '<f2': 'float16' };

/** IEEE 754 binary16 bits → number (exact). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/** number → binary16 bits, rounding to nearest, ties to even (as numpy's astype(float16)). */
function floatToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // rounds past the largest half, 65504
  if (a < 2 ** -14) {
    // subnormal: units of 2⁻²⁴, rounded half to even
    const u = a * 2 ** 24;
    let r = Math.round(u);
    if (r - u === 0.5 && r % 2 === 1) r--;
    return sign | r;
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const m = a / 2 ** e - 1; // in [0, 1)
  const u = m * 1024;
  let r = Math.round(u);
  if (r - u === 0.5 && r % 2 === 1) r--;
  if (r === 1024) {
    r = 0;
    e++;
    if (e > 15) return sign | 0x7c00;
  }
  return sign | ((e + 15) << 10) | r;
}

function bad(file: string, message: string): XmrError {
  return new XmrError('E_PARSE', message, { file });
}

/** Where an .npy file's rows are: its dtype, shape and the byte offset of the data. */
export interface NpyLayout {
  dtype: NpyDtype;
  rows: number;
  cols: number;
  dataStart: number;
}

/**
 * Reads the header at the start of an .npy file (`head`: at least its first bytes, up to the data)
 * and checks it against the file's size, `totalBytes`; `file` names it in errors.
 */
export function npyLayout(head: Uint8Array, totalBytes: number, file: string): NpyLayout {
  if (head.length < 10 || MAGIC.some((b, i) => head[i] !== b)) throw bad(file, 'not a NumPy .npy file (no \\x93NUMPY magic)');
  const major = head[6]!;
  if (major < 1 || major > 3) throw bad(file, `unsupported .npy format version ${major}.${head[7]}`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > head.length) throw bad(file, 'truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(head.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(file, `unreadable .npy header ${JSON.stringify(header.trim())}`);
  const dtype = DESCR[descr];
  if (dtype === undefined) throw bad(file, `dtype ${descr} is not supported: embeddings must be float32 ('<f4') or float16 ('<f2'); in numpy, x.astype('float32')`);
  if (fortran === 'True') throw bad(file, "the array is in Fortran (column-major) order: save np.ascontiguousarray(x) for C order");
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.length !== 2 || shape.some((d) => !Number.isSafeInteger(d))) throw bad(file, `shape (${shapeText.trim()}) is not 2-D: embeddings must be rows × dimensions`);
  const [rows, cols] = shape as [number, number];
  const width = dtype === 'float32' ? 4 : 2;
  const dataStart = start + headerLen;
  const expected = rows * cols * width;
  if (totalBytes - dataStart !== expected) throw bad(file, `holds ${totalBytes - dataStart} data bytes, but shape (${rows}, ${cols}) of ${descr} needs ${expected}`);
  return { dtype, rows, cols, dataStart };
}

/**
 * Rows `from` … `to` − 1 of an .npy file's bytes as float32 (float16 widened exactly), given its
 * layout: a copy, so a memory-mapped file is read in chunks of the caller's choosing.
 */
export function npyRows(bytes: Uint8Array, layout: NpyLayout, from: number, to: number): Float32Array {
  const { dtype, cols, dataStart } = layout;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array((to - from) * cols);
  const base = dataStart + from * cols * (dtype === 'float32' ? 4 : 2);
  for (let i = 0; i < data.length; i++) {
    data[i] = dtype === 'float32' ? view.getFloat32(base + 4 * i, true) : halfToFloat(view.getUint16(base + 2 * i, true));
  }
  return data;
}

/** Parses an .npy file's bytes (`file` names it in errors). */
export function parseNpy(bytes: Uint8Array, file: string): NpyMatrix {
  const layout = npyLayout(bytes, bytes.length, file);
  return { data: npyRows(bytes, layout, 0, layout.rows), rows: layout.rows, cols: layout.cols, dtype: layout.dtype };
}

/** Reads a 2-D float32/float16 .npy file. */
export function readNpy(file: string): NpyMatrix {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new XmrError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_MISSING' : 'E_IO', (e as Error).message, { file });
  }
  return parseNpy(bytes, file);
}

/** The bytes of a version 1.0 .npy file holding rows×cols values as float32 or float16. */
export function formatNpy(data: Float32Array, rows: number, cols: number, dtype: NpyDtype = 'float32'): Uint8Array {
  float32(data, 'data');
  nonNegativeInteger(rows, 'rows');
  nonNegativeInteger(cols, 'cols');
  if (data.length !== rows * cols) throw new RangeError(`data.length (${data.length}) is not rows × cols (${rows} × ${cols})`);
  oneOf(dtype, 'dtype', NPY_DTYPES);
  const descr = dtype === 'float32' ? '<f4' : '<f2';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // numpy pads with spaces so that magic + 4 + header + '\n' is a multiple of 64.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const width = dtype === 'float32' ? 4 : 2;
  const out = new Uint8Array(10 + header.length + data.length * width);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const at = 10 + header.length;
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float32') view.setFloat32(at + 4 * i, data[i]!, true);
    else view.setUint16(at + 2 * i, floatToHalf(data[i]!), true);
  }
  return out;
}

/** Writes a 2-D matrix as .npy (atomically). */
export function writeNpy(file: string, data: Float32Array, rows: number, cols: number, dtype: NpyDtype = 'float32'): void {
  writeFileAtomic(file, formatNpy(data, rows, cols, dtype));
}

/**
 * Reads row ids: a JSON array of strings or numbers (`.json`), else a text file with one id per
 * line (a final newline is optional). Ids must be non-empty and distinct.
 */
export function readIds(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new XmrError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_MISSING' : 'E_IO', (e as Error).message, { file });
  }
  let ids: string[];
  if (file.endsWith('.json')) {
    const parsed = parseJsonText(text, { file });
    if (!Array.isArray(parsed)) throw new XmrError('E_PARSE', 'ids must be a JSON array of strings or numbers', { file });
    ids = parsed.map((v, i) => {
      if (typeof v !== 'string' && typeof v !== 'number') throw new XmrError('E_PARSE', `$[${i}] must be a string or a number, got ${JSON.stringify(v)}`, { file });
      return String(v);
    });
  } else {
    ids = text.split('\n');
    if (ids.at(-1) === '') ids.pop();
    ids = ids.map((s) => s.replace(/\r$/, ''));
  }
  const seen = new Map<string, number>();
  ids.forEach((id, i) => {
    const where = file.endsWith('.json') ? { file } : { file, line: i + 1 };
    const label = file.endsWith('.json') ? `$[${i}]: ` : '';
    if (id === '') throw new XmrError('E_PARSE', `${label}empty id`, where);
    const first = seen.get(id);
    if (first !== undefined) throw new XmrError('E_DUPLICATE', `${label}id ${JSON.stringify(id)} repeats the one at ${file.endsWith('.json') ? `$[${first}]` : `line ${first + 1}`}`, where);
    seen.set(id, i);
  });
  return ids;
}

/** Writes ids one per line (atomically). */
export function writeIds(file: string, ids: readonly string[]): void {
  writeFileAtomic(file, file.endsWith('.json') ? JSON.stringify(ids) + '\n' : ids.map((id) => `${id}\n`).join(''));
}

/** `X.ids.txt` or `X.ids.json` beside `X.npy`, whichever exists first, or undefined. */
export function idsBeside(npyFile: string): string | undefined {
  const base = npyFile.replace(/\.npy$/, '');
  return [`${base}.ids.txt`, `${base}.ids.json`].find((f) => existsSync(f));
}

export interface Embeddings extends NpyMatrix {
  /** one id per row */
  ids: string[];
}

/**
 * An .npy matrix with its ids: `idsFile`, else `X.ids.txt` or `X.ids.json` beside `X.npy`.
 * @throws XmrError when no ids file is found or the counts differ.
 */
export function readEmbeddings(npyFile: string, idsFile?: string): Embeddings {
  const base = npyFile.replace(/\.npy$/, '');
  const file = idsFile ?? idsBeside(npyFile);
  if (file === undefined) throw new XmrError('E_MISSING', `no ids beside the embeddings: expected ${base}.ids.txt or ${base}.ids.json (one id per row)`, { file: npyFile });
  const m = readNpy(npyFile);
  const ids = readIds(file);
  if (ids.length !== m.rows) throw new XmrError('E_PARSE', `${ids.length} ids for ${m.rows} rows of ${npyFile}`, { file });
  return { ...m, ids };
}
