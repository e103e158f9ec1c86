/**
 * `xmrbench bench <workload>`: one subcommand per workload of the registry (src/bench/registry.ts),
 * its options, help and examples taken from the workload's definition. Each prints a table (or, with
 * --json, the full result with its machine stamp) and can save it with --out.
 */

import { writeFileAtomic } from '../atomic-write.js';
import type { Argv, CommandModule } from 'yargs';
import { workloads } from '../bench/registry.js';
import { flagName, type BenchResult, type RegisteredWorkload } from '../bench/workload.js';

function emit(result: BenchResult, argv: { json?: boolean; out?: string }): void {
  const text = JSON.stringify(result, null, 2);
  if (argv.out) writeFileAtomic(argv.out, text + '\n');
  if (argv.json) {
    console.log(text);
    return;
  }
  const m = result.machine;
  console.log(`${m.cpu}, ${m.cores} cores, ISA path ${m.isa}, Node ${m.node}`);
  const fmt = (v: unknown) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : String(v ?? ''));
  for (const d of result.drivers) {
    const cols = Object.entries(d).filter(([k, v]) => k !== 'driver' && k !== 'timing' && k !== 'note' && typeof v === 'number');
    console.log(`  ${d.driver.padEnd(28)} ${cols.map(([k, v]) => `${k} ${fmt(v)}`).join('   ')}`);
  }
  for (const [k, v] of Object.entries(result.ratios ?? {})) console.log(`  ratio ${k}: ${v.toFixed(2)}×`);
  for (const skipped of [result.faiss, result.torch, result.gensim, result.trecEval]) if (skipped !== undefined) console.log(`  ${skipped}`);
}

const common = (y: Argv) =>
  y
    .option('threads', { type: 'number', default: 2, describe: 'Threads for the native kernels' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the full result as JSON' })
    .option('out', { type: 'string', describe: 'Also write the JSON result to this file' })
    .option('time', { type: 'number', default: 3000, describe: 'Time budget per measured task (ms)' });

/** The subcommand of one workload: its options from the definition, its drivers and ratios in the help. */
function workloadCommand(w: RegisteredWorkload): CommandModule {
  const epilogue = [`Drivers (timed side by side):`, ...w.drivers.map((d) => `  ${d}`), ...(w.ratios.length > 0 ? ['Ratios reported:', ...w.ratios.map((r) => `  ${r}`)] : [])];
  return {
    command: w.name,
    describe: w.measures,
    builder: (y) => {
      let b = common(y);
      for (const [key, spec] of Object.entries(w.options)) b = b.option(flagName(key), spec);
      for (const [command, what] of w.examples) b = b.example(command, what);
      return b.epilogue(epilogue.join('\n'));
    },
    handler: async (argv) => {
      const a = argv as unknown as Record<string, number | string> & { threads: number; time: number; json?: boolean; out?: string };
      // yargs gives each --kebab-flag under its camelCase key too: the definition's own key.
      const options = Object.fromEntries(Object.keys(w.options).map((key) => [key, a[key]!]));
      emit(await w.run({ ...options, threads: a.threads, timeMs: a.time }), a);
    },
  };
}

export const benchCommand: CommandModule = {
  command: 'bench <workload>',
  describe: 'Benchmarks: drivers timed side by side in one run, reported as ratios',
  builder: (y) => {
    for (const w of workloads) y.command(workloadCommand(w));
    return y
      .demandCommand(1, 'Name a workload.')
      .example('$0 bench topk --json', 'Top-k search throughput')
      .example('$0 bench eval --json', 'Reading and evaluating a 10M-line run');
  },
  handler: () => undefined,
};
