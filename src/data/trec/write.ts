/**
 * Writers for TREC runs and qrels (gzip when the name ends in `.gz`). Runs are written in the order
 * they are held — trec_eval's (score descending, ties by docno descending in byte order) — with ranks
 * 1, 2, … that agree with it, and scores in JavaScript's shortest round-trip form, so reading the file
 * back (by xmrbench or trec_eval, which both read doubles) reproduces the same ranking.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { createAtomicWriteStream } from '../../atomic-write.js';
import { XmrError } from '../../errors.js';
import type { Qrels } from './qrels.js';
import type { Run } from './run.js';

const TAG = /^\S+$/;

const BLOCK = 1 << 20;

/**
 * TREC run lines `qid Q0 docno rank score tag` as UTF-8, yielded in blocks of about 1 MB that end at
 * a line's end. Built as bytes: each docno is copied from the run's arena (docnos.ts), not decoded
 * into a string and encoded again, which made writing a 50,000-line run cost about twice as much as
 * reading it back (issue 16: the study writes 542 of them).
 */
export function* formatRun(run: Run, tag = 'xmrbench'): Generator<Buffer> {
  if (typeof tag !== 'string' || !TAG.test(tag)) throw new TypeError(`tag must be one word without spaces, got ${JSON.stringify(tag)}`);
  const tail = Buffer.from(` ${tag}\n`);
  const { bytes, start, len } = run.docnos;
  let block = Buffer.allocUnsafe(BLOCK);
  let at = 0;
  for (let q = 0; q < run.size; q++) {
    const head = Buffer.from(`${run.queries.get(q)} Q0 `);
    const lo = run.offsets[q]!;
    for (let i = lo; i < run.offsets[q + 1]!; i++) {
      // Rank and score are ASCII: one character, one byte.
      const numbers = ` ${i - lo + 1} ${run.scores[i]!}`;
      const d = start[i]!;
      const n = len[i]!;
      const need = head.length + n + numbers.length + tail.length;
      if (at + need > block.length) {
        if (at > 0) yield block.subarray(0, at);
        block = Buffer.allocUnsafe(Math.max(BLOCK, need));
        at = 0;
      }
      // Byte loops: a line's pieces are a few dozen bytes, less than a call to Buffer.copy costs.
      for (let k = 0; k < head.length; k++) block[at++] = head[k]!;
      for (let k = 0; k < n; k++) block[at++] = bytes[d + k]!;
      for (let k = 0; k < numbers.length; k++) block[at++] = numbers.charCodeAt(k);
      for (let k = 0; k < tail.length; k++) block[at++] = tail[k]!;
    }
  }
  if (at > 0) yield block.subarray(0, at);
}

/** TREC qrels lines `qid 0 docno rel`, in the order held. */
export function* formatQrels(qrels: Qrels): Generator<string> {
  let block = '';
  for (let q = 0; q < qrels.size; q++) {
    const qid = qrels.queries.get(q);
    for (let i = qrels.offsets[q]!; i < qrels.offsets[q + 1]!; i++) {
      block += `${qid} 0 ${qrels.docnos.get(qrels.docs[i]!)} ${qrels.rels[i]!}\n`;
      if (block.length > 1 << 20) {
        yield block;
        block = '';
      }
    }
  }
  if (block !== '') yield block;
}

export async function writeRun(path: string, run: Run, tag = 'xmrbench'): Promise<void> {
  await writeBlocks(path, formatRun(run, tag));
}

export async function writeQrels(path: string, qrels: Qrels): Promise<void> {
  await writeBlocks(path, formatQrels(qrels));
}

async function writeBlocks(path: string, blocks: Iterable<string | Uint8Array>): Promise<void> {
  const target = createAtomicWriteStream(path);
  const file = target.stream;
  const out: Writable = path.endsWith('.gz') ? createGzip() : file;
  if (out !== file) out.pipe(file);
  const failed = new Promise<never>((_, reject) => {
    file.on('error', (err) => reject(new XmrError('E_IO', err.message, { file: path })));
  });
  const write = async (): Promise<void> => {
    for (const block of blocks) if (!out.write(block)) await once(out, 'drain');
    out.end();
    await once(file, 'close');
  };
  try {
    await Promise.race([write(), failed]);
  } catch (e) {
    target.abort();
    throw e;
  }
  await target.commit();
}
