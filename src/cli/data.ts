/**
 * `xmrbench data ddtp`: builds the DDTP multilingual retrieval datasets from Debian's indexes.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { buildDdtp, DDTP_LANGS } from '../data/ddtp/build.js';
import { fetchIndexes } from '../data/ddtp/fetch.js';
import { positiveInteger } from '../args.js';

interface DdtpArgs {
  out: string;
  from?: string;
  lists: string;
  langs: string[];
  docs: string;
  queries: string;
  train: string;
  verify: boolean;
}

function count(name: string, v: string): number {
  if (v === 'all') return Infinity;
  return positiveInteger(Number(v), `--${name} (or "all")`);
}

const ddtp: CommandModule<object, DdtpArgs> = {
  command: 'ddtp',
  describe: 'Build BEIR-format multilingual datasets from the Debian Description Translation Project',
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', demandOption: true, describe: 'Output directory' })
      .option('from', { type: 'string', describe: 'Directory of already-fetched apt lists (offline build)' })
      .option('lists', { type: 'string', default: join(homedir(), '.cache', 'xmrbench', 'ddtp-apt'), describe: 'Private apt state directory to fetch into when --from is not given' })
      .option('langs', { type: 'array', string: true, default: [...DDTP_LANGS], describe: 'Languages, "en" first' })
      .option('docs', { type: 'string', default: '5000', describe: 'English corpus size, or "all"' })
      .option('queries', { type: 'string', default: '500', describe: 'Test queries per non-English language, or "all"' })
      .option('train', { type: 'string', default: '20000', describe: 'English training pairs, or "all"' })
      .option('verify', { type: 'boolean', default: true, describe: "Check each index's SHA-256 against the InRelease beside it" })
      .example('$0 data ddtp --out datasets/ddtp-mini', 'fetch the indexes with apt and rebuild the committed snapshot')
      .example('$0 data ddtp --from /tmp/ddtp-apt/lists --out /tmp/ddtp-full --docs all --queries all --train all', 'full build, offline') as unknown as Argv<DdtpArgs>,
  handler: (a) => {
    const langs = a.langs.map(String);
    const from = a.from ?? fetchIndexes(a.lists, [...new Set([...langs, ...DDTP_LANGS])]);
    const m = buildDdtp({ from, out: a.out, langs, docs: count('docs', a.docs), queries: count('queries', a.queries), train: count('train', a.train), verify: a.verify });
    process.stdout.write(JSON.stringify(m.counts, null, 2) + '\n');
  },
};

export const dataCommand: CommandModule = {
  command: 'data',
  describe: 'Build datasets from reachable real sources',
  builder: (y: Argv) => y.command(ddtp as unknown as CommandModule).demandCommand(1).example('$0 data ddtp --out datasets/ddtp-mini', 'rebuild the DDTP snapshot'),
  handler: () => {},
};
