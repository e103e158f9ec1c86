// The on-disk embedding store (src/store/embedding-store.ts, issue 18): streaming exact search over its
// shards equals topK over the concatenated rows — f32 and bf16, inner product and cosine, ties that
// straddle shard boundaries, k beyond the store — a scatter over shard subsets merged back equals
// the whole, and damaged stores are refused naming the file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randn } from '../src/random.js';
import { mergeTopK, openStore, searchStore, StoreWriter, verifyStore } from '../src/store/embedding-store.js';
import { toBf16, topKSync } from '../src/search/topk.js';
import { native } from '../src/native.js';

const dim = 24;
const n = 2500;
const m = 13;

/** Rows with exact ties: row 699 repeats in rows 700 and 1401 (both sides of shard boundaries at 700 rows). */
function rows(): Float32Array {
  const docs = randn(n * dim, 11);
  docs.copyWithin(700 * dim, 699 * dim, 700 * dim);
  docs.copyWithin(1401 * dim, 699 * dim, 700 * dim);
  docs.fill(0, 5 * dim, 6 * dim); // a zero row: cosine 0
  return docs;
}

function build(dir: string, docs: Float32Array, dtype: 'f32' | 'bf16'): string {
  const out = path.join(dir, `store-${dtype}`);
  const w = new StoreWriter(out, { dim, dtype, shardRows: 700 });
  const ids = Array.from({ length: n }, (_, i) => `d${i}`);
  // Added in uneven pieces, so that pieces straddle shard files.
  for (const [a, b] of [[0, 333], [333, 1500], [1500, n]] as const) w.add(docs.subarray(a * dim, b * dim), ids.slice(a, b));
  w.close();
  return out;
}

describe('embedding store', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-store-'));
  const docs = rows();
  const queries = randn(m * dim, 12);
  queries.set(docs.subarray(699 * dim, 700 * dim), 0); // query 0 meets the tied rows first

  for (const dtype of ['f32', 'bf16'] as const)
    for (const metric of ['ip', 'cosine'] as const)
      for (const k of [1, 10, 3000]) {
        it(`${dtype}, ${metric}, k = ${k}: streaming over 4 shards equals topK over all rows`, async () => {
          const out = path.join(root, `store-${dtype}`);
          if (!existsSync(out)) build(root, docs, dtype);
          const store = openStore(out);
          assert.deepEqual(store.manifest.shards.map((s) => s.rows), [700, 700, 700, 400]);
          assert.equal(store.ids[1401], 'd1401');
          const got = await searchStore(store, queries, { k, metric, threads: 2 });
          const want = topKSync(queries, dtype === 'f32' ? docs : toBf16(docs, { dim }), { dim, k, metric, threads: 2 });
          assert.deepEqual(got.ids, want.ids);
          assert.deepEqual(got.scores, want.scores);
          if (k === 10 && metric === 'ip') assert.deepEqual([...got.ids.subarray(0, 3)], [699, 700, 1401], 'ties by the lower row across shards');
        });
      }

  it('a scatter over shard subsets, merged, equals the whole search', async () => {
    const out = path.join(root, 'store-f32');
    const store = openStore(existsSync(out) ? out : build(root, docs, 'f32'));
    const k = 20;
    const whole = await searchStore(store, queries, { k });
    const a = await searchStore(store, queries, { k, shards: [2, 0] });
    const b = await searchStore(store, queries, { k, shards: [3, 1] });
    assert.deepEqual(mergeTopK(a, b, m, k, 0), whole);
  });

  it('bf16: one packing buffer serves every shard (the short last one first) and every later search, concurrent ones too', async () => {
    const out = path.join(root, 'store-bf16');
    const store = openStore(existsSync(out) ? out : build(root, docs, 'bf16'));
    const k = 30;
    // The rows of the chosen shards, concatenated in the order searched, and topK over them.
    const exact = (shards: number[], metric: 'ip' | 'cosine') => {
      const at = (i: number) => store.offsets[i]!;
      const sub = new Float32Array(shards.reduce((s, i) => s + store.manifest.shards[i]!.rows, 0) * dim);
      const global: number[] = [];
      let row = 0;
      for (const i of shards) {
        const rows = store.manifest.shards[i]!.rows;
        sub.set(docs.subarray(at(i) * dim, (at(i) + rows) * dim), row * dim);
        for (let r = 0; r < rows; r++) global.push(at(i) + r);
        row += rows;
      }
      const r = topKSync(queries, toBf16(sub, { dim }), { dim, k, metric });
      return { ids: r.ids.map((j) => (j < 0 ? j : global[j]!)), scores: r.scores };
    };
    // Shards searched in ascending row order within a subset keep topK's tie order (lower row first).
    for (const [shards, metric] of [[[3, 0], 'ip'], [[0, 3], 'cosine'], [[1, 2, 3], 'ip'], [[3], 'cosine'], [[0, 1, 2, 3], 'ip']] as const) {
      const got = await searchStore(store, queries, { k, metric, shards: [...shards], threads: 2 });
      const want = exact([...shards].sort((a, b) => a - b), metric);
      assert.deepEqual(got, want, `shards ${shards.join(',')}, ${metric}`);
    }
    const buffer = store.bf16!;
    assert.equal(buffer.capacity, 700, 'sized for the largest shard');
    const [a, b] = await Promise.all([searchStore(store, queries, { k, metric: 'cosine' }), searchStore(store, queries, { k })]);
    assert.deepEqual(a, exact([0, 1, 2, 3], 'cosine'));
    assert.deepEqual(b, exact([0, 1, 2, 3], 'ip'));
    assert.ok(store.bf16 !== undefined, 'a buffer is kept for the next search');
  });

  it('writes nothing visible until close, and refuses an existing folder', () => {
    const out = path.join(root, 'pending');
    const w = new StoreWriter(out, { dim, shardRows: 100 });
    w.add(docs.subarray(0, 150 * dim), Array.from({ length: 150 }, (_, i) => `x${i}`));
    assert.equal(existsSync(out), false);
    w.close();
    assert.deepEqual(readdirSync(out).sort(), ['ids.txt', 'shard-00000.bin', 'shard-00001.bin', 'store.json']);
    assert.throws(() => new StoreWriter(out, { dim }), { name: 'XmrError', message: `${out}: exists already; remove it or choose another folder` });
    assert.equal(readdirSync(root).some((f) => f.includes('.tmp-')), false);
  });

  it('refuses damaged stores, naming the file', () => {
    const out = path.join(root, 'damaged');
    const w = new StoreWriter(out, { dim, shardRows: 100 });
    w.add(docs.subarray(0, 150 * dim), Array.from({ length: 150 }, (_, i) => `x${i}`));
    w.close();
    const shard = path.join(out, 'shard-00001.bin');
    const bytes = readFileSync(shard);
    bytes[4096 + 7] = bytes[4096 + 7]! ^ 0x40;
    writeFileSync(shard, bytes);
    assert.throws(() => verifyStore(openStore(out)), { name: 'XmrError', message: new RegExp(`^${shard}: its rows' SHA-256 is [0-9a-f]{12}…, store.json says [0-9a-f]{12}…: damaged$`) });
    truncateSync(shard, 4096 + 49 * dim * 4);
    assert.throws(() => openStore(out), { name: 'XmrError', message: `${shard}: ${4096 + 49 * dim * 4} bytes, but its header says 50 rows of 24 f32 (${4096 + 50 * dim * 4} bytes): truncated or damaged` });
    const manifest = JSON.parse(readFileSync(path.join(out, 'store.json'), 'utf8'));
    writeFileSync(path.join(out, 'store.json'), JSON.stringify({ ...manifest, dim: 12 }));
    assert.throws(() => openStore(out), { name: 'XmrError', message: /shard-00000\.bin: its header \(100 rows of 24 f32\) does not match store\.json's shards\[0\] \(100 rows of 12 f32\)$/ });
    assert.throws(() => openStore(path.join(root, 'nowhere')), { name: 'XmrError', message: /nowhere\/store\.json: not an embedding store: ENOENT/ });
  });

  it('counts ids.txt against the rows when opened, and reads the ids only when asked', () => {
    const out = path.join(root, 'ids-count');
    const w = new StoreWriter(out, { dim, shardRows: 100 });
    w.add(docs.subarray(0, 150 * dim), Array.from({ length: 150 }, (_, i) => `y${i}`));
    w.close();
    const idsFile = path.join(out, 'ids.txt');
    const lines = readFileSync(idsFile, 'utf8').split('\n');
    assert.deepEqual(openStore(out).ids.slice(0, 2), ['y0', 'y1']);
    writeFileSync(idsFile, lines.slice(0, -1).join('\n')); // no newline after the last id: still 150
    assert.equal(openStore(out).ids.length, 150);
    writeFileSync(idsFile, lines.slice(0, 149).join('\n') + '\n');
    assert.throws(() => openStore(out), { name: 'XmrError', message: `${idsFile}: 149 ids for the store's 150 rows` });
    writeFileSync(idsFile, lines.slice(0, 149).join('\n') + '\ny0\n');
    const store = openStore(out); // the count holds; the repeated id shows when the ids are read
    assert.throws(() => store.ids, { name: 'XmrError', message: /ids\.txt:150: id "y0" repeats the one at line 1$/ });
  });

  it('prefetching takes only a mapping: anything else is a TypeError, not a crash', () => {
    const file = path.join(root, 'prefetch.bin');
    writeFileSync(file, Buffer.alloc(10_000, 7));
    const map = native().mapFileSync(file, false);
    assert.equal(native().prefetchSync(map), undefined);
    assert.equal(new Uint8Array(map)[9_999], 7);
    assert.throws(() => native().prefetchSync('x' as unknown as ArrayBuffer), { name: 'TypeError', message: 'map must be an ArrayBuffer from mapFileSync' });
  });

  it('cleans up', () => {
    rmSync(root, { recursive: true, force: true });
  });
});
