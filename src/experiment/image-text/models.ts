/**
 * The image–text half's models (issue 13):
 *
 * - English CLIP from scratch: the native image tower and a text tower (the dual encoder with a
 *   projection) trained together with CLIP's symmetric InfoNCE (Radford et al. 2021; τ fixed) on the
 *   English captions of the training images only — it never sees another language.
 * - LiT adaptation (Zhai et al. 2022): the CLIP text tower trained on, against the *locked* image
 *   tower's embeddings of the same images, with a text system's augmentation — BL-CS / ML-CS on the
 *   captions (src/augment/codeswitch.ts, switched afresh each epoch as the text trainer does),
 *   adversarial training on the caption token embeddings (the native trainer's FGSM / L2 / PGD),
 *   or both. The zero-shot system gets the same LiT stage without augmentation, so every system has
 *   the same training budget and differs from zero-shot only by its augmentation.
 *
 * Each epoch pairs every training image once with one of its English captions (the (e + i)-th of
 * image i's captions), in a seeded shuffle (train.ts's permutation), so a batch never holds the same
 * image twice (a duplicate would be a false negative of the in-batch InfoNCE).
 */
import { createCodeSwitcher, emptyStats, switchRatios, type CodeSwitcher } from '../../augment/codeswitch.js';
import type { ImageTextSet } from '../../data/image-text/types.js';
import { DualEncoder, loadDualEncoder, saveDualEncoder, type Sequences } from '../../encoders/dual-encoder-model.js';
import { ImageTower, saveImageTower } from '../../encoders/image-tower-model.js';
import { tokenizeTexts } from '../../encoders/native-text-encoder.js';
import type { Tokenizer } from '../../tokenize/tokenizer.js';
import { ImageTextTrainer, type ImageInput } from '../../train/image-text-trainer.js';
import { permutation } from '../../train/train.js';
import type { TrainReport } from '../dense-models.js';
import type { Lexicons } from '../lexicons.js';
import type { TrainSpec } from '../systems.js';

/** Tokens kept per caption (CLDR keyword lists are the longest captions, ~30 words). */
export const CAPTION_MAX_LENGTH = 64;

export interface ClipSpec {
  dim: number;
  patch: number;
  hidden: number;
  epochs: number;
  batch: number;
  lr: number;
  tau: number;
}

export interface LitSpec {
  cs: TrainSpec['cs'];
  adv: TrainSpec['adv'];
  epochs: number;
  batch: number;
  lr: number;
  tau: number;
}

/** The text study's training report (dense-models.ts); `pairs` are the pairs per epoch, `switchRatio` the first epoch's. */
export type ImageTextTrainReport = TrainReport;

/** The English training pairs: per image (index into set.images), its English captions' texts. */
export interface EnglishCaptions {
  images: number[];
  captions: string[][];
}

export function englishCaptions(set: ImageTextSet): EnglishCaptions {
  const by = new Map<number, string[]>();
  for (const c of set.captions) if (c.lang === 'en') by.set(c.image, [...(by.get(c.image) ?? []), c.text]);
  const images = [...by.keys()].sort((a, b) => a - b);
  return { images, captions: images.map((i) => by.get(i)!) };
}

/** Epoch e's pairing: caption texts and image indices (into `en.images`), in shuffled order, whole batches only. */
function epochPairs(en: EnglishCaptions, seed: number, epoch: number, batch: number): { texts: string[]; images: Int32Array } {
  const n = en.images.length;
  const steps = Math.floor(n / batch);
  const perm = permutation(n, seed, epoch).subarray(0, steps * batch);
  return { texts: Array.from(perm, (i) => en.captions[i]![(epoch + i) % en.captions[i]!.length]!), images: Int32Array.from(perm) };
}

const iota = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

async function trainEpochs(
  trainer: ImageTextTrainer,
  input: ImageInput,
  en: EnglishCaptions,
  o: { seed: number; epochs: number; batch: number; tokenizer: Tokenizer; threads: number; switcher: CodeSwitcher | null },
): Promise<{ pairs: number; seconds: number; finalLoss: number; switchRatio: number | null; epsAbs: number }> {
  if (Math.floor(en.images.length / o.batch) === 0) throw new RangeError(`batch (${o.batch}) exceeds the ${en.images.length} training images`);
  const t0 = performance.now();
  let pairs = 0;
  let finalLoss = NaN;
  let epsAbs = 0;
  let switchRatio: number | null = null;
  for (let e = 0; e < o.epochs; e++) {
    const { texts, images } = epochPairs(en, o.seed, e, o.batch);
    let captions = texts;
    if (o.switcher) {
      const stats = emptyStats(o.switcher.config.lexicons.map((l) => l.lang));
      captions = texts.map((t, i) => o.switcher!.switchText(t, e * texts.length + i, stats));
      if (e === 0) switchRatio = switchRatios(stats).ratio;
    }
    const pool: Sequences = await tokenizeTexts(o.tokenizer, captions, { maxLength: CAPTION_MAX_LENGTH, threads: o.threads });
    const stats = await trainer.train(pool, input, { captions: iota(captions.length), images, batch: o.batch });
    pairs += captions.length;
    finalLoss = stats.loss.reduce((a, b) => a + b, 0) / stats.loss.length;
    epsAbs = stats.epsAbs.reduce((a, b) => a + b, 0) / stats.epsAbs.length;
  }
  return { pairs, seconds: (performance.now() - t0) / 1000, finalLoss, switchRatio, epsAbs };
}

function report(r: Awaited<ReturnType<typeof trainEpochs>>, epochs: number, adv: boolean): ImageTextTrainReport {
  return { pairs: r.pairs / epochs, epochs, seconds: r.seconds, pairsPerSecond: r.pairs / Math.max(r.seconds, 1e-9), finalLoss: r.finalLoss, switchRatio: r.switchRatio, epsAbsolute: adv ? r.epsAbs : null };
}

/**
 * Trains English CLIP from scratch on the training images' English captions (`pixels`: the set's
 * images, n × H × W × 3); writes the text tower to `textFile` and the image tower to `towerFile`.
 */
export async function trainClip(o: { spec: ClipSpec; seed: number; set: ImageTextSet; pixels: Float32Array; side: number; tokenizer: Tokenizer; threads: number; textFile: string; towerFile: string }): Promise<ImageTextTrainReport> {
  const { spec } = o;
  const text = DualEncoder.create({ vocabSize: o.tokenizer.vocabSize, dim: spec.dim, outDim: spec.dim, seed: o.seed });
  const tower = ImageTower.create({ height: o.side, width: o.side, patch: spec.patch, hidden: spec.hidden, outDim: spec.dim, seed: o.seed + 1 });
  const en = englishCaptions(o.set);
  const per = o.side * o.side * 3;
  const pixels = new Float32Array(en.images.length * per);
  en.images.forEach((img, i) => pixels.set(o.pixels.subarray(img * per, (img + 1) * per), i * per));
  const trainer = new ImageTextTrainer(text, tower, { tau: spec.tau, symmetric: true, lr: spec.lr, seed: o.seed, threads: o.threads });
  const r = await trainEpochs(trainer, { pixels }, en, { seed: o.seed, epochs: spec.epochs, batch: spec.batch, tokenizer: o.tokenizer, threads: o.threads, switcher: null });
  saveDualEncoder(text, o.textFile, { tau: spec.tau, step: trainer.step, config: { clip: spec, seed: o.seed } });
  saveImageTower(tower, o.towerFile, { step: trainer.step, config: { clip: spec, seed: o.seed } });
  return report(r, spec.epochs, false);
}

/**
 * LiT: continues the CLIP text tower (`textFile`) against the locked tower's embeddings of the
 * training images (`imageEmbeddings`, rows aligned with set.images) with the spec's augmentation;
 * writes the adapted text tower to `outFile`.
 */
export async function trainLit(o: { spec: LitSpec; seed: number; set: ImageTextSet; imageEmbeddings: Float32Array; tokenizer: Tokenizer; lexicons: Lexicons; threads: number; textFile: string; outFile: string }): Promise<ImageTextTrainReport> {
  const { spec } = o;
  const text = loadDualEncoder(o.textFile).model;
  const d = text.outDim;
  const en = englishCaptions(o.set);
  const embeddings = new Float32Array(en.images.length * d);
  en.images.forEach((img, i) => embeddings.set(o.imageEmbeddings.subarray(img * d, (img + 1) * d), i * d));
  const adv = spec.adv ? { adv: spec.adv.method, eps: spec.adv.eps, epsRelative: spec.adv.epsRelative, lambda: spec.adv.lambda, pgdSteps: spec.adv.steps } : {};
  const trainer = new ImageTextTrainer(text, null, { tau: spec.tau, symmetric: true, lr: spec.lr, seed: o.seed, threads: o.threads, ...adv });
  const switcher = spec.cs ? createCodeSwitcher({ mode: spec.cs.mode, lexicons: spec.cs.langs.map((lang) => ({ lang, lexicon: o.lexicons.source(spec.cs!.lexicon).fromEnglish(lang) })), p: spec.cs.p, seed: o.seed }) : null;
  const r = await trainEpochs(trainer, { embeddings }, en, { seed: o.seed, epochs: spec.epochs, batch: spec.batch, tokenizer: o.tokenizer, threads: o.threads, switcher });
  saveDualEncoder(text, o.outFile, { tau: spec.tau, step: trainer.step, config: { lit: spec, seed: o.seed } });
  return report(r, spec.epochs, spec.adv !== null);
}
