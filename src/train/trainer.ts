/**
 * The native trainer of the dual encoder (native/src/encoder/trainer.cc; formulas in
 * native/include/xmr/trainer.h):
 *
 * - Loss: InfoNCE (van den Oord et al. 2018) with in-batch negatives and temperature τ:
 *   S_ij = e(qᵢ)·e(D_j)/τ over the batch's positives D = [d₁ … d_B] (and one hard negative per
 *   pair, [h₁ … h_B], when given), L = (1/B)·Σᵢ [logΣ_j exp S_ij − S_ii]; `symmetric` averages it
 *   with the document→query direction over the positives.
 * - Optimiser: Adam (Kingma & Ba 2015), AdamW with `weightDecay` > 0 (Loshchilov & Hutter 2019);
 *   lazy sparse rows for E: only rows used in the batch are updated, their moments decay only then,
 *   the bias correction uses the global step (PyTorch's SparseAdam semantics).
 * - Adversarial training on the token embeddings: objective L(x) + λ·L(x + δ), with
 *   `fgsm` δ = ε·sign(∇ₓL) (Goodfellow et al. 2015), `l2` δ = ε·g/‖g‖₂ over the whole sequence
 *   (Miyato et al. 2017), `pgd` K steps δ ← Π_ε(δ + α·step(g)) from a random start (Madry et al.
 *   2018), with `freelb` the K adversarial losses averaged (Zhu et al. 2020). ε absolute, or (default)
 *   relative to the batch's mean token-embedding norm r: l2 ε_abs = ε·r, linf ε_abs = ε·r/√d.
 * - Gradients are analytic (checked against finite differences in native/test/trainer_test.cc);
 *   work is split over threads with sums in a fixed order, so a seed gives the same model for a
 *   given thread count and ISA.
 */
import { XmrError } from '../errors.js';
import { native, type IsaName, type NativeDualEncoderTrainer, type NativeTrainerConfig } from '../native.js';
import { checkSeed, isaChoice, positiveInteger } from '../args.js';
import { checkSequences, DualEncoder, writeFileAtomic, type Sequences } from '../encoders/dual-encoder-model.js';

export type AdvMode = 'none' | 'fgsm' | 'l2' | 'pgd';

export interface TrainerOptions {
  /** Temperature τ > 0; default 0.05. */
  tau?: number;
  /** Add the document→query InfoNCE term; default false. */
  symmetric?: boolean;
  /** Learning rate; default 1e-3. */
  lr?: number;
  beta1?: number;
  beta2?: number;
  adamEps?: number;
  /** AdamW's decoupled weight decay; default 0 (Adam). */
  weightDecay?: number;
  /** Adversarial training; default 'none'. */
  adv?: AdvMode;
  /** ε ≥ 0 (relative to the mean token-embedding norm unless epsRelative is false); default 0.05. */
  eps?: number;
  /** Default true. */
  epsRelative?: boolean;
  /** Weight λ of the adversarial loss; default 1. */
  lambda?: number;
  /** PGD steps K; default 3. */
  pgdSteps?: number;
  /** PGD step α (same scale as ε); default 2.5·ε/K. */
  pgdAlpha?: number;
  /** PGD's norm; default 'linf'. */
  pgdNorm?: 'linf' | 'l2';
  /** FreeLB accumulation over the PGD steps; default false. */
  freelb?: boolean;
  /** Perturb queries / documents; default both. */
  advQueries?: boolean;
  advDocs?: boolean;
  /** Seed of PGD's random starts; default 0. */
  seed?: number;
  /** Threads (≥ 1); default 1. */
  threads?: number;
  isa?: IsaName | 'auto';
}

/** Per-step statistics of a training call. */
export interface StepStats {
  loss: Float32Array;
  cleanLoss: Float32Array;
  advLoss: Float32Array;
  epsAbs: Float32Array;
  meanNorm: Float32Array;
}

function finite(value: unknown, name: string, test: (x: number) => boolean, rule: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isFinite(value) || !test(value)) throw new RangeError(`${name} must be ${rule}, got ${value}`);
  return value;
}

function bool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${typeof value}`);
  return value;
}

/** Fills defaults and checks every field; the native config. */
export function resolveTrainerOptions(o: TrainerOptions = {}): NativeTrainerConfig {
  if (o === null || typeof o !== 'object') throw new TypeError('options must be an object');
  const adv = o.adv ?? 'none';
  if (!['none', 'fgsm', 'l2', 'pgd'].includes(adv)) throw new TypeError(`adv must be 'none', 'fgsm', 'l2' or 'pgd', got ${String(adv)}`);
  const pgdNorm = o.pgdNorm ?? 'linf';
  if (pgdNorm !== 'linf' && pgdNorm !== 'l2') throw new TypeError(`pgdNorm must be 'linf' or 'l2', got ${String(pgdNorm)}`);
  const isa = isaChoice(o.isa ?? 'auto');
  const lr = finite(o.lr ?? 1e-3, 'lr', (x) => x > 0, 'a finite number > 0');
  const weightDecay = finite(o.weightDecay ?? 0, 'weightDecay', (x) => x >= 0, 'a finite number ≥ 0');
  if (lr * weightDecay >= 1) throw new RangeError(`lr·weightDecay must be < 1, got ${lr * weightDecay}`);
  return {
    tau: finite(o.tau ?? 0.05, 'tau', (x) => x > 0, 'a finite number > 0'),
    symmetric: bool(o.symmetric, 'symmetric', false),
    lr,
    beta1: finite(o.beta1 ?? 0.9, 'beta1', (x) => x >= 0 && x < 1, 'in [0, 1)'),
    beta2: finite(o.beta2 ?? 0.999, 'beta2', (x) => x >= 0 && x < 1, 'in [0, 1)'),
    adamEps: finite(o.adamEps ?? 1e-8, 'adamEps', (x) => x > 0, 'a finite number > 0'),
    weightDecay,
    adv,
    eps: finite(o.eps ?? 0.05, 'eps', (x) => x >= 0, 'a finite number ≥ 0'),
    epsRelative: bool(o.epsRelative, 'epsRelative', true),
    lambda: finite(o.lambda ?? 1, 'lambda', (x) => x >= 0, 'a finite number ≥ 0'),
    pgdSteps: o.pgdSteps === undefined ? 3 : positiveInteger(o.pgdSteps, 'pgdSteps'),
    pgdAlpha: finite(o.pgdAlpha ?? 0, 'pgdAlpha', (x) => x >= 0, 'a finite number ≥ 0'),
    pgdNorm,
    freelb: bool(o.freelb, 'freelb', false),
    advQueries: bool(o.advQueries, 'advQueries', true),
    advDocs: bool(o.advDocs, 'advDocs', true),
    seed: o.seed === undefined ? 0 : checkSeed(o.seed),
    threads: o.threads === undefined ? 1 : positiveInteger(o.threads, 'threads'),
    isa,
  };
}

function indexArray(value: unknown, name: string, count: number): Int32Array {
  if (!(value instanceof Int32Array)) throw new TypeError(`${name} must be an Int32Array, got ${value === null ? 'null' : typeof value}`);
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    if (v < 0 || v >= count) throw new RangeError(`${name}[${i}] = ${v} is not a sequence of the pool [0, ${count})`);
  }
  return value;
}

/** One training call's batches: pool indices, B per step, steps = queries.length / batch. */
export interface Batches {
  queries: Int32Array;
  positives: Int32Array;
  /** One hard negative per pair, or absent for in-batch negatives only. */
  negatives?: Int32Array | null;
  batch: number;
}

export class DualEncoderTrainer {
  readonly model: DualEncoder;
  readonly config: Readonly<NativeTrainerConfig>;
  /** @internal */
  readonly handle: NativeDualEncoderTrainer;

  /**
   * A trainer of `model`. With `checkpoint` (the bytes of a checkpoint of this model's shape), the
   * Adam moments and step count are restored from it (the weights come with the model).
   */
  constructor(model: DualEncoder, options: TrainerOptions = {}, checkpoint?: Uint8Array) {
    if (!(model instanceof DualEncoder)) throw new TypeError('model must be a DualEncoder');
    this.model = model;
    this.config = Object.freeze(resolveTrainerOptions(options));
    if (checkpoint !== undefined && !(checkpoint instanceof Uint8Array)) throw new TypeError('checkpoint must be a Uint8Array');
    this.handle = new (native().DualEncoderTrainer)(model.handle, { ...this.config }, checkpoint ?? null);
  }

  /** Optimiser steps taken (restored from a checkpoint). */
  get step(): number {
    return this.handle.step;
  }

  private check(pool: Sequences, b: Batches): [Int32Array, Uint32Array, Int32Array, Int32Array, Int32Array | null, number] {
    const count = checkSequences(pool, this.model.vocabSize, 'pool');
    if (b === null || typeof b !== 'object') throw new TypeError('batches must be {queries, positives, negatives?, batch}');
    const batch = positiveInteger(b.batch, 'batch');
    const q = indexArray(b.queries, 'queries', count);
    const d = indexArray(b.positives, 'positives', count);
    if (q.length % batch !== 0) throw new RangeError(`queries.length (${q.length}) is not a multiple of batch (${batch})`);
    if (d.length !== q.length) throw new RangeError(`positives.length (${d.length}) must equal queries.length (${q.length})`);
    let n: Int32Array | null = null;
    if (b.negatives !== undefined && b.negatives !== null) {
      n = indexArray(b.negatives, 'negatives', count);
      if (n.length !== q.length) throw new RangeError(`negatives.length (${n.length}) must equal queries.length (${q.length})`);
    }
    return [pool.ids, pool.offsets, q, d, n, batch];
  }

  private static stats(raw: Float32Array): StepStats {
    const steps = raw.length / 5;
    const col = (c: number) => {
      const out = new Float32Array(steps);
      for (let s = 0; s < steps; s++) out[s] = raw[s * 5 + c]!;
      return out;
    };
    return { loss: col(0), cleanLoss: col(1), advLoss: col(2), epsAbs: col(3), meanNorm: col(4) };
  }

  /**
   * Runs queries.length / batch optimiser steps on a worker thread; batch s pairs
   * queries[s·B + i] with positives[s·B + i] (indices of sequences in `pool`). Do not modify the
   * arrays, or call anything else on this model, until the promise settles (the native side
   * refuses: "the dual encoder is busy …").
   */
  async train(pool: Sequences, batches: Batches): Promise<StepStats> {
    const a = this.check(pool, batches);
    return DualEncoderTrainer.stats(await this.handle.train(...a));
  }

  /** {@link train} on the calling thread. */
  trainSync(pool: Sequences, batches: Batches): StepStats {
    return DualEncoderTrainer.stats(this.handle.trainSync(...this.check(pool, batches)));
  }

  /** The checkpoint bytes: weights, Adam moments, step, τ and `config` (JSON). */
  checkpointBytes(config: Record<string, unknown> = {}): Uint8Array {
    return this.handle.checkpoint(JSON.stringify(config));
  }

  /** Writes a checkpoint file atomically (temporary file + rename). */
  saveCheckpoint(file: string, config: Record<string, unknown> = {}): void {
    if (typeof file !== 'string' || file === '') throw new XmrError('E_CONFIG', 'the checkpoint path must be a non-empty string');
    writeFileAtomic(file, this.checkpointBytes(config));
  }
}
