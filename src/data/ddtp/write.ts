/**
 * Deterministic writers for the BEIR layout (Thakur et al. 2021): corpus.jsonl `{"_id","title","text"}`,
 * queries.jsonl `{"_id","text"}`, qrels/<split>.tsv with a `query-id corpus-id score` header.
 * Keys in a fixed order, UTF-8 without escaping, `\n` line ends — so a rebuild is byte-identical.
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../../atomic-write.js';
import { dirname } from 'node:path';

export interface Doc {
  _id: string;
  title: string;
  text: string;
}
export interface Query {
  _id: string;
  text: string;
}

function writeLines(file: string, lines: string[]): number {
  mkdirSync(dirname(file), { recursive: true });
  const body = lines.length === 0 ? '' : lines.join('\n') + '\n';
  writeFileAtomic(file, body);
  return Buffer.byteLength(body);
}

export function writeCorpus(file: string, docs: readonly Doc[]): number {
  return writeLines(file, docs.map((d) => JSON.stringify({ _id: d._id, title: d.title, text: d.text })));
}

export function writeQueries(file: string, queries: readonly Query[]): number {
  return writeLines(file, queries.map((q) => JSON.stringify({ _id: q._id, text: q.text })));
}

export function writeQrels(file: string, pairs: readonly (readonly [string, string, number])[]): number {
  return writeLines(file, ['query-id\tcorpus-id\tscore', ...pairs.map(([q, d, s]) => `${q}\t${d}\t${s}`)]);
}
