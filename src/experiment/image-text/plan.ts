/**
 * The image–text half's plan steps (issue 13), appended to the study's plan by plan.ts when
 * `halves` includes 'image-text':
 *
 *   1. it-vocab  one word vocabulary over the captions (every language) and the seen lexicons;
 *   2. it-clip   English CLIP from scratch, per seed;
 *   3. it-lit    per trained system of studySystems(config) (systems with equal augmentation share models)
 *                and seed: the CLIP text tower adapted against the locked image tower (models.ts);
 *   4. it-eval   every dense system × seed × image–text setting: both directions, per query;
 *   5. it-probe  every dense system without Translate-Test × seed: the probe setting's English
 *                captions code-switched at each p, and FGSM on the caption embedding at each ε.
 *
 * An external system (`imageText.external`: encoders or .npy embeddings from elsewhere) has no
 * training step: it-eval and it-probe steps of seed 0 only (FGSM acts on any caption embedding; the
 * code-switching probe needs a text encoder), keyed by the bytes of its files.
 *
 * Keys hash everything a step reads (the image–text dataset's bytes, the lexicons, the code's
 * versions, the parameters and the keys of the steps it reads), so steps are cached and resumed
 * like the text steps. The image–text dataset is hashed once per plan.
 */
import { existsSync } from 'node:fs';
import { idsBeside } from '../../data/npy.js';
import { towerPreprocessing } from '../../encoders/image-preprocess.js';
import { XmrError } from '../../errors.js';
import { hashOf, hashTree } from '../cache.js';
import { studySystems, type ExperimentConfig, type StudySystem } from '../config.js';
import type { Planner, Stage, Step } from '../plan.js';
import { isTrained, trainSpec } from '../systems.js';
import { isEncoderSource, sourceFile, type ImageTextExternalConfig, type ImageTextSource } from './config.js';
import type { LitSpec } from './models.js';

export const IT_CACHE = 'image-text';

export interface ItProbe {
  kind: 'cs' | 'fgsm';
  value: number;
}
export interface ItVocabInputs {
  langs: string[];
}
export interface ItClipInputs {
  seed: number;
  vocab: string;
}
export interface ItLitInputs {
  system: string;
  seed: number;
  spec: LitSpec;
  clip: string;
  vocab: string;
}
interface ItRun {
  run: { system: string; seed: number; setting: string; probe: ItProbe | null };
  translateTest: boolean;
}
/** A trained system's run: the adapted text tower's key (an it-lit entry) and the image tower's (an it-clip entry). */
export interface ItTrainedRunInputs extends ItRun {
  model: string;
  clip: string;
  vocab: string;
}
/** An external system's run: its sources as configured. */
export interface ItExternalRunInputs extends ItRun {
  external: { image: ImageTextSource; text: ImageTextSource };
}
export type ItRunInputs = ItTrainedRunInputs | ItExternalRunInputs;

/** The LiT spec of a dense system: its augmentation (the text study's trainSpec) with the image–text training settings. */
export function litSpec(s: StudySystem, config: ExperimentConfig): LitSpec {
  const { cs, adv } = trainSpec(s, config)!;
  return { cs, adv, ...config.imageText.lit };
}

/** The trained systems of the study (ADV sweeps expanded; external text encoders have no LiT stage), which the image–text half evaluates. */
export const imageTextSystems = (config: ExperimentConfig): StudySystem[] => studySystems(config).filter(isTrained);

/**
 * The bytes an external source reads for the given styles: the encoder, or the .npy and its ids.
 * @throws XmrError naming a missing file.
 */
function sourceContent(src: ImageTextSource, styles: readonly string[], where: string): string {
  const files = styles.flatMap((style) => {
    if (isEncoderSource(src)) return [sourceFile(src.onnx, style)];
    const npy = sourceFile(src.npy, style);
    const ids = src.ids === undefined ? idsBeside(npy) : sourceFile(src.ids, style);
    return ids === undefined ? [npy] : [npy, ids];
  });
  const missing = files.find((f) => !existsSync(f));
  if (missing !== undefined) throw new XmrError('E_MISSING', `no such file (${where})`, { file: missing });
  return hashOf([...new Set(files)].map((f) => [f, hashTree(f)]));
}

/** The planner of the image–text half (see the module comment). */
export const planImageText: Planner = ({ config, inputs, lexiconKey }) => {
  const it = config.imageText;
  // The text dataset is not an input here: only the lexicons, the code's versions and the image–text data.
  const data = { lexicons: inputs.lexicons, pipeline: inputs.pipeline, native: inputs.native, imageText: hashTree(it.dataset), trainStyle: it.trainStyle };
  const steps: Step[] = [];
  const step = <I>(kind: string, stage: Stage, label: string, key: string, stepInputs: I, after: string[]): Step<I> => ({ id: `${stage} ${label}`, kind, stage, label, cache: { kind: IT_CACHE, key }, inputs: stepInputs, after });
  const vocab = step<ItVocabInputs>('it-vocab', 'it-train', 'image–text vocabulary', hashOf({ ...data, vocab: config.languages.seen }), { langs: [...config.languages.seen] }, []);
  steps.push(vocab);
  const clipOf = new Map<number, Step<ItClipInputs>>();
  for (const seed of it.seeds) {
    const clip = step<ItClipInputs>('it-clip', 'it-train', `English CLIP seed ${seed}`, hashOf({ vocab: vocab.cache.key, side: it.side, pixels: towerPreprocessing({ height: it.side, width: it.side }), tower: it.tower, clip: it.clip, seed }), { seed, vocab: vocab.cache.key }, [vocab.id]);
    clipOf.set(seed, clip);
    steps.push(clip);
  }
  const litOf = new Map<string, Step<ItLitInputs>>();
  const modelOf = (s: StudySystem, seed: number): Step<ItLitInputs> => {
    const spec = litSpec(s, config);
    const clip = clipOf.get(seed)!;
    const key = hashOf({ clip: clip.cache.key, spec, seed, lexicon: lexiconKey(s) });
    let lit = litOf.get(key);
    if (!lit) {
      lit = step<ItLitInputs>('it-lit', 'it-train', `LiT ${s.id} seed ${seed}`, key, { system: s.id, seed, spec, clip: clip.cache.key, vocab: vocab.cache.key }, [clip.id]);
      litOf.set(key, lit);
      steps.push(lit);
    }
    return lit;
  };
  const systems = imageTextSystems(config);
  for (const s of systems) for (const seed of it.seeds) modelOf(s, seed);
  const runStep = (kind: string, stage: Stage, s: StudySystem, seed: number, setting: string, probe: ItProbe | null): Step<ItTrainedRunInputs> => {
    const lit = modelOf(s, seed);
    const settingConfig = it.settings.find((x) => x.id === setting)!;
    const key = hashOf({ model: lit.cache.key, setting: { ...settingConfig, id: undefined }, maxImages: it.maxImages, translateTest: s.translateTest === true, mixSeed: config.mixSeed, probe });
    const label = `${s.id} seed ${seed} ${setting}${probe ? ` ${probe.kind} ${probe.value}` : ''}`;
    return step<ItTrainedRunInputs>(kind, stage, label, key, { run: { system: s.id, seed, setting, probe }, translateTest: s.translateTest === true, model: lit.cache.key, clip: lit.inputs.clip, vocab: vocab.cache.key }, [lit.id]);
  };
  for (const s of systems) for (const seed of it.seeds) for (const setting of it.settings) steps.push(runStep('it-eval', 'it-eval', s, seed, setting.id, null));
  for (const s of systems.filter((x) => !x.translateTest))
    for (const seed of it.seeds) {
      for (const p of it.probes.csRates) steps.push(runStep('it-probe-cs', 'it-probe', s, seed, it.probes.setting, { kind: 'cs', value: p }));
      for (const eps of it.probes.eps) steps.push(runStep('it-probe-fgsm', 'it-probe', s, seed, it.probes.setting, { kind: 'fgsm', value: eps }));
    }
  it.external.forEach((e, i) => steps.push(...externalSteps(e, i, config, data, step)));
  return steps;
};

/** An external system's evaluation and probe steps (seed 0), keyed by its sources' bytes and what the trained systems' keys hold of the data and code (`data`). */
function externalSteps(e: ImageTextExternalConfig, i: number, config: ExperimentConfig, data: object, step: <I>(kind: string, stage: Stage, label: string, key: string, inputs: I, after: string[]) => Step<I>): Step<ItExternalRunInputs>[] {
  const it = config.imageText;
  const styles = [...new Set(it.settings.map((s) => s.style))];
  const content = { image: sourceContent(e.image, styles, `imageText.external[${i}].image`), text: sourceContent(e.text, styles, `imageText.external[${i}].text`) };
  const external = { image: e.image, text: e.text };
  const runStep = (kind: string, stage: Stage, setting: string, probe: ItProbe | null): Step<ItExternalRunInputs> => {
    const settingConfig = it.settings.find((x) => x.id === setting)!;
    const key = hashOf({ ...data, external, content, setting: { ...settingConfig, id: undefined }, maxImages: it.maxImages, mixSeed: config.mixSeed, probe, seen: config.languages.seen });
    const label = `${e.id} seed 0 ${setting}${probe ? ` ${probe.kind} ${probe.value}` : ''}`;
    return step<ItExternalRunInputs>(kind, stage, label, key, { run: { system: e.id, seed: 0, setting, probe }, translateTest: false, external }, []);
  };
  const out = it.settings.map((s) => runStep('it-eval', 'it-eval', s.id, null));
  if (isEncoderSource(e.text)) for (const p of it.probes.csRates) out.push(runStep('it-probe-cs', 'it-probe', it.probes.setting, { kind: 'cs', value: p }));
  for (const eps of it.probes.eps) out.push(runStep('it-probe-fgsm', 'it-probe', it.probes.setting, { kind: 'fgsm', value: eps }));
  return out;
}

/** The systems of `imageText.external`, as the results list systems (kind `encoder`: not trained here). */
export function imageTextExternalSystems(config: ExperimentConfig): (StudySystem & { description: string })[] {
  const side = (s: ImageTextSource) => (isEncoderSource(s) ? `encoder \`${s.onnx}\`` : `embeddings \`${s.npy}\``);
  return config.imageText.external.map((e) => ({
    id: e.id,
    kind: 'encoder' as const,
    description: `external: image ${side(e.image)}, text ${side(e.text)} (not trained here; seed 0${isEncoderSource(e.text) ? '' : '; precomputed caption embeddings, so no code-switching probe'})`,
  }));
}

/** The image–text half's evaluation and probe steps of a plan, in plan order. */
export function imageTextRunSteps(steps: readonly Step[]): Step<ItRunInputs>[] {
  return steps.filter((s): s is Step<ItRunInputs> => s.kind === 'it-eval' || s.kind.startsWith('it-probe-'));
}

/** The image–text half's models: per system and seed, its LiT entry and its CLIP entry. */
export function imageTextModels(steps: readonly Step[]): { system: string; seed: number; lit: string; clip: string }[] {
  const runs = imageTextRunSteps(steps).filter((s): s is Step<ItTrainedRunInputs> => s.kind === 'it-eval' && !('external' in s.inputs));
  const seen = new Set<string>();
  const out: { system: string; seed: number; lit: string; clip: string }[] = [];
  for (const r of runs) {
    const id = `${r.inputs.run.system}\u0000${r.inputs.run.seed}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ system: r.inputs.run.system, seed: r.inputs.run.seed, lit: r.inputs.model, clip: r.inputs.clip });
  }
  return out;
}
