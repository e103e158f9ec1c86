/**
 * What each image–text step does (image-text/plan.ts lists them), registered into the study's
 * STEP_EXECUTORS. Entries (cache kind `image-text`): it-vocab → vocab.txt; it-clip → text.xde +
 * tower.xit + report.json; it-lit → text.xde + report.json; it-eval / it-probe-* → values.json
 * (per direction the query ids and per-query R@1/5/10 and RR, CLIP_benchmark's measures) and the
 * step's notes. What finished steps produced is kept per study in {@link imageTextState}.
 * An external system's steps read its encoders (opened as `xmrbench eval-images` opens them) or
 * its .npy embeddings, rows matched to images and captions by id as eval-images matches them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import { mixLanguages } from '../../augment/mix.js';
import { hashString, textKey } from '../../random.js';
import { readCaptions } from '../../data/image-text/read.js';
import { readEmbeddings } from '../../data/npy.js';
import { openImageEncoder } from '../../encoders/open-image-encoder.js';
import { openTextEncoder } from '../../encoders/open-text-encoder.js';
import { rowsFor } from '../../eval/image-text/evaluate-set.js';
import { XmrError } from '../../errors.js';
import { preprocessImages, towerPreprocessing } from '../../encoders/image-preprocess.js';
import type { ImageTextSet } from '../../data/image-text/types.js';
import type { SettingItem } from '../../data/ddtp/settings.js';
import { loadDualEncoder } from '../../encoders/dual-encoder-model.js';
import { readImageTowerFile } from '../../encoders/image-tower-model.js';
import type { Encoder } from '../../encoders/encoder.js';
import { NativeTextEncoder } from '../../encoders/native-text-encoder.js';
import { gatherRows, imageTextRetrieval } from '../../eval/image-text/retrieval.js';
import type { Tokenizer } from '../../tokenize/tokenizer.js';
import { loadTokenizer } from '../../train/train.js';
import { buildWordVocab, writeVocab } from '../../train/vocab.js';
import { fgsmAgainstRelevant } from '../fgsm-probe.js';
import type { Step } from '../plan.js';
import { codeSwitchQueries, translateQueries } from '../query-transforms.js';
import type { StepExecutor, StudyContext } from '../step-executors.js';
import { isEncoderSource, sourceFile, type ImageTextSettingConfig, type ImageTextSource } from './config.js';
import { CAPTION_MAX_LENGTH, trainClip, trainLit, type ImageTextTrainReport } from './models.js';
import { IT_CACHE, type ItClipInputs, type ItLitInputs, type ItRunInputs, type ItTrainedRunInputs, type ItVocabInputs } from './plan.js';

/** CLIP_benchmark's recall cutoffs, and RR. */
export const IT_CUTOFFS = [1, 5, 10] as const;
export const IT_MEASURES = ['R@1', 'R@5', 'R@10', 'RR'] as const;

/** One direction's per-query values: measure → values aligned with queryIds. */
export interface DirectionValues {
  queryIds: string[];
  values: Record<string, number[]>;
}
export interface ItValues {
  t2i: DirectionValues;
  /** Absent for the probes (text→image only). */
  i2t?: DirectionValues;
  notes: Record<string, number>;
}

/**
 * What the half's steps share, read or computed once per study. Data that steps load asynchronously
 * is held as promises, so two steps running side by side (the LiT and CLIP trainings, execute.ts)
 * wait for one load instead of both loading.
 */
export interface ImageTextState {
  readonly sets: Map<string, Promise<ImageTextSet>>;
  readonly pixels: Map<string, Promise<Float32Array>>;
  readonly tokenizers: Map<string, Tokenizer>;
  readonly imageEmbeddings: Map<string, Promise<Float32Array>>;
  /** External .npy embeddings by file. */
  readonly npy: Map<string, ReturnType<typeof readEmbeddings> & { file: string }>;
  readonly textEncoders: Map<string, NativeTextEncoder>;
  /** External text encoders by file (closed with the study context). */
  readonly externalText: Map<string, Promise<Encoder<string>>>;
  /** Entry key → its training report (it-clip, it-lit). */
  readonly trainReports: Map<string, ImageTextTrainReport>;
  /** Entry key → its values (it-eval, it-probe-*). */
  readonly values: Map<string, ItValues>;
}

const states = new WeakMap<StudyContext, ImageTextState>();

/** The image–text half's loaded data, models and finished steps' outputs, per study. */
export function imageTextState(ctx: StudyContext): ImageTextState {
  let s = states.get(ctx);
  if (!s) {
    s = { sets: new Map(), pixels: new Map(), tokenizers: new Map(), imageEmbeddings: new Map(), npy: new Map(), textEncoders: new Map(), externalText: new Map(), trainReports: new Map(), values: new Map() };
    states.set(ctx, s);
  }
  return s;
}

const entry = (ctx: StudyContext, key: string, file: string) => path.join(ctx.cache.path(IT_CACHE, key), file);

function memo<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** A style's split (`train` for seen images, `test` for held-out ones). */
const captionSet = (ctx: StudyContext, style: string, split: string): Promise<ImageTextSet> =>
  memo(imageTextState(ctx).sets, `${style}/${split}`, () => readCaptions(path.join(ctx.config.imageText.dataset, `${style}.json`), { format: 'karpathy', splits: [split] }));

const pixelsOf = (ctx: StudyContext, style: string, split: string): Promise<Float32Array> =>
  memo(imageTextState(ctx).pixels, `${style}/${split}`, async () => {
    const set = await captionSet(ctx, style, split);
    // The tower's one pixel convention (image-preprocess.ts), so its ONNX export reproduces these embeddings.
    const side = ctx.config.imageText.side;
    return preprocessImages(set.images.map((img) => path.join(ctx.config.imageText.dataset, img.file)), towerPreprocessing({ height: side, width: side }), 'hwc');
  });

const tokenizerOf = (ctx: StudyContext, vocab: string) => memo(imageTextState(ctx).tokenizers, vocab, () => loadTokenizer(entry(ctx, vocab, 'vocab.txt')));

/** The locked image tower's (CLIP entry `clip`) embeddings of a style's split. */
const imageEmbeddings = (ctx: StudyContext, clip: string, style: string, split: string): Promise<Float32Array> =>
  memo(imageTextState(ctx).imageEmbeddings, `${clip}/${style}/${split}`, async () =>
    readImageTowerFile(entry(ctx, clip, 'tower.xit')).model.encode(await pixelsOf(ctx, style, split), { threads: ctx.config.threads }),
  );

/** An external source's .npy for a style, with its ids (read once per study). */
const npyOf = (ctx: StudyContext, src: { npy: string; ids?: string }, style: string) => {
  const file = sourceFile(src.npy, style);
  return memo(imageTextState(ctx).npy, file, () => ({ ...readEmbeddings(file, src.ids === undefined ? undefined : sourceFile(src.ids, style)), file }));
};

/** Embeddings of a style's split (rows aligned with its images) and their dimension: the locked image tower's, or an external system's. */
async function imagesOf(ctx: StudyContext, s: Step<ItRunInputs>, style: string, split: string): Promise<{ data: Float32Array; dim: number }> {
  if (!('external' in s.inputs)) return { data: await imageEmbeddings(ctx, s.inputs.clip, style, split), dim: ctx.config.imageText.clip.dim };
  const src = s.inputs.external.image;
  const set = await captionSet(ctx, style, split);
  if (!isEncoderSource(src)) {
    const m = npyOf(ctx, src, style);
    return { data: gatherRows(m.data, Array.from(rowsFor({ ...m, dim: m.cols }, set.images.map((i) => i.id), 'images')), m.cols), dim: m.cols };
  }
  const data = await memo(imageTextState(ctx).imageEmbeddings, `${JSON.stringify(src)}/${style}/${split}`, async () => {
    const encoder = await openImageEncoder(sourceFile(src.onnx, style), { intraOpThreads: ctx.config.threads, threads: ctx.config.threads });
    try {
      return await encoder.encode(set.images.map((img) => path.join(ctx.config.imageText.dataset, img.file)), { threads: ctx.config.threads });
    } finally {
      await encoder.close();
    }
  });
  return { data, dim: data.length / set.images.length };
}

const textEncoder = (ctx: StudyContext, model: string, vocab: string) =>
  memo(imageTextState(ctx).textEncoders, model, () => new NativeTextEncoder(loadDualEncoder(entry(ctx, model, 'text.xde')).model, tokenizerOf(ctx, vocab), { maxLength: CAPTION_MAX_LENGTH }));

/** A setting's retrieval problem: its captions (indices into set.captions), its images (indices into set.images) and each caption's image among them. */
interface View {
  set: ImageTextSet;
  captions: number[];
  images: number[];
  textImage: Int32Array;
}

/**
 * The captions of a setting: one language's, or for a mixed-language set each image's captions in
 * one language drawn per image id (mix.ts's rule, seeded by mixSeed), every image with a caption —
 * of at most `maxImages` images (0: all), those whose ids hash lowest under mixSeed.
 */
function view(set: ImageTextSet, langs: readonly string[], mixSeed: number, maxImages: number): View {
  let keep: (img: number, lang: string) => boolean;
  const sample = new Uint8Array(set.images.length).fill(1);
  if (maxImages > 0 && maxImages < set.images.length) {
    sample.fill(0);
    const order = set.images.map((im, i) => [textKey(mixSeed, hashString(im.id), 2), i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [, i] of order.slice(0, maxImages)) sample[i] = 1;
  }
  if (langs.length === 1) keep = (img, lang) => lang === langs[0] && sample[img] === 1;
  else {
    const by = new Map(langs.map((l) => [l, new Map<string, string>()]));
    for (const c of set.captions) by.get(c.lang)?.set(set.images[c.image]!.id, c.lang);
    const drawn = new Map(mixLanguages(by, { langs, seed: mixSeed }).map((r) => [r._id, r.lang]));
    keep = (img, lang) => drawn.get(set.images[img]!.id) === lang && sample[img] === 1;
  }
  const captions: number[] = [];
  set.captions.forEach((c, i) => keep(c.image, c.lang) && captions.push(i));
  const local = new Int32Array(set.images.length).fill(-1);
  const images: number[] = [];
  for (const i of captions) {
    const img = set.captions[i]!.image;
    if (local[img]! < 0) (local[img] = images.length), images.push(img);
  }
  return { set, captions, images, textImage: Int32Array.from(captions, (i) => local[set.captions[i]!.image]!) };
}

const splitOf = (s: ImageTextSettingConfig) => (s.protocol === 'held-out' ? 'test' : 'train');

function directionValues(d: { perQuery: Map<string, Float64Array> }, queryIds: string[]): DirectionValues {
  return { queryIds, values: Object.fromEntries(IT_MEASURES.map((m) => [m, Array.from(d.perQuery.get(m)!)])) };
}

/**
 * An executor of an evaluation or probe step: `texts` gives the captions' embeddings (after the
 * step's transform) and notes; retrieval runs both ways, or text→image only for a probe.
 */
function runExecutor(texts: (s: Step<ItRunInputs>, ctx: StudyContext, v: View, items: SettingItem[], dim: number) => Promise<{ emb: Float32Array; note?: Record<string, number>; attack?: (images: Float32Array) => Float32Array }>, languages: 'setting' | 'en'): StepExecutor {
  return {
    async make(step, ctx, tmp) {
      const s = step as Step<ItRunInputs>;
      const it = ctx.config.imageText;
      const setting = it.settings.find((x) => x.id === s.inputs.run.setting)!;
      const set = await captionSet(ctx, setting.style, splitOf(setting));
      const v = view(set, languages === 'en' ? ['en'] : setting.captions, ctx.config.mixSeed, it.maxImages);
      const items = v.captions.map((i): SettingItem => ({ _id: set.captions[i]!.id, text: set.captions[i]!.text, lang: set.captions[i]!.lang }));
      const { data: allImages, dim } = await imagesOf(ctx, s, setting.style, splitOf(setting));
      const images = gatherRows(allImages, v.images, dim);
      const t = await texts(s, ctx, v, items, dim);
      if (t.emb.length !== items.length * dim) throw new XmrError('E_PARSE', `caption embeddings of ${t.emb.length / items.length} dimensions for image embeddings of ${dim} (${s.inputs.run.system})`);
      const emb = t.attack ? t.attack(images) : t.emb;
      const r = await imageTextRetrieval(images, emb, v.textImage, { dim, cutoffs: IT_CUTOFFS, ranks: true, threads: ctx.config.threads });
      const out: ItValues = { t2i: directionValues(r.t2i, items.map((x) => x._id)), notes: { ...t.note, captions: items.length, images: v.images.length } };
      if (s.inputs.run.probe === null) out.i2t = directionValues(r.i2t, v.images.map((i) => set.images[i]!.id));
      writeFileAtomic(path.join(tmp, 'values.json'), JSON.stringify(out));
    },
    read(step, ctx, dir) {
      imageTextState(ctx).values.set(step.cache.key, JSON.parse(readFileSync(path.join(dir, 'values.json'), 'utf8')) as ItValues);
    },
  };
}

/**
 * The captions' embeddings: the adapted text tower's, or the external system's encoder's, or its
 * .npy rows of the captions' ids — only for captions as the set has them (`transformed` false).
 */
async function encode(s: Step<ItRunInputs>, ctx: StudyContext, items: SettingItem[], transformed = false): Promise<Float32Array> {
  const threads = ctx.config.threads;
  if (!('external' in s.inputs)) return textEncoder(ctx, s.inputs.model, s.inputs.vocab).encode(items.map((x) => x.text), { threads });
  const src = s.inputs.external.text;
  const style = ctx.config.imageText.settings.find((x) => x.id === s.inputs.run.setting)!.style;
  if (isEncoderSource(src)) {
    const file = sourceFile(src.onnx, style);
    const encoder = await memo(imageTextState(ctx).externalText, file, async () => ctx.keepOpen(await openTextEncoder(file, { intraOpThreads: threads, threads })));
    return encoder.encode(items.map((x) => x.text), { threads });
  }
  if (transformed) throw new XmrError('E_CONFIG', `${s.inputs.run.system}: precomputed caption embeddings cannot be code-switched or translated`, { file: src.npy });
  const m = npyOf(ctx, src, style);
  return gatherRows(m.data, Array.from(rowsFor({ ...m, dim: m.cols }, items.map((x) => x._id), 'captions')), m.cols);
}

const readReport = (ctx: StudyContext, step: Step, dir: string) => imageTextState(ctx).trainReports.set(step.cache.key, JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as ImageTextTrainReport);

/** Executors by step kind (image-text/plan.ts). */
export const IMAGE_TEXT_EXECUTORS: Readonly<Record<string, StepExecutor>> = {
  'it-vocab': {
    async make(step, ctx, tmp) {
      const it = ctx.config.imageText;
      // Every caption of the training style (all splits, all languages: the styles share their captions) and the seen lexicons' words, as the text study's vocabulary.
      const set = await readCaptions(path.join(it.dataset, `${it.trainStyle}.json`), { format: 'karpathy' });
      const words = (step as Step<ItVocabInputs>).inputs.langs.flatMap((l) => [...ctx.lexicons.fromEnglish(l).values()]);
      writeVocab(path.join(tmp, 'vocab.txt'), buildWordVocab([...set.captions.map((c) => c.text), words.join(' ')]));
    },
    read() {},
  },
  'it-clip': {
    async make(step, ctx, tmp, threads) {
      const { seed, vocab } = (step as Step<ItClipInputs>).inputs;
      const it = ctx.config.imageText;
      const set = await captionSet(ctx, it.trainStyle, 'train');
      const report = await trainClip({ spec: { ...it.clip, ...it.tower }, seed, set, pixels: await pixelsOf(ctx, it.trainStyle, 'train'), side: it.side, tokenizer: tokenizerOf(ctx, vocab), threads, textFile: path.join(tmp, 'text.xde'), towerFile: path.join(tmp, 'tower.xit') });
      writeFileAtomic(path.join(tmp, 'report.json'), JSON.stringify(report));
    },
    read: (step, ctx, dir) => void readReport(ctx, step, dir),
  },
  'it-lit': {
    async make(step, ctx, tmp, threads) {
      const { spec, seed, clip, vocab } = (step as Step<ItLitInputs>).inputs;
      const it = ctx.config.imageText;
      const set = await captionSet(ctx, it.trainStyle, 'train');
      const report = await trainLit({ spec, seed, set, imageEmbeddings: await imageEmbeddings(ctx, clip, it.trainStyle, 'train'), tokenizer: tokenizerOf(ctx, vocab), lexicons: ctx.lexicons, threads, textFile: entry(ctx, clip, 'text.xde'), outFile: path.join(tmp, 'text.xde') });
      writeFileAtomic(path.join(tmp, 'report.json'), JSON.stringify(report));
    },
    read: (step, ctx, dir) => void readReport(ctx, step, dir),
  },
  'it-eval': runExecutor(async (s, ctx, _v, items) => {
    if (!s.inputs.translateTest) return { emb: await encode(s, ctx, items) };
    const t = translateQueries(items, ctx.lexicons);
    return { emb: await encode(s, ctx, t.queries, true), note: { translatedTokens: t.stats.translated, tokens: t.stats.tokens, untranslatableCaptions: t.stats.untranslatable } };
  }, 'setting'),
  'it-probe-cs': runExecutor(async (s, ctx, _v, items) => {
    const r = codeSwitchQueries(items, ctx.lexicons, ctx.config.languages.seen, s.inputs.run.probe!.value, ctx.config.mixSeed);
    return { emb: await encode(s, ctx, r.queries, true), note: { switchRatio: r.ratio } };
  }, 'en'),
  'it-probe-fgsm': runExecutor(async (s, ctx, v, items, dim) => {
    const emb = await encode(s, ctx, items);
    return { emb, attack: (images) => fgsmAgainstRelevant(emb, images, dim, v.textImage, s.inputs.run.probe!.value) };
  }, 'en'),
};
