/**
 * The `xmrbench` command line: one yargs command module per file in this folder, registered here.
 */
import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { benchCommand } from './bench.js';
import { experimentCommand } from './experiment.js';
import { searchCommand } from './search.js';
import { evalCommand } from './eval.js';
import { evalImagesCommand } from './eval-images.js';
import { compareCommand } from './compare.js';
import { regressCommand } from './regress.js';
import { profileCommand } from './profile.js';
import { codeswitchCommand } from './codeswitch.js';
import { dataCommand } from './data.js';
import { lexiconCommand } from './lexicon.js';
import { mixCommand } from './mix.js';
import { translateCommand } from './translate.js';
import { trainCommand } from './train.js';
import { tokenizeCommand } from './tokenize.js';
import { vocabCommand } from './vocab.js';
import { exportCommand } from './export.js';
import { embedCommand } from './embed.js';
import { indexCommand } from './index-store.js';
import { mergeRunsCommand } from './merge-runs.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const commands: CommandModule<any, any>[] = [experimentCommand, dataCommand, lexiconCommand, embedCommand, codeswitchCommand, translateCommand, mixCommand, evalCommand, evalImagesCommand, compareCommand, searchCommand, indexCommand, mergeRunsCommand, benchCommand, regressCommand, profileCommand, tokenizeCommand, vocabCommand, trainCommand, exportCommand];

export async function run(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('xmrbench')
    .usage('$0 <command> [options]\n\nBenchmark harness for robust zero-shot cross-lingual and multimodal retrieval.')
    .demandCommand(1, 'Name a command; `xmrbench --help` lists them.')
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err, y) => {
      // A failed `.check()` arrives with its message as `err` (a string, not an Error): a usage error
      // like yargs' own, not a crash. Errors thrown by a command's handler are rethrown to `run`.
      if (err instanceof Error && err.name !== 'YError') throw err;
      console.error(`${y.help() && ''}xmrbench: ${msg ?? String(err)}\nRun with --help for usage.`);
      process.exit(2);
    });
  for (const c of commands) cli.command(c);
  try {
    await cli.help().alias('h', 'help').version().parseAsync();
  } catch (err) {
    if (err instanceof XmrError || err instanceof TypeError || err instanceof RangeError) {
      console.error(`xmrbench: ${err.message}`);
      // Exit 2 for a usage error, as for yargs' own; 1 for everything else.
      process.exit(err instanceof XmrError && err.code === 'E_USAGE' ? 2 : 1);
    }
    throw err;
  }
}
