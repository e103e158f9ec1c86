/**
 * `xmrbench codeswitch`: BL-CS / ML-CS augmentation of JSONL records (Litschko et al. 2023).
 */
import type { Argv, CommandModule } from 'yargs';
import { emptyStats, switchRatios } from '../augment/codeswitch.js';
import type { CodeSwitchMode } from '../augment/codeswitch.js';
import { CodeSwitchPool } from '../augment/codeswitch-pool.js';
import { openJsonlWriter, readJsonlBatches, stringField } from '../augment/jsonl.js';
import { ENGLISH_STOPWORDS } from '../augment/stopwords.js';
import { readMuse } from '../data/lexicons/muse.js';
import { positiveInteger } from '../args.js';

interface Args {
  in: string;
  out: string;
  lexicon: string[];
  mode: CodeSwitchMode;
  p: number;
  seed: number;
  field: string[];
  skipStopwords: boolean;
  threads: number;
  batch: number;
}

/** Parses `lang=file` lexicon arguments. */
export function parseLexiconArgs(specs: readonly string[]): { lang: string; file: string }[] {
  return specs.map((s) => {
    const m = /^([A-Za-z_-]+)=(.+)$/.exec(s);
    if (m === null) throw new TypeError(`--lexicon must be LANG=FILE, got ${JSON.stringify(s)}`);
    return { lang: m[1]!, file: m[2]! };
  });
}

export const codeswitchCommand: CommandModule<object, Args> = {
  command: 'codeswitch',
  describe: 'Code-switch fields of JSONL records with bilingual lexicons (BL-CS or ML-CS)',
  builder: (y: Argv) =>
    y
      .option('in', { type: 'string', default: '-', describe: 'Input JSONL ("-" for stdin)' })
      .option('out', { type: 'string', default: '-', describe: 'Output JSONL ("-" for stdout)' })
      .option('lexicon', { type: 'array', string: true, demandOption: true, describe: 'LANG=FILE (MUSE format); one for bl, several for ml' })
      .option('mode', { choices: ['bl', 'ml'] as const, default: 'bl' as CodeSwitchMode })
      .option('p', { type: 'number', default: 0.5, describe: 'Switch probability per token' })
      .option('seed', { type: 'number', default: 1 })
      .option('field', { type: 'array', string: true, default: ['text'], describe: 'Fields to switch (e.g. query passage)' })
      .option('skip-stopwords', { type: 'boolean', default: false, describe: 'Never switch English stopwords (they are never counted)' })
      .option('threads', { type: 'number', default: 1 })
      .option('batch', { type: 'number', default: 20000, describe: 'Records per batch' })
      .example('$0 codeswitch --lexicon de=datasets/lexicons/en-de.txt --p 0.5 --in datasets/ddtp-mini/train/queries.jsonl --out /tmp/q.de.jsonl', 'BL-CS EN→DE of the training queries')
      .example('$0 codeswitch --mode ml --lexicon de=datasets/lexicons/en-de.txt --lexicon it=datasets/lexicons/en-it.txt --in train.jsonl --field query --field passage', 'ML-CS of both sides') as unknown as Argv<Args>,
  handler: async (a) => {
    positiveInteger(a.batch, '--batch');
    const lexicons = parseLexiconArgs(a.lexicon).map(({ lang, file }) => ({ lang, lexicon: readMuse(file) }));
    const fields = a.field.map(String);
    const config = { mode: a.mode, lexicons, p: a.p, seed: a.seed, ...(a.skipStopwords ? { stopwords: ENGLISH_STOPWORDS } : {}) };
    const pool = new CodeSwitchPool(config, a.threads);
    const stats = emptyStats(lexicons.map((l) => l.lang));
    const writer = openJsonlWriter(a.out);
    try {
      for await (const { start, records } of readJsonlBatches(a.in, a.batch)) {
        for (let j = 0; j < fields.length; j++) {
          const texts = stringField(records, fields[j]!, start, a.in);
          // The field's position is its salt, so the fields of one record draw independently.
          const out = await pool.run(texts, start, stats, j);
          out.forEach((t, i) => (records[i]![fields[j]!] = t));
        }
        await writer.write(records);
      }
    } finally {
      await pool.close();
      await writer.close();
    }
    process.stderr.write(JSON.stringify({ ...stats, ...switchRatios(stats) }) + '\n');
  },
};
