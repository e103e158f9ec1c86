/**
 * `xmrbench mix`: a mixed-language (MLIR) set from parallel JSONL sets — one language drawn per id.
 */
import type { Argv, CommandModule } from 'yargs';
import { openJsonlWriter } from '../augment/jsonl.js';
import { mixLanguages } from '../augment/mix.js';
import { readTextsById } from '../augment/jsonl.js';

interface Args {
  set: string[];
  out: string;
  seed: number;
  requireAll: boolean;
}

export const mixCommand: CommandModule<object, Args> = {
  command: 'mix',
  describe: 'Mix parallel {_id, text} JSONL sets into one with a seeded random language per id',
  builder: (y: Argv) =>
    y
      .option('set', { type: 'array', string: true, demandOption: true, describe: 'LANG=FILE, one per language' })
      .option('out', { type: 'string', default: '-' })
      .option('seed', { type: 'number', default: 1 })
      .option('require-all', { type: 'boolean', default: false, describe: 'Keep only ids present in every set' })
      .example('$0 mix --set de=datasets/ddtp-mini/de/queries.jsonl --set it=datasets/ddtp-mini/it/queries.jsonl --set fr=datasets/ddtp-mini/fr/queries.jsonl --out /tmp/mixed.jsonl', 'DE/IT/FR mixed queries') as unknown as Argv<Args>,
  handler: async (a) => {
    const sets = new Map<string, Map<string, string>>();
    for (const spec of a.set.map(String)) {
      const m = /^([A-Za-z_-]+)=(.+)$/.exec(spec);
      if (m === null) throw new TypeError(`--set must be LANG=FILE, got ${JSON.stringify(spec)}`);
      sets.set(m[1]!, await readTextsById(m[2]!));
    }
    const mixed = mixLanguages(sets, { langs: [...sets.keys()], seed: a.seed, requireAll: a.requireAll });
    const w = openJsonlWriter(a.out);
    await w.write(mixed.map((r) => ({ _id: r._id, text: r.text, lang: r.lang })));
    await w.close();
    const counts: Record<string, number> = {};
    for (const r of mixed) counts[r.lang] = (counts[r.lang] ?? 0) + 1;
    process.stderr.write(JSON.stringify({ records: mixed.length, byLang: counts }) + '\n');
  },
};
