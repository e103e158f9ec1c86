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

/** TREC run lines `qid Q0 docno rank score tag`, yielded in blocks of about 1 MB. */
export function* formatRun(run: Run, tag = 'xmrbench'): Generator<string> {
  if (typeof tag !== 'string' || !TAG.test(tag)) throw new TypeError(`tag must be one word without spaces, got ${JSON.stringify(tag)}`);
  let block = '';
  for (let q = 0; q < run.size; q++) {
    const qid = run.queries.get(q);
    const lo = run.offsets[q]!;
    for (let i = lo; i < run.offsets[q + 1]!; i++) {
      block += `${qid} Q0 ${run.docnos.get(i)} ${i - lo + 1} ${run.scores[i]!} ${tag}\n`;
      if (block.length > 1 << 20) {
        yield block;
        block = '';
      }
    }
  }
  if (block !== '') yield block;
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

async function writeBlocks(path: string, blocks: Iterable<string>): Promise<void> {
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
