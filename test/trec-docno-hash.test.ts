/**
 * The docno hash is a contract between two languages: the native run reader hashes each row's docno
 * (xmr/trec_run.h docno_hash, with vector code for docnos of up to 16 bytes) and the evaluation looks
 * the rows up in qrels tables hashed in TypeScript (interner.ts hashBytes, docnos.ts setString).
 * Docnos of every length from 1 to 48 bytes, multi-byte UTF-8 and control bytes included, must hash
 * alike on both sides; and docnos that differ in one digit — the commonest shape — must not collide
 * more than a 32-bit hash would by chance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRun } from '../src/data/trec/index.js';
import { hashBytes } from '../src/data/trec/interner.js';
import { DocnoColumn } from '../src/data/trec/docnos.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-docno-hash-'));
const ALPHABET = ['a', 'Z', '7', '-', '_', 'é', '文', '\u0001', '.', '🙂'];

test('docnos of 1 to 48 bytes hash alike natively and in TypeScript', async () => {
  const docnos: string[] = [];
  let x = 12345;
  for (let len = 1; len <= 48; len++) {
    for (let k = 0; k < 8; k++) {
      let d = '';
      while (Buffer.byteLength(d) < len) {
        x = (x * 1103515245 + 12345) % 2147483648;
        const c = ALPHABET[x % ALPHABET.length]!;
        if (Buffer.byteLength(d + c) <= len) d += c;
        else d += 'x';
      }
      docnos.push(d);
    }
  }
  const file = path.join(dir, 'run.txt');
  writeFileSync(file, docnos.map((d, i) => `q${i} Q0 ${d} 1 0.5 run\n`).join(''));
  const run = await readRun(file, { threads: 1 });
  const column = new DocnoColumn();
  assert.equal(run.size, docnos.length);
  for (let q = 0; q < run.size; q++) {
    const row = run.offsets[q]!;
    const { bytes, start, len, hash } = run.docnos;
    assert.equal(run.docnos.get(row), docnos[q]);
    assert.equal(hash[row], hashBytes(bytes, start[row]!, start[row]! + len[row]!), `docno ${JSON.stringify(docnos[q])}`);
    column.setString(q, docnos[q]!);
    assert.equal(column.hash[q], hash[row], `setString ${JSON.stringify(docnos[q])}`);
  }
});

test('docnos d0 … d199999 hash to distinct values but for chance collisions', () => {
  const n = 200_000;
  const seen = new Set<number>();
  const bytes = new Uint8Array(16);
  for (let i = 0; i < n; i++) {
    const len = Buffer.from(bytes.buffer).write(`d${i}`, 'latin1');
    seen.add(hashBytes(bytes, 0, len));
  }
  // A 32-bit hash collides about n²/2³³ ≈ 4.7 times among 200,000 keys by chance.
  assert.ok(n - seen.size <= 20, `${n - seen.size} collisions`);
  // The table index (low bits) spreads as well: 2^18 buckets, none with more than 12 keys.
  const buckets = new Uint16Array(1 << 18);
  let most = 0;
  for (const h of seen) most = Math.max(most, ++buckets[h & ((1 << 18) - 1)]!);
  assert.ok(most <= 12, `a bucket holds ${most} keys`);
});
