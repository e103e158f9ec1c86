/**
 * Byte-string interning: maps identifiers (qids, docnos) to dense integers 0, 1, 2 … straight from
 * the bytes of a Buffer, without creating a JS string per occurrence. A 10-million-line run names
 * each docno once per line; creating 10M strings and hashing them in a Map costs more than the whole
 * evaluation, so ids are hashed (hashBytes) and compared byte by byte against one growing arena.
 * Strings are decoded (UTF-8) only on demand and cached.
 */
const EMPTY = -1;
const scratchEncoder = new TextEncoder();
// ignoreBOM: an id starting with U+FEFF keeps it (by default the decoder drops it, and "\uFEFFd1",
// hashed and compared as bytes, would read back as a second "d1").
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export class Interner {
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  private table = new Int32Array(2048).fill(EMPTY);
  private mask = 2047;
  private count = 0;
  private decoded: (string | undefined)[] = [];
  private scratch = new Uint8Array(256);

  /** Number of distinct ids interned so far (ids are 0 … size − 1). */
  get size(): number {
    return this.count;
  }

  /** The id of `bytes[start, end)`, interning it if new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    const found = this.find(bytes, start, end, h);
    if (found >= 0) return this.table[found]!;
    return this.insert(bytes, start, end, h, ~found);
  }

  /** The id of `bytes[start, end)`, or −1 when it was never interned. */
  lookup(bytes: Uint8Array, start: number, end: number): number {
    const slot = this.find(bytes, start, end, hashBytes(bytes, start, end));
    return slot >= 0 ? this.table[slot]! : -1;
  }

  /** Whether id `id` is exactly the bytes `bytes[start, end)` (cheaper than a lookup). */
  equals(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (this.lengths[id] !== end - start) return false;
    const arena = this.arena;
    const off = this.starts[id]! - start;
    for (let k = start; k < end; k++) if (arena[off + k] !== bytes[k]) return false;
    return true;
  }

  /** The id of a JS string (UTF-8 bytes), interning it if new. */
  internString(s: string): number {
    const n = this.encode(s);
    const id = this.intern(this.scratch, 0, n);
    if (this.decoded[id] === undefined) this.decoded[id] = s;
    return id;
  }

  /** The hash of id `id`'s bytes (hashBytes). */
  hashOf(id: number): number {
    return this.hashes[id]!;
  }

  /** Whether id `id` equals the bytes `bytes[start, end)` whose hash is `h` (hash checked first). */
  equalsHashed(id: number, h: number, bytes: Uint8Array, start: number, end: number): boolean {
    return this.hashes[id] === h && this.equals(id, bytes, start, end);
  }

  /** The id of another interner's id `id` in this interner, or −1 (no string is created). */
  lookupFrom(other: Interner, id: number): number {
    const s = other.starts[id]!;
    return this.lookup(other.arena, s, s + other.lengths[id]!);
  }

  /** Id `id`'s bytes (a view into the arena, valid until the next intern). */
  bytesOf(id: number): Uint8Array {
    const s = this.starts[id]!;
    return this.arena.subarray(s, s + this.lengths[id]!);
  }

  /** The identifier as a string (decoded once, then cached). */
  get(id: number): string {
    if (!(id >= 0 && id < this.count)) throw new RangeError(`id must be in [0, ${this.count}), got ${id}`);
    let s = this.decoded[id];
    if (s === undefined) {
      const st = this.starts[id]!;
      s = decoder.decode(this.arena.subarray(st, st + this.lengths[id]!));
      this.decoded[id] = s;
    }
    return s;
  }

  /** Byte-order comparison of two ids (like C's strcmp on the docnos, which trec_eval uses). */
  compare(a: number, b: number): number {
    const arena = this.arena;
    let i = this.starts[a]!;
    let j = this.starts[b]!;
    const la = this.lengths[a]!;
    const lb = this.lengths[b]!;
    const n = la < lb ? la : lb;
    for (let k = 0; k < n; k++) {
      const d = arena[i + k]! - arena[j + k]!;
      if (d !== 0) return d;
    }
    return la - lb;
  }

  private encode(s: string): number {
    if (this.scratch.length < s.length * 3) this.scratch = new Uint8Array(s.length * 3);
    return scratchEncoder.encodeInto(s, this.scratch).written;
  }

  /** Slot holding the id when found (≥ 0), else ~(free slot). */
  private find(bytes: Uint8Array, start: number, end: number, h: number): number {
    const table = this.table;
    const mask = this.mask;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const id = table[slot]!;
      if (id === EMPTY) return ~slot;
      if (this.hashes[id] === h && this.lengths[id] === len) {
        const arena = this.arena;
        const s = this.starts[id]! - start;
        let k = start;
        while (k < end && arena[s + k] === bytes[k]) k++;
        if (k === end) return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private insert(bytes: Uint8Array, start: number, end: number, h: number, slot: number): number {
    const id = this.count;
    const len = end - start;
    if (id === this.starts.length) {
      this.starts = grow(this.starts, id * 2);
      this.lengths = grow(this.lengths, id * 2);
      this.hashes = grow(this.hashes, id * 2);
    }
    if (this.arenaUsed + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.starts[id] = this.arenaUsed;
    this.lengths[id] = len;
    this.hashes[id] = h;
    this.arenaUsed += len;
    this.table[slot] = id;
    this.count = id + 1;
    if (this.count * 2 > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id]! & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
    this.mask = mask;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Odd multipliers of a block's four words (odd: each product is a bijection of its word). */
const WORD_MUL = [0x9e3779b1 | 0, 0x85ebca77 | 0, 0xc2b2ae3d | 0, 0x27d4eb2f | 0];

/** Murmur-style finish so the low bits (the table index) depend on every byte. */
function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * The hash of bytes[start, end), the same as the native run reader's docno_hash (xmr/trec_run.h),
 * so docno columns read natively are looked up in tables built here: h = 0x811c9dc5 ^ n; for each
 * 16-byte block (the last zero-padded), h = (h ^ Σ_w word_w · WORD_MUL[w]) · 0x01000193 over its
 * four little-endian 32-bit words (mod 2^32); then finishHash. Blocks rather than FNV-1a's bytes:
 * natively, a docno of up to 16 bytes is one vector multiply.
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET ^ (end - start);
  for (let i = start; i < end; i += 16) {
    let sum = 0;
    for (let w = 0; w < 4; w++) {
      const j = i + 4 * w;
      let word = 0;
      for (let k = 3; k >= 0; k--) word = (word << 8) | (j + k < end ? bytes[j + k]! : 0);
      sum = (sum + Math.imul(word, WORD_MUL[w]!)) | 0;
    }
    h = Math.imul(h ^ sum, FNV_PRIME);
  }
  return finishHash(h);
}

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
