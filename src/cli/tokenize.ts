/**
 * `xmrbench tokenize`: tokens of one string, or ids for a text field of every JSONL record.
 */
import type { Argv, CommandModule } from 'yargs';
import { openJsonlWriter, readJsonlBatches, stringField } from '../augment/jsonl.js';
import { Tokenizer } from '../tokenize/tokenizer.js';

interface Args {
  tokenizer?: string;
  vocab?: string;
  cased: boolean;
  text?: string;
  in?: string;
  out: string;
  field: string;
  'ids-field': string;
  'max-length'?: number;
  threads: number;
}

function load(a: Args): Tokenizer {
  if (a.tokenizer) return Tokenizer.fromFile(a.tokenizer);
  if (a.vocab) return Tokenizer.fromVocabFile(a.vocab, { lowercase: !a.cased });
  throw new TypeError('name a tokenizer: --tokenizer tokenizer.json or --vocab vocab.txt');
}

export const tokenizeCommand: CommandModule<object, Args> = {
  command: 'tokenize',
  describe: 'Tokenize a string (prints token, id, UTF-16 offsets) or a JSONL text field (adds token ids)',
  builder: (y: Argv) =>
    y
      .option('tokenizer', { type: 'string', describe: 'A Hugging Face tokenizer.json' })
      .option('vocab', { type: 'string', describe: 'A BERT vocab.txt (instead of --tokenizer)' })
      .option('cased', { type: 'boolean', default: false, describe: 'With --vocab: keep case and accents (mBERT)' })
      .option('text', { type: 'string', describe: 'One string: print its tokens' })
      .option('in', { type: 'string', describe: 'Input JSONL ("-" for stdin)' })
      .option('out', { type: 'string', default: '-', describe: 'Output JSONL ("-" for stdout)' })
      .option('field', { type: 'string', default: 'text', describe: 'The text field to tokenize' })
      .option('ids-field', { type: 'string', default: 'input_ids', describe: 'The field that receives the ids' })
      .option('max-length', { type: 'number', describe: 'Truncate to this many tokens (special tokens included)' })
      .option('threads', { type: 'number', default: 2 })
      .check((a) => (a.text === undefined) !== (a.in === undefined) || 'give exactly one of --text and --in')
      .example('$0 tokenize --tokenizer test/fixtures/tokenizer/wordpiece-uncased.json --text "Bibliothèque für Unicode"', 'Print the tokens of a string')
      .example('$0 tokenize --tokenizer tokenizer.json --in datasets/ddtp-mini/ja/queries.jsonl --out /tmp/ja.ids.jsonl --max-length 128', 'Add input_ids to every record') as unknown as Argv<Args>,
  handler: async (a) => {
    const tok = load(a);
    if (a.text !== undefined) {
      const e = tok.encode(a.text);
      for (let k = 0; k < e.ids.length; k++) {
        console.log(`${tok.idToToken(e.ids[k]!)}\t${e.ids[k]}\t${e.offsets[2 * k]}\t${e.offsets[2 * k + 1]}`);
      }
      return;
    }
    const writer = openJsonlWriter(a.out);
    try {
      for await (const { start, records } of readJsonlBatches(a.in!, 10000)) {
        const texts = stringField(records, a.field, start, a.in!);
        const r = await tok.encodeBatch(texts, { threads: a.threads, padding: false, ...(a['max-length'] === undefined ? {} : { maxLength: a['max-length'] }) });
        let at = 0;
        records.forEach((rec, i) => {
          const len = r.lengths[i]!;
          rec[a['ids-field']] = Array.from(r.ids.subarray(at, at + len));
          at += len;
        });
        await writer.write(records);
      }
    } finally {
      await writer.close();
    }
  },
};
