// A tiny multilingual BEIR dataset in a temporary folder, laid out like datasets/ddtp-mini:
// train/ (English pairs), en/ and de/ test folders with parallel ids, and lexicons/en-de.txt.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mineHardNegatives, type TrainOptions } from '../../src/index.js';

const EN = ['red', 'green', 'blue', 'fast', 'slow', 'file', 'network', 'image', 'sound', 'text', 'library', 'tool', 'server', 'client', 'game', 'music'];
const DE = ['rot', 'grün', 'blau', 'schnell', 'langsam', 'datei', 'netzwerk', 'bild', 'klang', 'textdatei', 'bibliothek', 'werkzeug', 'dienst', 'kunde', 'spiel', 'musik'];

export function tinyBeir(pairs = 48): { root: string; dataset: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-tiny-beir-'));
  const dataset = path.join(root, 'data');
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const write = (dir: string, docs: [string, string][], queries: [string, string][], split: string) => {
    mkdirSync(path.join(dir, 'qrels'), { recursive: true });
    writeFileSync(path.join(dir, 'corpus.jsonl'), docs.map(([id, text]) => JSON.stringify({ _id: id, title: '', text })).join('\n') + '\n');
    writeFileSync(path.join(dir, 'queries.jsonl'), queries.map(([id, text]) => JSON.stringify({ _id: id, text })).join('\n') + '\n');
    writeFileSync(path.join(dir, 'qrels', `${split}.tsv`), 'query-id\tcorpus-id\tscore\n' + queries.map(([id]) => `${id}\t${id}\t1\n`).join(''));
  };
  const make = (n: number, prefix: string) => {
    const docs: [string, string][] = [];
    const qs: [number[], string][] = [];
    for (let i = 0; i < n; i++) {
      const words = Array.from({ length: 6 }, () => Math.floor(next() * EN.length));
      docs.push([`${prefix}${i}`, words.map((w) => EN[w]).join(' ')]);
      qs.push([words.slice(0, 3), `${prefix}${i}`]);
    }
    return { docs, qs };
  };
  const train = make(pairs, 't');
  write(path.join(dataset, 'train'), train.docs, train.qs.map(([w, id]) => [id, w.map((x) => EN[x]).join(' ')]), 'train');
  const test = make(16, 'x');
  write(path.join(dataset, 'en'), test.docs, test.qs.map(([w, id]) => [id, w.map((x) => EN[x]).join(' ')]), 'test');
  write(path.join(dataset, 'de'), test.docs.map(([id, t]) => [id, t.split(' ').map((w) => DE[EN.indexOf(w)]).join(' ')]), test.qs.map(([w, id]) => [id, w.map((x) => DE[x]).join(' ')]), 'test');
  mkdirSync(path.join(root, 'lexicons'));
  writeFileSync(path.join(root, 'lexicons', 'en-de.txt'), EN.map((w, i) => `${w} ${DE[i]}`).join('\n') + '\n');
  return { root, dataset };
}

/**
 * Training options that switch every augmentation on — BL-CS into German on the fly, BM25 hard
 * negatives, FGSM — on a tiny dataset, in chunks of 2 steps: the setting of the training tests that
 * compare two runs bit for bit (resume, checkpoint policy, thread count). `overrides` set the rest.
 */
export function allAugmentations(dataset: string, overrides: Partial<TrainOptions>): TrainOptions {
  return {
    dataset,
    out: '',
    epochs: 3,
    batch: 8,
    dim: 16,
    lr: 0.01,
    threads: 2,
    seed: 1,
    chunkSteps: 2,
    hardNegatives: true,
    negativeMiner: mineHardNegatives,
    cs: { mode: 'bl', langs: ['de'], rate: 0.5 },
    adv: 'fgsm',
    eps: 0.05,
    ...overrides,
  };
}
