/**
 * A study spread over a cluster's own scheduler (issue 18): N identical tasks — a Slurm job array, a
 * Kubernetes Indexed Job — each run `xmrbench experiment --shard I/N` against one cache folder on
 * the cluster's shared file system, then one `xmrbench experiment --merge` scores and reports.
 *
 * The partition. A step goes with the model it reads: every step is assigned to a *unit*, the
 * nearest step on its chain of last dependencies (`after`'s last entry) that trains a model
 * (UNIT_KINDS) or that depends on nothing — so a model's training and all its runs and probes land
 * in the same share, and a model is never trained twice. Units are dealt to shards greedily
 * (largest estimated cost first, ties by cache key; each to the least loaded shard, ties to the
 * lowest index): the same plan gives the same partition in every task, whatever order the tasks
 * start in.
 *
 * What a share runs: its own steps and, in plan order before them, whatever they read that is not
 * in the cache yet (the shared vocabularies, an English CLIP base: cheap steps that several shares
 * read). A step another task is computing at the same moment is then computed twice; entries are
 * deterministic and renamed into place whole (cache.ts), so both produce the same entry and the
 * second keeps the first's. Shares never wait for each other, so a scheduler that runs fewer tasks
 * at once than N (Slurm's `%limit`) cannot deadlock them.
 */
import { XmrError } from '../errors.js';
import type { Plan, Step } from './plan.js';
import { estimateSeconds } from './plan-summary.js';

/** Step kinds that train a model: the steps that read the model go with them. */
const UNIT_KINDS: ReadonlySet<string> = new Set(['train', 'it-lit']);

export interface Shard {
  /** 0-based */
  index: number;
  count: number;
}

const wholeNumber = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/**
 * `I/N` (0 ≤ I < N), or `auto`: the scheduler's variables — Slurm's SLURM_ARRAY_TASK_ID less
 * SLURM_ARRAY_TASK_MIN, divided by SLURM_ARRAY_TASK_STEP, of SLURM_ARRAY_TASK_COUNT tasks; or
 * Kubernetes' JOB_COMPLETION_INDEX, of XMRBENCH_SHARDS tasks (an Indexed Job does not tell its pods
 * the completion count: the manifest passes it in).
 */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  if (spec === 'auto') {
    const slurmId = wholeNumber(env.SLURM_ARRAY_TASK_ID);
    if (slurmId !== null) {
      const count = wholeNumber(env.SLURM_ARRAY_TASK_COUNT);
      if (count === null || count === 0) throw new XmrError('E_USAGE', `--shard auto: SLURM_ARRAY_TASK_ID is ${slurmId} but SLURM_ARRAY_TASK_COUNT is ${JSON.stringify(env.SLURM_ARRAY_TASK_COUNT ?? null)}`);
      const min = wholeNumber(env.SLURM_ARRAY_TASK_MIN) ?? 0;
      const step = wholeNumber(env.SLURM_ARRAY_TASK_STEP) ?? 1;
      if (step === 0 || slurmId < min || (slurmId - min) % step !== 0)
        throw new XmrError('E_USAGE', `--shard auto: SLURM_ARRAY_TASK_ID ${slurmId} is not on the array's range (min ${min}, step ${step})`);
      return checked((slurmId - min) / step, count, `--shard auto (Slurm task ${slurmId})`);
    }
    const k8s = wholeNumber(env.JOB_COMPLETION_INDEX);
    if (k8s !== null) {
      const count = wholeNumber(env.XMRBENCH_SHARDS);
      if (count === null) throw new XmrError('E_USAGE', `--shard auto: JOB_COMPLETION_INDEX is ${k8s} but XMRBENCH_SHARDS (the Job's completions) is ${JSON.stringify(env.XMRBENCH_SHARDS ?? null)}; set it in the manifest`);
      return checked(k8s, count, '--shard auto (JOB_COMPLETION_INDEX)');
    }
    throw new XmrError('E_USAGE', '--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; give --shard I/N');
  }
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (m === null) throw new XmrError('E_USAGE', `--shard must be I/N (0 ≤ I < N) or auto, got ${JSON.stringify(spec)}`);
  return checked(Number(m[1]), Number(m[2]), '--shard');
}

function checked(index: number, count: number, what: string): Shard {
  if (count < 1 || index >= count) throw new XmrError('E_USAGE', `${what}: shard ${index} of ${count} is out of range (0 ≤ I < N)`);
  return { index, count };
}

/** Step id → the shard that owns it. */
export function partition(plan: Plan, count: number): Map<string, number> {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const unitOf = new Map<string, Step>();
  const unit = (s: Step): Step => {
    let u = unitOf.get(s.id);
    if (u === undefined) {
      const dep = s.after.length === 0 || UNIT_KINDS.has(s.kind) ? undefined : byId.get(s.after[s.after.length - 1]!);
      u = dep === undefined ? s : unit(dep);
      unitOf.set(s.id, u);
    }
    return u;
  };
  const cost = new Map<string, { unit: Step; seconds: number }>();
  for (const s of plan.steps) {
    const u = unit(s);
    const c = cost.get(u.id) ?? { unit: u, seconds: 0 };
    c.seconds += estimateSeconds(s.kind);
    cost.set(u.id, c);
  }
  const load = new Array<number>(count).fill(0);
  const shardOfUnit = new Map<string, number>();
  const units = [...cost.values()].sort((a, b) => b.seconds - a.seconds || (a.unit.cache.key < b.unit.cache.key ? -1 : a.unit.cache.key > b.unit.cache.key ? 1 : 0));
  for (const { unit: u, seconds } of units) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[best]!) best = i;
    load[best]! += seconds;
    shardOfUnit.set(u.id, best);
  }
  return new Map(plan.steps.map((s) => [s.id, shardOfUnit.get(unit(s).id)!]));
}

/** The steps shard `index` runs, in plan order: its own and, before them, every step they read (transitively). */
export function shareOf(plan: Plan, owners: ReadonlyMap<string, number>, index: number): Step[] {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const needed = new Set<string>();
  const need = (s: Step): void => {
    if (needed.has(s.id)) return;
    needed.add(s.id);
    for (const d of s.after) need(byId.get(d)!);
  };
  for (const s of plan.steps) if (owners.get(s.id) === index) need(s);
  return plan.steps.filter((s) => needed.has(s.id));
}
