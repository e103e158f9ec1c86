/**
 * `xmrbench vocab`: builds a WordPiece vocabulary from JSONL/BEIR text and writes a tokenizer.json.
 */

import { writeFileAtomic } from '../atomic-write.js';
import type { Argv, CommandModule } from 'yargs';
import { readJsonlBatches, stringField } from '../augment/jsonl.js';
import { buildWordPieceVocab } from '../tokenize/vocab-builder.js';

interface Args {
  in: string[];
  out: string;
  field: string;
  'vocab-size': number;
  'min-frequency': number;
  cased: boolean;
}

export const vocabCommand: CommandModule<object, Args> = {
  command: 'vocab',
  describe: 'Build a WordPiece vocabulary from JSONL text fields and write a tokenizer.json',
  builder: (y: Argv) =>
    y
      .option('in', { type: 'array', string: true, demandOption: true, describe: 'JSONL files (BEIR corpus.jsonl / queries.jsonl …)' })
      .option('out', { type: 'string', demandOption: true, describe: 'The tokenizer.json to write' })
      .option('field', { type: 'string', default: 'text' })
      .option('vocab-size', { type: 'number', default: 30000 })
      .option('min-frequency', { type: 'number', default: 2 })
      .option('cased', { type: 'boolean', default: false, describe: 'Keep case and accents (mBERT) instead of BERT uncased' })
      .example('$0 vocab --in datasets/ddtp-mini/*/corpus.jsonl --vocab-size 30000 --out /tmp/ddtp-wordpiece.json', 'A multilingual vocabulary from the DDTP text') as unknown as Argv<Args>,
  handler: async (a) => {
    const texts: string[] = [];
    for (const file of a.in.map(String)) {
      for await (const { start, records } of readJsonlBatches(file, 10000)) texts.push(...stringField(records, a.field, start, file));
    }
    const json = buildWordPieceVocab(texts, { vocabSize: a['vocab-size'], minFrequency: a['min-frequency'], lowercase: !a.cased });
    writeFileAtomic(a.out, JSON.stringify(json) + '\n');
    const size = Object.keys((json.model as { vocab: object }).vocab).length;
    process.stderr.write(JSON.stringify({ texts: texts.length, vocabSize: size, out: a.out }) + '\n');
  },
};
