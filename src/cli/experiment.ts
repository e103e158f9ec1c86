/**
 * `xmrbench experiment`: the main job (what `npm start` runs). See src/experiment/plan.ts and execute.ts;
 * `--dry-run` prints the plan (src/experiment/plan-summary.ts) and runs nothing.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { loadConfig } from '../experiment/config.js';
import { Interrupted, runExperiment, runExperimentShard } from '../experiment/execute.js';
import { parseShard, partition, shareOf } from '../experiment/shard.js';
import { XmrError } from '../errors.js';
import { buildPlan } from '../experiment/plan.js';
import { formatPlan } from '../experiment/plan-summary.js';
import { INTERRUPTED_STATUS, onInterrupt } from './interrupt.js';

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export const experimentCommand: CommandModule = {
  command: 'experiment',
  describe: 'Run the study: zero-shot, code-switched and adversarially trained retrievers across languages, with tests and a report',
  builder: (y) =>
    y
      .option('plan', { choices: ['default', 'full'] as const, describe: 'default: sized for ~15 min on 2 cores; full: every language, 5 seeds, more probes' })
      .option('config', { type: 'string', describe: 'JSON file merged over the plan (see docs/experiment-config.md)' })
      .option('out', { type: 'string', describe: 'Output folder (default results/<date-time>)' })
      .option('cache', { type: 'string', default: 'results/.cache', describe: 'Cache of trained models and runs, shared by re-runs' })
      .option('dataset', { type: 'string', describe: 'Override the config: a DDTP-layout dataset folder' })
      .option('lexicons', { type: 'string', describe: 'Override the config: a folder of MUSE lexicons' })
      .option('seeds', { type: 'string', describe: 'Override the config: comma-separated seeds' })
      .option('threads', { type: 'number', describe: 'Override the config: threads for native work' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (steps, which are cached, estimated time) and run nothing' })
      .option('shard', { type: 'string', describe: "Run one share of the plan into --cache and stop (no report): I/N, or auto from a Slurm job array or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with XMRBENCH_SHARDS); see deploy/" })
      .option('merge', { type: 'boolean', default: false, describe: 'Score and report from --cache once every shard is done; computes nothing, and lists what is missing' })
      .example('$0 experiment', 'The default plan on datasets/ddtp-mini; writes results/<date-time>/report.md')
      .example('$0 experiment --dry-run', 'The default plan\'s steps, what the cache already holds, and the time the rest takes')
      .example('$0 experiment --plan full --out results/full', 'Every language, seed and probe')
      .example('$0 experiment --config my-study.json --seeds 1,2', 'Your own systems and settings')
      .example('$0 experiment --shard auto --cache /shared/xmr-cache', 'One task of a Slurm job array (deploy/slurm/xmrbench-array.sbatch)')
      .example('$0 experiment --merge --cache /shared/xmr-cache --out results/cluster', 'The report, once every task is done'),
  handler: async (argv) => {
    const a = argv as unknown as { plan?: 'default' | 'full'; config?: string; out?: string; cache: string; dataset?: string; lexicons?: string; seeds?: string; threads?: number; 'dry-run': boolean; shard?: string; merge: boolean };
    if (a.shard !== undefined && a.merge) throw new XmrError('E_USAGE', '--shard and --merge: a task runs its share, then one --merge reports; give one of them');
    const shard = a.shard === undefined ? undefined : parseShard(a.shard);
    const overrides: Record<string, unknown> = {};
    if (a.dataset !== undefined) overrides.dataset = a.dataset;
    if (a.lexicons !== undefined) overrides.lexicons = a.lexicons;
    if (a.seeds !== undefined) overrides.seeds = a.seeds.split(',').map((s) => Number(s.trim()));
    if (a.threads !== undefined) overrides.threads = a.threads;
    const config = loadConfig({ plan: a.plan, file: a.config, overrides });
    if (a['dry-run']) {
      const plan = buildPlan(config);
      console.log(formatPlan(shard === undefined ? plan : { ...plan, steps: shareOf(plan, partition(plan, shard.count), shard.index) }, a.cache));
      return;
    }
    const out = a.out ?? path.join('results', stamp());
    const interruption = onInterrupt('run the same command again to resume (finished steps are cached)');
    try {
      if (shard !== undefined) {
        const r = await runExperimentShard({ config, out, cache: a.cache, shard, signal: interruption.signal });
        console.log(
          `Shard ${shard.index}/${shard.count}: ${r.steps.own} of the plan's ${r.steps.plan} steps are this share's; ran ${r.steps.run} (with what they read), ${r.steps.cached} from the cache, in ${r.seconds.toFixed(0)} s. ` +
            `Marker: ${r.marker}. When every shard is done: xmrbench experiment --merge --cache ${a.cache}`,
        );
        return;
      }
      const r = await runExperiment({ config, out, cache: a.cache, merge: a.merge, signal: interruption.signal });
      console.log(`Report: ${path.join(out, 'report.md')} (${r.runs.length} runs, ${r.models.length} models, ${r.seconds.total!.toFixed(0)} s)`);
    } catch (err) {
      if (err instanceof Interrupted) {
        console.error(`xmrbench: ${err.message}`);
        process.exit(INTERRUPTED_STATUS);
      }
      throw err;
    } finally {
      interruption.dispose();
    }
  },
};
