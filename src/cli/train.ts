/**
 * `xmrbench train`: trains a dual encoder natively (src/train/train.ts) on a BEIR training split,
 * optionally with code-switching on the fly and adversarial training; writes a checkpoint after
 * every epoch; Ctrl-C stops after the current chunk of steps and keeps the checkpoint; `--resume`
 * continues it. `--eval de-en,en-en` scores the result (MRR@10); `--export DIR` writes the weights
 * for other runtimes.
 */
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { exportDualEncoder } from '../encoders/dual-encoder-model.js';
import { NativeTextEncoder } from '../encoders/native-text-encoder.js';
import { evaluateLanguagePairs } from '../eval/language-pairs.js';
import { mineHardNegatives } from '../rankers/hard-negatives.js';
import { trainDualEncoder, type TrainProgress } from '../train/train.js';
import { INTERRUPTED_STATUS, onInterrupt } from './interrupt.js';

interface TrainArgs {
  dataset: string;
  out: string;
  split: string;
  tokenizer?: string;
  epochs: number;
  batch: number;
  lr: number;
  dim: number;
  'out-dim': number;
  tau: number;
  symmetric: boolean;
  'weight-decay': number;
  'max-length': number;
  'hard-negatives': boolean;
  seed: number;
  threads: number;
  cs?: 'bl' | 'ml';
  'cs-langs'?: string;
  'cs-rate': number;
  'cs-on': 'queries' | 'docs' | 'both';
  lexicons?: string;
  adv: 'none' | 'fgsm' | 'l2' | 'pgd';
  eps: number;
  'eps-rel': boolean;
  lambda: number;
  'pgd-steps': number;
  'pgd-alpha': number;
  'pgd-norm': 'linf' | 'l2';
  freelb: boolean;
  resume: boolean;
  progress: boolean;
  eval?: string;
  export?: string;
  json: boolean;
}

function bar(p: TrainProgress): string {
  const total = p.epochs * p.stepsPerEpoch;
  const done = p.epoch * p.stepsPerEpoch + p.step;
  const width = 24;
  const filled = Math.round((width * done) / total);
  const adv = p.advLoss > 0 ? ` (clean ${p.cleanLoss.toFixed(3)}, adv ${p.advLoss.toFixed(3)})` : '';
  return `epoch ${p.epoch + 1}/${p.epochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * done) / total).toFixed(0).padStart(3)}%  loss ${p.loss.toFixed(4)}${adv}  ${Math.round(p.pairsPerSecond).toLocaleString('en')} pairs/s  ${(p.elapsedMs / 1000).toFixed(1)}s`;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train a dual encoder (native): InfoNCE, code-switching on the fly, adversarial training',
  builder: (y: Argv) =>
    y
      .option('dataset', { type: 'string', demandOption: true, describe: 'BEIR dataset root with train/ (e.g. datasets/ddtp-mini)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Checkpoint file to write (.xde)' })
      .option('split', { type: 'string', default: 'train', describe: 'Training qrels split' })
      .option('tokenizer', { type: 'string', describe: 'tokenizer.json or vocab.txt (default: a word vocabulary built from the dataset, <out>.vocab.txt)' })
      .option('epochs', { type: 'number', default: 10 })
      .option('batch', { type: 'number', default: 64, describe: 'Pairs per step (in-batch negatives)' })
      .option('lr', { type: 'number', default: 0.005, describe: 'Adam learning rate' })
      .option('dim', { type: 'number', default: 256, describe: 'Embedding dimension d' })
      .option('out-dim', { type: 'number', default: 0, describe: 'Rows of a linear projection W (0: none)' })
      .option('tau', { type: 'number', default: 0.1, describe: 'InfoNCE temperature τ' })
      .option('symmetric', { type: 'boolean', default: false, describe: 'Add the document→query InfoNCE term' })
      .option('weight-decay', { type: 'number', default: 0, describe: 'AdamW decoupled weight decay (0: Adam)' })
      .option('max-length', { type: 'number', default: 128, describe: 'Tokens kept per text' })
      .option('hard-negatives', { type: 'boolean', default: false, describe: 'One BM25-mined hard negative per pair' })
      .option('seed', { type: 'number', default: 1 })
      .option('threads', { type: 'number', default: 2 })
      .option('cs', { type: 'string', choices: ['bl', 'ml'] as const, describe: 'Code-switching: BL-CS or ML-CS' })
      .option('cs-langs', { type: 'string', describe: 'Comma-separated target languages (lexicons en-<lang>.txt)' })
      .option('cs-rate', { type: 'number', default: 0.5, describe: 'Switch probability per token' })
      .option('cs-on', { type: 'string', choices: ['queries', 'docs', 'both'] as const, default: 'both' as const })
      .option('lexicons', { type: 'string', describe: 'Lexicon folder (default: <dataset>/../lexicons)' })
      .option('adv', { type: 'string', choices: ['none', 'fgsm', 'l2', 'pgd'] as const, default: 'none' as const, describe: 'Adversarial training on token embeddings' })
      .option('eps', { type: 'number', default: 0.05, describe: 'ε (relative to the mean token-embedding norm unless --no-eps-rel)' })
      .option('eps-rel', { type: 'boolean', default: true, describe: 'ε relative to the mean token-embedding norm' })
      .option('lambda', { type: 'number', default: 1, describe: 'Weight λ of the adversarial loss' })
      .option('pgd-steps', { type: 'number', default: 3 })
      .option('pgd-alpha', { type: 'number', default: 0, describe: 'PGD step α (0: 2.5·ε/K)' })
      .option('pgd-norm', { type: 'string', choices: ['linf', 'l2'] as const, default: 'linf' as const })
      .option('freelb', { type: 'boolean', default: false, describe: 'FreeLB: average the K PGD losses' })
      .option('resume', { type: 'boolean', default: false, describe: 'Continue from the checkpoint at --out' })
      .option('progress', { type: 'boolean', default: true, describe: 'Progress bar on stderr' })
      .option('eval', { type: 'string', describe: 'After training, MRR@10 for language pairs, e.g. en-en,de-en' })
      .option('export', { type: 'string', describe: 'After training, export the weights to this folder' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' })
      .example('$0 train --dataset datasets/ddtp-mini --out zs.xde --eval en-en,de-en', 'Zero-shot: English pairs only')
      .example('$0 train --dataset datasets/ddtp-mini --out cs.xde --cs bl --cs-langs de --cs-rate 0.5', 'BL-CS with the EN→DE lexicon')
      .example('$0 train --dataset datasets/ddtp-mini --out adv.xde --adv pgd --eps 0.05 --pgd-steps 3', 'Adversarial (PGD)')
      .example('$0 train --dataset datasets/ddtp-mini --out zs.xde --resume', 'Continue an interrupted run'),
  handler: async (a) => {
    const interruption = onInterrupt(`run the same command with --resume to continue from the checkpoint ${a.out}`);
    const tty = a.progress && process.stderr.isTTY;
    let last = 0;
    const onProgress = (p: TrainProgress) => {
      if (!a.progress) return;
      const now = Date.now();
      const end = p.step === p.stepsPerEpoch;
      if (!end && now - last < 200) return;
      last = now;
      if (tty) process.stderr.write(`\r${bar(p)}\x1b[K${end && p.epoch + 1 === p.epochs ? '\n' : ''}`);
      else if (end) process.stderr.write(bar(p) + '\n');
    };
    const csLangs = a['cs-langs']?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
    if (a.cs !== undefined && csLangs.length === 0) throw new XmrError('E_CONFIG', '--cs needs --cs-langs (e.g. --cs-langs de)');
    try {
      const r = await trainDualEncoder({
        dataset: a.dataset,
        out: a.out,
        split: a.split,
        tokenizer: a.tokenizer,
        epochs: a.epochs,
        batch: a.batch,
        lr: a.lr,
        dim: a.dim,
        outDim: a['out-dim'],
        tau: a.tau,
        symmetric: a.symmetric,
        weightDecay: a['weight-decay'],
        maxLength: a['max-length'],
        hardNegatives: a['hard-negatives'],
        negativeMiner: mineHardNegatives,
        seed: a.seed,
        threads: a.threads,
        cs: a.cs === undefined ? undefined : { mode: a.cs, langs: csLangs, rate: a['cs-rate'], on: a['cs-on'], lexicons: a.lexicons },
        adv: a.adv,
        eps: a.eps,
        epsRelative: a['eps-rel'],
        lambda: a.lambda,
        pgdSteps: a['pgd-steps'],
        pgdAlpha: a['pgd-alpha'],
        pgdNorm: a['pgd-norm'],
        freelb: a.freelb,
        resume: a.resume,
        signal: interruption.signal,
        onProgress,
      });
      if (tty && r.interrupted) process.stderr.write('\n');
      const summary: Record<string, unknown> = {
        checkpoint: r.out,
        tokenizer: r.tokenizerFile,
        interrupted: r.interrupted,
        epochs: r.epochsDone,
        steps: r.steps,
        epochLoss: r.epochLoss,
        trainSeconds: +r.trainSeconds.toFixed(2),
        wallSeconds: +r.wallSeconds.toFixed(2),
        pairsPerSecond: Math.round(r.pairsPerSecond),
        ...(a.adv !== 'none' ? { epsAbs: r.epsAbs, meanEmbeddingNorm: r.meanEmbeddingNorm } : {}),
      };
      if (!r.interrupted && a.eval) {
        const scores = await evaluateLanguagePairs(new NativeTextEncoder(r.model, r.tokenizer, { maxLength: a['max-length'] }), a.dataset, a.eval.split(',').map((s) => s.trim()), { threads: a.threads });
        summary.eval = Object.fromEntries(scores.map((s) => [`${s.queries}-${s.docs}`, +s.value.toFixed(4)]));
      }
      if (!r.interrupted && a.export) {
        exportDualEncoder(r.model, a.export, { tau: a.tau, tokenizerFile: r.tokenizerFile, config: r.config });
        summary.export = a.export;
      }
      if (a.json) console.log(JSON.stringify(summary, null, 2));
      else {
        console.log(`${r.interrupted ? 'stopped' : 'trained'}: ${r.out} (${r.epochsDone} epochs, ${r.steps} steps, ${summary.pairsPerSecond} pairs/s, ${summary.wallSeconds} s)`);
        if (summary.eval) for (const [k, v] of Object.entries(summary.eval as Record<string, number>)) console.log(`  MRR@10 ${k}: ${v.toFixed(4)}`);
        if (summary.export) console.log(`  exported to ${a.export}`);
      }
      if (r.interrupted) {
        console.error(interruption.message);
        process.exitCode = INTERRUPTED_STATUS;
      }
    } finally {
      interruption.dispose();
    }
  },
};
