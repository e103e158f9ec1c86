// A dual-encoder checkpoint (8 → 6 dimensions, seeded, untrained) over the word vocabulary of a
// tinyBeir dataset's training corpus, saved with its tokenizer as `xmrbench train` saves one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DualEncoder, saveDualEncoder } from '../../src/encoders/dual-encoder-model.js';
import { buildWordVocab, writeVocab } from '../../src/train/vocab.js';
import { readBeirCorpus } from '../../src/data/beir.js';

/** Writes `root`/vocab.txt and `root`/m.xde; returns the checkpoint's path. */
export async function tinyCheckpoint(root: string, dataset: string): Promise<string> {
  const vocab = path.join(root, 'vocab.txt');
  writeVocab(vocab, buildWordVocab((await readBeirCorpus(path.join(dataset, 'train', 'corpus.jsonl'))).texts, { minCount: 1 }));
  const ckpt = path.join(root, 'm.xde');
  saveDualEncoder(DualEncoder.create({ vocabSize: readFileSync(vocab, 'utf8').trim().split('\n').length, dim: 8, outDim: 6, seed: 2, initStd: 0.5 }), ckpt, { tau: 0.05, config: { tokenizer: { file: vocab, maxLength: 32 } } });
  return ckpt;
}
