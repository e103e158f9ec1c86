/**
 * The JSON form of runs and qrels: one object `{qid: {docno: value}}` (the dicts of BEIR, ranx and
 * pytrec_eval), read whole — it is meant for small files; use TREC files for large runs.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { XmrError } from '../../errors.js';
import { Qrels } from './qrels.js';
import { Run } from './run.js';

function readJson(path: string): unknown {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new XmrError(code === 'ENOENT' ? 'E_MISSING' : 'E_IO', code === 'ENOENT' ? 'file not found' : (err as Error).message, { file: path });
  }
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  if (text.trim() === '') throw new XmrError('E_EMPTY', 'empty file', { file: path });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new XmrError('E_PARSE', `expected JSON {qid: {docno: value}} (${(err as Error).message})`, { file: path });
  }
}

/** Wraps the TypeError/RangeError of fromObject with the file name. */
function fromJson<T>(path: string, build: (obj: never) => T): T {
  const obj = readJson(path);
  try {
    return build(obj as never);
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) throw new XmrError('E_PARSE', err.message, { file: path });
    throw err;
  }
}

export function readRunJson(path: string): Run {
  return fromJson(path, Run.fromObject);
}

export function readQrelsJson(path: string): Qrels {
  return fromJson(path, Qrels.fromObject);
}
