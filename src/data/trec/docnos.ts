/**
 * The docno column of a run: each row's docno as bytes in one append-only arena, with its start,
 * length and hash. Runs keep docnos per row rather than interning them into one global table: with
 * a million distinct docnos, every probe of a global table is a cache and TLB miss (measured at
 * ~0.2–0.4 µs per line on the 2-core target, more than the whole budget), whereas everything a run
 * needs — relevance lookup against one query's judgments, duplicate detection within one query,
 * the docno tie-break — only compares rows of the same query, reading the arena sequentially.
 */
import { hashBytes } from './interner.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true }); // as interner.ts: a leading U+FEFF is part of the docno

export class DocnoColumn {
  bytes: Uint8Array = new Uint8Array(1 << 16);
  used = 0;
  start: Uint32Array = new Uint32Array(1024);
  len: Int32Array = new Int32Array(1024);
  hash: Int32Array = new Int32Array(1024);

  /** Ensures room for `n` more arena bytes. */
  reserveBytes(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < this.used + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.bytes.subarray(0, this.used));
    this.bytes = b;
  }

  /** Grows the row arrays to hold at least `rows` rows. */
  reserveRows(rows: number): void {
    if (rows <= this.start.length) return;
    let cap = this.start.length * 2;
    while (cap < rows) cap *= 2;
    const s = new Uint32Array(cap);
    s.set(this.start);
    this.start = s;
    const l = new Int32Array(cap);
    l.set(this.len);
    this.len = l;
    const h = new Int32Array(cap);
    h.set(this.hash);
    this.hash = h;
  }

  /** Stores row `row`'s docno from a JS string. */
  setString(row: number, s: string): void {
    this.reserveBytes(s.length * 3);
    this.reserveRows(row + 1);
    const n = encoder.encodeInto(s, this.bytes.subarray(this.used)).written;
    this.start[row] = this.used;
    this.len[row] = n;
    this.hash[row] = hashBytes(this.bytes, this.used, this.used + n);
    this.used += n;
  }

  get(row: number): string {
    const s = this.start[row]!;
    return decoder.decode(this.bytes.subarray(s, s + this.len[row]!));
  }

  /** strcmp order of two rows' docnos. */
  compare(a: number, b: number): number {
    const bytes = this.bytes;
    const i = this.start[a]!;
    const j = this.start[b]!;
    const la = this.len[a]!;
    const lb = this.len[b]!;
    const n = la < lb ? la : lb;
    for (let k = 0; k < n; k++) {
      const d = bytes[i + k]! - bytes[j + k]!;
      if (d !== 0) return d;
    }
    return la - lb;
  }

  /** Whether two rows hold the same docno. */
  same(a: number, b: number): boolean {
    return this.hash[a] === this.hash[b] && this.len[a] === this.len[b] && this.compare(a, b) === 0;
  }
}
