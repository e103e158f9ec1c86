/**
 * `xmrbench experiment --dry-run`: the plan printed — one line per step with its kind, label, cache
 * entry and whether that entry already exists — and an estimate of the time the missing steps take.
 * Nothing is trained, searched or written (the cache folder is only read).
 */
import { existsSync } from 'node:fs';
import { entryPath } from './cache.js';
import type { Plan, Step } from './plan.js';

/**
 * Seconds per step of each kind on 2 idle cores, from the default plan's timed run (README: 7 min
 * for 399 steps; the vocabulary ~2.5 s, each of the 18 models ~15 s, so the 380 searches and probes
 * share ~2.5 min, a dense search — which also encodes its corpus once per model — costing more than
 * a probe on the already encoded one). Kinds without an entry cost {@link DEFAULT_ESTIMATE}. The
 * progress line uses these until a step of the kind has been timed, then the measured mean.
 */
export const STEP_SECONDS: Readonly<Record<string, number>> = {
  vocab: 2.5,
  train: 15,
  'search-bm25': 0.5,
  'search-dense': 0.5,
  'probe-cs': 0.3,
  'probe-fgsm': 0.2,
  // The image–text half (image-text/plan.ts), from its default plan's timed run (README).
  'it-vocab': 3,
  'it-clip': 12,
  'it-lit': 3,
  'it-eval': 0.4,
  'it-probe-cs': 0.15,
  'it-probe-fgsm': 0.15,
};
const DEFAULT_ESTIMATE = 1;

export function estimateSeconds(kind: string): number {
  return STEP_SECONDS[kind] ?? DEFAULT_ESTIMATE;
}

/** Whether the step's cache entry exists in the cache folder `cacheDir`. */
export function isCached(step: Step, cacheDir: string): boolean {
  return existsSync(entryPath(cacheDir, step.cache.kind, step.cache.key));
}

const clock = (s: number) => {
  const t = Math.round(s);
  return t < 60 ? `${t} s` : `${Math.floor(t / 60)} min ${String(t % 60).padStart(2, '0')} s`;
};

/** The plan as text: a line per step, then per-kind counts and the estimated time of what is not cached. */
export function formatPlan(plan: Plan, cacheDir: string): string {
  const lines: string[] = [];
  const kinds = new Map<string, { steps: number; cached: number; seconds: number }>();
  plan.steps.forEach((step, i) => {
    const cached = isCached(step, cacheDir);
    const k = kinds.get(step.kind) ?? { steps: 0, cached: 0, seconds: 0 };
    kinds.set(step.kind, { steps: k.steps + 1, cached: k.cached + (cached ? 1 : 0), seconds: k.seconds + (cached ? 0 : estimateSeconds(step.kind)) });
    lines.push(`[${i + 1}/${plan.steps.length}] ${step.kind.padEnd(12)} ${step.label}  ${step.cache.kind}/${step.cache.key.slice(0, 12)}  ${cached ? 'cached' : 'to do'}`);
  });
  let cached = 0;
  let seconds = 0;
  lines.push('', 'kind          steps  cached  estimate');
  for (const [kind, k] of kinds) {
    cached += k.cached;
    seconds += k.seconds;
    lines.push(`${kind.padEnd(12)}  ${String(k.steps).padStart(5)}  ${String(k.cached).padStart(6)}  ${clock(k.seconds)}`);
  }
  lines.push('', `${plan.steps.length} steps, ${cached} cached in ${cacheDir}; the rest takes about ${clock(seconds)} on 2 cores`);
  return lines.join('\n');
}
