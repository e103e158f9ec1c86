/**
 * The `xmrbench` command line: one yargs command module per file in this folder, registered here.
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { asOutOfMemory, XmrError } from '../errors.js';
/**
 * Each command's module, loaded only when needed: importing every command (onnxruntime, sharp, the
 * study …) costs about a second of CPU at start-up, more than `xmrbench eval` of a 330 MB run spends
 * on everything else. A first argument naming a command loads that module only, `--version` none;
 * anything else (`--help`, a typo yargs should correct) loads them all.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loader = () => Promise<CommandModule<any, any>>;
const commands: Record<string, Loader> = {
  experiment: async () => (await import('./experiment.js')).experimentCommand,
  data: async () => (await import('./data.js')).dataCommand,
  lexicon: async () => (await import('./lexicon.js')).lexiconCommand,
  embed: async () => (await import('./embed.js')).embedCommand,
  codeswitch: async () => (await import('./codeswitch.js')).codeswitchCommand,
  translate: async () => (await import('./translate.js')).translateCommand,
  mix: async () => (await import('./mix.js')).mixCommand,
  eval: async () => (await import('./eval.js')).evalCommand,
  'eval-images': async () => (await import('./eval-images.js')).evalImagesCommand,
  compare: async () => (await import('./compare.js')).compareCommand,
  search: async () => (await import('./search.js')).searchCommand,
  index: async () => (await import('./index-store.js')).indexCommand,
  'merge-runs': async () => (await import('./merge-runs.js')).mergeRunsCommand,
  bench: async () => (await import('./bench.js')).benchCommand,
  regress: async () => (await import('./regress.js')).regressCommand,
  profile: async () => (await import('./profile.js')).profileCommand,
  tokenize: async () => (await import('./tokenize.js')).tokenizeCommand,
  vocab: async () => (await import('./vocab.js')).vocabCommand,
  train: async () => (await import('./train.js')).trainCommand,
  export: async () => (await import('./export.js')).exportCommand,
};

// The version from this package's own package.json (dist/src/cli/ → the package root). yargs' own
// lookup starts at the folder above its node_modules, but takes a folder whose name has a dot
// (mktemp's /tmp/tmp.XXXX, a checkout in ~/src/xmrbench.git) for a file and starts at its parent,
// printing "unknown" for `--version` there.
const version = (): string => (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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
  const first = argv[0];
  // `--version` alone needs no command; `--help` lists them all.
  const needed =
    first !== undefined && Object.hasOwn(commands, first) ? [commands[first]!] : argv.length === 1 && first === '--version' ? [] : Object.values(commands);
  for (const c of await Promise.all(needed.map((load) => load()))) cli.command(c);
  try {
    await cli.help().alias('h', 'help').version(version()).parseAsync();
  } catch (caught) {
    // An allocation refused anywhere not already worded by a reader still says it was memory and what to do.
    const err = asOutOfMemory(caught, `running xmrbench ${first ?? ''}`);
    if (err instanceof XmrError || err instanceof TypeError || err instanceof RangeError) {
      console.error(`xmrbench: ${err.message}`);
      // Exit 2 for a usage error, as for yargs' own; 1 for everything else.
      process.exit(err instanceof XmrError && err.code === 'E_USAGE' ? 2 : 1);
    }
    throw err;
  }
}
