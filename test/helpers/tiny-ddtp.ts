/**
 * A tiny synthetic dataset in the DDTP layout (src/data/ddtp) and its lexicons, for end-to-end tests
 * of the study in seconds: English words w0…w59, their "translations" <lang>:w0… , documents of 8
 * random words, queries of 3 words taken from their document, and English training pairs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rng } from '../../src/random.js';

const LANGS = ['de', 'it', 'ru'];

export function writeTinyDdtp(root: string, seed = 5): { dataset: string; lexicons: string } {
  const dataset = path.join(root, 'data');
  const lexicons = path.join(root, 'lexicons');
  const u = rng(seed);
  const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
  const tr = (w: string, lang: string) => (lang === 'en' ? w : `${lang}${w}`);
  const doc = () => Array.from({ length: 8 }, () => words[Math.floor(u() * words.length)]!);
  const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const test = Array.from({ length: 40 }, (_, i) => ({ id: `t${String(i).padStart(2, '0')}`, words: doc() }));
  for (const lang of ['en', ...LANGS]) {
    mkdirSync(path.join(dataset, lang), { recursive: true });
    writeFileSync(path.join(dataset, lang, 'corpus.jsonl'), jsonl(test.map((d) => ({ _id: d.id, title: '', text: d.words.map((w) => tr(w, lang)).join(' ') }))));
    writeFileSync(path.join(dataset, lang, 'queries.jsonl'), jsonl(test.slice(0, 20).map((d) => ({ _id: d.id, text: d.words.slice(0, 3).map((w) => tr(w, lang)).join(' ') }))));
  }
  const train = Array.from({ length: 96 }, (_, i) => ({ id: `p${i}`, words: doc() }));
  mkdirSync(path.join(dataset, 'train', 'qrels'), { recursive: true });
  writeFileSync(path.join(dataset, 'train', 'corpus.jsonl'), jsonl(train.map((d) => ({ _id: d.id, title: '', text: d.words.join(' ') }))));
  writeFileSync(path.join(dataset, 'train', 'queries.jsonl'), jsonl(train.map((d) => ({ _id: d.id, text: d.words.slice(0, 3).join(' ') }))));
  writeFileSync(path.join(dataset, 'train', 'qrels', 'train.tsv'), 'query-id\tcorpus-id\tscore\n' + train.map((d) => `${d.id}\t${d.id}\t1\n`).join(''));
  mkdirSync(lexicons, { recursive: true });
  for (const lang of LANGS) {
    writeFileSync(path.join(lexicons, `en-${lang}.txt`), words.map((w) => `${w} ${tr(w, lang)}\n`).join(''));
    writeFileSync(path.join(lexicons, `${lang}-en.txt`), words.map((w) => `${tr(w, lang)} ${w}\n`).join(''));
  }
  return { dataset, lexicons };
}

/** A configuration for the tiny dataset: every kind of system and setting, small training. */
export function tinyConfig(dataset: string, lexicons: string): Record<string, unknown> {
  return {
    dataset,
    lexicons,
    languages: { seen: ['de', 'it'], unseen: ['ru'] },
    seeds: [1, 2],
    systems: [
      { id: 'bm25', kind: 'bm25' },
      { id: 'zs', kind: 'zero-shot' },
      { id: 'bl-cs-de', kind: 'bl-cs', langs: ['de'] },
      { id: 'ml-cs', kind: 'ml-cs' },
      { id: 'adv', kind: 'adv' },
      { id: 'ml-cs+adv', kind: 'ml-cs+adv' },
      { id: 'tt-zs', kind: 'zero-shot', translateTest: true },
    ],
    settings: [
      { id: 'en-en', family: 'moir', queries: ['en'], docs: ['en'] },
      { id: 'de-en', family: 'clir', queries: ['de'], docs: ['en'] },
      { id: 'ru-en', family: 'clir', queries: ['ru'], docs: ['en'] },
      { id: 'mix-en', family: 'mlir', queries: ['de', 'it', 'ru'], docs: ['en'] },
    ],
    train: { dim: 16, epochs: 2, batch: 16 },
    probes: { csRates: [0, 0.5, 1], eps: [0, 0.5], setting: 'en-en' },
    k: 20,
    threads: 1,
    // The image–text half has its own tiny test bed (tiny-image-text.ts); these tests run the text half.
    halves: ['text'],
  };
}
