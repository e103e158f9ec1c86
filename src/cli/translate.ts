/**
 * `xmrbench translate`: the Translate-Test baseline — term-by-term translation of JSONL fields into English.
 */
import type { Argv, CommandModule } from 'yargs';
import { openJsonlWriter, readJsonlBatches, stringField } from '../augment/jsonl.js';
import { translateTerms } from '../augment/translate-test.js';
import type { TranslateStats } from '../augment/translate-test.js';
import { readMuse } from '../data/lexicons/muse.js';

interface Args {
  in: string;
  out: string;
  lexicon: string;
  field: string[];
}

export const translateCommand: CommandModule<object, Args> = {
  command: 'translate',
  describe: 'Translate-Test: replace each word of JSONL fields by its translation from an L→EN lexicon',
  builder: (y: Argv) =>
    y
      .option('in', { type: 'string', default: '-', describe: 'Input JSONL ("-" for stdin)' })
      .option('out', { type: 'string', default: '-', describe: 'Output JSONL ("-" for stdout)' })
      .option('lexicon', { type: 'string', demandOption: true, describe: 'L→EN lexicon (MUSE format)' })
      .option('field', { type: 'array', string: true, default: ['text'] })
      .example('$0 translate --lexicon datasets/lexicons/de-en.txt --in datasets/ddtp-mini/de/queries.jsonl --out /tmp/de-en.queries.jsonl', 'German queries into English') as unknown as Argv<Args>,
  handler: async (a) => {
    const lex = readMuse(a.lexicon);
    const stats: TranslateStats = { tokens: 0, translated: 0 };
    const writer = openJsonlWriter(a.out);
    try {
      for await (const { start, records } of readJsonlBatches(a.in, 10000)) {
        for (const f of a.field.map(String)) {
          stringField(records, f, start, a.in).forEach((t, i) => (records[i]![f] = translateTerms(t, lex, stats)));
        }
        await writer.write(records);
      }
    } finally {
      await writer.close();
    }
    process.stderr.write(JSON.stringify({ ...stats, ratio: stats.tokens === 0 ? 0 : stats.translated / stats.tokens }) + '\n');
  },
};
