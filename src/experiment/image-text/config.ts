/**
 * The image–text half's configuration (`imageText` in an experiment config; schema in
 * schemas/config.schema.json, documented in docs/experiment-config.md): the caption sets, the
 * towers' training, the evaluation settings, the probes and the external systems. Its trained
 * systems are not listed here: they are the text half's trained systems (studySystems: config.systems
 * with ADV sweeps expanded), so a system added there is added here too.
 *
 * Settings: `protocol` `held-out` evaluates the style's test images (never seen in training, as
 * XTD10's protocol); `seen-images` the training images, which the image tower saw with English
 * captions only (isolating the cross-lingual text side). `captions` names one language, or several
 * for a mixed-language caption set (each image's captions in one language drawn per image). A
 * `style` other than `trainStyle` is the domain shift setting.
 *
 * `external` adds systems trained elsewhere (a real CLIP, say): each side is an encoder — an ONNX
 * model folder or .onnx file, or a native checkpoint (`.xit` / `.xde`), opened as `xmrbench
 * eval-images --image-encoder / --text-encoder` opens it — or precomputed embeddings (`.npy` with
 * one id per row: image file names, caption ids, as `eval-images --images/--texts` reads them). A
 * `{style}` in a file name is replaced by the evaluated style (the styles' image ids may repeat).
 * They are evaluated, not trained: seed 0, like BM25 in the text half.
 */
import type { JsonFields } from '../../json-fields.js';

export type ImageTextProtocol = 'held-out' | 'seen-images';

export interface ImageTextSettingConfig {
  id: string;
  protocol: ImageTextProtocol;
  /** The caption file `<dataset>/<style>.json` whose images are evaluated. */
  style: string;
  captions: string[];
}

/** One side of an external system: an encoder, or precomputed embeddings with their ids (default `X.ids.txt` / `X.ids.json` beside `X.npy`). */
export type ImageTextSource = { onnx: string } | { npy: string; ids?: string };

export interface ImageTextExternalConfig {
  id: string;
  image: ImageTextSource;
  text: ImageTextSource;
}

/** The file of a source for a style (`{style}` replaced). */
export const sourceFile = (file: string, style: string): string => file.replaceAll('{style}', style);

/** Whether a source is an encoder (the code-switching probe needs one on the text side: it changes the captions). */
export const isEncoderSource = (s: ImageTextSource): s is { onnx: string } => 'onnx' in s;

export interface ImageTextConfig {
  /** A folder of Karpathy-format caption sets `<style>.json` (sentences with `lang`), images relative to it. */
  dataset: string;
  /** The style the towers train on (its `train` split, English captions). */
  trainStyle: string;
  /** Image side in pixels (the files' size) and the tower's shape. */
  side: number;
  tower: { patch: number; hidden: number };
  seeds: number[];
  /** English CLIP from scratch. */
  clip: { dim: number; epochs: number; batch: number; lr: number; tau: number };
  /** LiT adaptation of the text tower (image tower locked). */
  lit: { epochs: number; batch: number; lr: number; tau: number };
  settings: ImageTextSettingConfig[];
  /**
   * Images evaluated per setting at most (0: all): a seeded sample (by mixSeed, the same for every
   * system, so queries stay paired). Ranking every caption against every image for RR costs
   * captions × images, and the training split is 3.7× the test split.
   */
  maxImages: number;
  probes: { setting: string; csRates: number[]; eps: number[] };
  /** Systems evaluated with external towers or embeddings (see the module comment); default none. */
  external: ImageTextExternalConfig[];
}

const setting = (protocol: ImageTextProtocol, style: string, captions: string[], shift: boolean): ImageTextSettingConfig => ({
  id: `${protocol}/${captions.length > 1 ? 'mix' : captions[0]!}${shift ? `@${style}` : ''}`,
  protocol,
  style,
  captions,
});

/** The plan's defaults: every language in `full`, a few in `default` (small enough for a few minutes on 2 cores). */
export function imageTextDefaults(plan: 'default' | 'full', seen: readonly string[], unseen: readonly string[]): ImageTextConfig {
  const full = plan === 'full';
  const langs = full ? ['en', ...seen, ...unseen] : ['en', 'de', 'it', 'ru', 'ja'];
  const mix = [...seen, ...unseen].filter((l) => full || langs.includes(l) || l === 'fr');
  const styles = ['noto', 'twemoji'];
  const settings: ImageTextSettingConfig[] = [];
  for (const style of full ? styles : ['noto']) {
    const shift = style !== 'noto';
    for (const protocol of ['held-out', 'seen-images'] as const) {
      for (const l of langs) if (protocol === 'held-out' || l !== 'en' || full) settings.push(setting(protocol, style, [l], shift));
      settings.push(setting(protocol, style, mix, shift));
    }
  }
  // The default plan's domain shift: Twemoji's test images with English captions, Twemoji's training images with German ones.
  if (!full) settings.push(setting('held-out', 'twemoji', ['en'], true), setting('seen-images', 'twemoji', ['de'], true));
  return {
    dataset: 'datasets/emoji',
    trainStyle: 'noto',
    side: 32,
    tower: { patch: 4, hidden: 64 },
    seeds: full ? [1, 2, 3, 4, 5] : [1, 2, 3],
    clip: { dim: 64, epochs: 20, batch: 64, lr: 5e-3, tau: 0.07 },
    lit: { epochs: 10, batch: 64, lr: 5e-3, tau: 0.07 },
    settings,
    maxImages: full ? 0 : 400,
    probes: { setting: 'held-out/en', csRates: [0, 0.25, 0.5, 0.75, 1], eps: full ? [0, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8] : [0, 0.05, 0.1, 0.2, 0.4] },
    external: [],
  };
}

const source = (s: ImageTextSource): ImageTextSource => (isEncoderSource(s) ? { onnx: s.onnx } : { npy: s.npy, ...(s.ids === undefined ? {} : { ids: s.ids }) });

/**
 * What the schema cannot say (ids unique — external systems' also against `systemIds`, the study's
 * systems —, languages known — unless `languages` is null —, the probe setting present), and a fresh
 * object in a fixed key order.
 */
export function validateImageTextConfig(o: ImageTextConfig, c: JsonFields, languages: { seen: string[]; unseen: string[] } | null, systemIds: readonly string[]): ImageTextConfig {
  const known = languages && new Set(['en', ...languages.seen, ...languages.unseen]);
  const ids = new Set<string>();
  const settings = o.settings.map((s, i): ImageTextSettingConfig => {
    if (ids.has(s.id)) c.fail(`imageText.settings[${i}].id`, `repeats ${JSON.stringify(s.id)}`);
    ids.add(s.id);
    s.captions.forEach((l, j) => known === null || known.has(l) || c.fail(`imageText.settings[${i}].captions[${j}]`, `"${l}" is neither en nor in languages.seen or languages.unseen`));
    return { id: s.id, protocol: s.protocol, style: s.style, captions: s.captions };
  });
  if (!ids.has(o.probes.setting)) c.fail('imageText.probes.setting', `names no image–text setting ("${o.probes.setting}")`);
  if (o.side % o.tower.patch !== 0) c.fail('imageText.tower.patch', `must divide imageText.side (${o.side}), got ${o.tower.patch}`);
  const systems = new Set(systemIds);
  const external = o.external.map((e, i): ImageTextExternalConfig => {
    if (systems.has(e.id)) c.fail(`imageText.external[${i}].id`, `repeats ${JSON.stringify(e.id)} (a system id)`);
    systems.add(e.id);
    return { id: e.id, image: source(e.image), text: source(e.text) };
  });
  const { clip, lit, probes } = o;
  return {
    dataset: o.dataset,
    trainStyle: o.trainStyle,
    side: o.side,
    tower: { patch: o.tower.patch, hidden: o.tower.hidden },
    seeds: o.seeds,
    clip: { dim: clip.dim, epochs: clip.epochs, batch: clip.batch, lr: clip.lr, tau: clip.tau },
    lit: { epochs: lit.epochs, batch: lit.batch, lr: lit.lr, tau: lit.tau },
    settings,
    maxImages: o.maxImages,
    probes: { setting: probes.setting, csRates: probes.csRates, eps: probes.eps },
    external,
  };
}
