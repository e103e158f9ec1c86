/**
 * The systems of the study and how each one answers a setting: BM25 (no training), and dense dual
 * encoders trained zero-shot on English pairs, with code-switching (BL-CS, ML-CS), adversarial
 * perturbations (ADV), or both, optionally behind Translate-Test.
 */
import type { ExperimentConfig, StudySystem } from './config.js';
import type { LexiconSource } from './lexicons.js';

/**
 * What training a dense system needs; two systems with equal specs share their trained models.
 * `cs.lexicon` is the lexicon source, absent for FreeDict (so FreeDict systems keep the keys they had
 * before sources existed); the bytes a source's files hold enter the model's key beside the spec (plan.ts).
 */
export interface TrainSpec {
  cs: null | { mode: 'bl' | 'ml'; langs: string[]; p: number; lexicon?: Exclude<LexiconSource, 'freedict'> };
  adv: null | ExperimentConfig['train']['adv'];
  dim: number;
  epochs: number;
  batch: number;
  lr: number;
  tau: number;
}

/** Whether a system ranks by embeddings: every kind but BM25. */
export function isDense(s: StudySystem): boolean {
  return s.kind !== 'bm25';
}

/** Whether a system's model is trained here (once per seed): dense, and not an external encoder. */
export function isTrained(s: StudySystem): boolean {
  return isDense(s) && s.kind !== 'encoder';
}

/** The training spec of a trained system (null for BM25 and external encoders). */
export function trainSpec(s: StudySystem, config: ExperimentConfig): TrainSpec | null {
  if (!isTrained(s)) return null;
  const t = config.train;
  const source = s.lexicon === undefined || s.lexicon === 'freedict' ? {} : { lexicon: s.lexicon };
  const cs =
    s.kind === 'bl-cs'
      ? { mode: 'bl' as const, langs: s.langs!, p: t.csRate, ...source }
      : s.kind === 'ml-cs' || s.kind === 'ml-cs+adv'
        ? { mode: 'ml' as const, langs: s.langs ?? config.languages.seen, p: t.csRate, ...source }
        : null;
  // A swept system's method and ε replace train.adv's (same keys, same order: unswept keys are unchanged).
  const adv = s.kind === 'adv' || s.kind === 'ml-cs+adv' ? { ...t.adv, ...(s.adv ? { method: s.adv.method, eps: s.adv.eps } : {}) } : null;
  return { cs, adv, dim: t.dim, epochs: t.epochs, batch: t.batch, lr: t.lr, tau: t.tau };
}

/** How the report names a lexicon source. */
export const LEXICON_NAMES: Record<LexiconSource, string> = {
  freedict: 'FreeDict lexicons',
  titles: 'titles lexicons (Dice on aligned DDTP synopses)',
  clwe: 'CLWE lexicons (aligned skip-gram embeddings, CSLS)',
};

/** A one-line human description of a system, for the report. */
export function describeSystem(s: StudySystem, config: ExperimentConfig): string {
  const spec = trainSpec(s, config);
  const tt = s.translateTest ? 'Translate-Test + ' : '';
  if (s.encoder) return `${tt}external text encoder \`${s.encoder.onnx}\` (not trained here; one run per setting)`;
  if (!spec) return 'BM25 (Lucene variant, k1 = 0.9, b = 0.4)';
  const parts = ['dual encoder trained on English pairs'];
  if (spec.cs) parts.push(`${spec.cs.mode === 'bl' ? 'BL' : 'ML'}-CS into ${spec.cs.langs.join(', ')} at p = ${spec.cs.p} with ${LEXICON_NAMES[spec.cs.lexicon ?? 'freedict']}`);
  if (spec.adv) parts.push(`${spec.adv.method.toUpperCase()} adversarial training (ε = ${spec.adv.eps}${spec.adv.epsRelative ? ' × mean embedding norm' : ''}, λ = ${spec.adv.lambda})`);
  return tt + parts.join('; ');
}
