/**
 * The emoji image–text test bed: Karpathy-format caption files with per-sentence `lang`, one per
 * image style, built from npm packages (see datasets/README.md for provenance and licences):
 *
 * - images: `emoji-datasource-google` (Noto Color Emoji, Apache-2.0) → `noto/`, and
 *   `emoji-datasource-twitter` (Twemoji, CC-BY-4.0) → `twemoji/`; only the individual 64-px PNGs
 *   the package's own index (`emoji.json`) marks `has_img_google` / `has_img_twitter` — never a
 *   fallback from another vendor, never the Apple or Facebook sets (not freely licensed) — shrunk to
 *   `size` px (png.ts);
 * - captions: CLDR annotations (`cldr-annotations-full`, and `cldr-annotations-derived-full` for
 *   sequences: flags, keycaps, ZWJ, skin tones): per language the name (`tts`) as the first
 *   caption and the keyword list (`default`, joined with " | " as in CLDR's XML) as the second,
 *   when it says more than the name. `sentid`s are the same in both style files, so one set of text
 *   embeddings serves both;
 * - splits by variant group (groups.ts): both styles of an emoji, and all its variants, in one split.
 *
 * Output (all bytes deterministic: fixed order, `\n` line ends, one image per JSON line):
 * `noto.json`, `twemoji.json`, `noto/<code points>.png`, `twemoji/<code points>.png`,
 * `manifest.json`, and the attribution the licences ask for: `NOTICE.md`, with the licence texts
 * the packages ship copied as `LICENSE-unicode.txt` (CLDR) and `LICENSE-emoji-datasource.txt`. Written to a temporary folder beside `out` and renamed into place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import { writeFileAtomic } from '../../atomic-write.js';
import { groupKey, Groups, splitOfGroup, TEST_PERCENT, VAL_PERCENT, type EmojiSplit } from './groups.js';
import { decodePng, encodePng, shrink } from './png.js';
import { readTgz } from './tgz.js';

/** The pinned sources: rebuilding from these versions reproduces the committed snapshot. */
export const EMOJI_PACKAGES = {
  google: { name: 'emoji-datasource-google', version: '16.0.0' },
  twitter: { name: 'emoji-datasource-twitter', version: '16.0.0' },
  cldr: { name: 'cldr-annotations-full', version: '48.2.0' },
  cldrDerived: { name: 'cldr-annotations-derived-full', version: '48.2.0' },
} as const;
export type EmojiPackage = keyof typeof EMOJI_PACKAGES;

export const EMOJI_LANGS: readonly string[] = ['en', 'de', 'it', 'fr', 'es', 'ru', 'ja', 'pl', 'uk'];

const STYLES = [
  { style: 'noto', pkg: 'google', flag: 'has_img_google' },
  { style: 'twemoji', pkg: 'twitter', flag: 'has_img_twitter' },
] as const;

export interface EmojiBuildOptions {
  /** package → its .tgz (npm pack output) */
  tarballs: Record<EmojiPackage, string>;
  out: string;
  /** image side in px; must divide 64; default 32 */
  size?: number;
  /** split seed; default 0 */
  seed?: number;
  langs?: readonly string[];
  /** also each skin-tone variant as an image; default false */
  skinTones?: boolean;
}

interface IndexEntry {
  unified: string;
  image: string;
  sort_order: number;
  obsoletes?: string;
  obsoleted_by?: string;
  skin_variations?: Record<string, { unified: string; image: string } & Record<string, unknown>>;
  [flag: string]: unknown;
}

interface Item {
  unified: string;
  image: string;
  /** style → has its own image */
  has: Record<string, boolean>;
  captions: { sentid: number; raw: string; lang: string }[];
  split?: EmojiSplit;
  group?: string;
}

type Annotation = { tts?: string[]; default?: string[] };

function json(file: string, bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) throw new XmrError('E_MISSING', 'expected file not in the package', { file });
  return JSON.parse(new TextDecoder().decode(bytes));
}

function annotations(tarballs: EmojiBuildOptions['tarballs'], langs: readonly string[]): Map<string, Map<string, Annotation>> {
  const want = (p: string): boolean => langs.some((l) => p === `package/annotations/${l}/annotations.json` || p === `package/annotationsDerived/${l}/annotations.json`);
  const full = readTgz(tarballs.cldr, want);
  const derived = readTgz(tarballs.cldrDerived, want);
  const out = new Map<string, Map<string, Annotation>>();
  for (const l of langs) {
    const a = json(`${tarballs.cldr}:package/annotations/${l}/annotations.json`, full.get(`package/annotations/${l}/annotations.json`)) as { annotations: { annotations: Record<string, Annotation> } };
    const d = json(`${tarballs.cldrDerived}:package/annotationsDerived/${l}/annotations.json`, derived.get(`package/annotationsDerived/${l}/annotations.json`)) as { annotationsDerived: { annotations: Record<string, Annotation> } };
    out.set(l, new Map([...Object.entries(a.annotations.annotations), ...Object.entries(d.annotationsDerived.annotations)]));
  }
  return out;
}

const toText = (unified: string): string => String.fromCodePoint(...unified.split('-').map((h) => parseInt(h, 16)));

export interface EmojiManifest {
  sources: Record<EmojiPackage, { name: string; version: string; sha256: string }>;
  size: number;
  seed: number;
  langs: string[];
  skinTones: boolean;
  splitPercent: { test: number; val: number; train: number };
  counts: Record<string, Record<string, number>>;
}

function notice(size: number): string {
  const p = EMOJI_PACKAGES;
  return `# Emoji image–text test bed: sources and licences

Built by \`xmrbench data emoji\`; the images are the packages' individual 64-px PNGs, shrunk to ${size} px (box filter
in premultiplied alpha). Modified from the originals in that way only.

- \`noto/\`: Noto Color Emoji images, Copyright Google Inc., from ${p.google.name} ${p.google.version}. Licensed under the
  Apache License, Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0; https://github.com/googlefonts/noto-emoji).
- \`twemoji/\`: Twemoji graphics, Copyright Twitter, Inc. and other contributors, from ${p.twitter.name} ${p.twitter.version}.
  Licensed under CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/; https://github.com/jdecked/twemoji).
- Captions: Unicode CLDR annotations from ${p.cldr.name} and ${p.cldrDerived.name} ${p.cldr.version}, Copyright © Unicode, Inc.,
  under the Unicode License V3 (LICENSE-unicode.txt).
- Which emoji exist and which vendor has its own image: emoji-datasource's emoji.json, Copyright (c) 2013 Cal Henderson,
  MIT licence (LICENSE-emoji-datasource.txt).
`;
}

export function buildEmoji(o: EmojiBuildOptions): EmojiManifest {
  const size = o.size ?? 32;
  if (!Number.isInteger(size) || size < 1 || 64 % size !== 0) throw new RangeError(`size must divide 64 (64, 32, 16, 8 …), got ${size}`);
  const seed = o.seed ?? 0;
  const langs = [...(o.langs ?? EMOJI_LANGS)];
  const skinTones = o.skinTones ?? false;
  for (const [pkg, file] of Object.entries(o.tarballs)) if (!existsSync(file)) throw new XmrError('E_MISSING', `the ${pkg} package tarball is missing`, { file });

  // Images and each vendor's own index.
  const files = new Map<string, Map<string, Uint8Array>>();
  const index = new Map<string, IndexEntry[]>();
  for (const s of STYLES) {
    const prefix = `package/img/${s.pkg}/64/`;
    const t = readTgz(o.tarballs[s.pkg], (p) => p === 'package/emoji.json' || p === 'package/LICENSE' || p.startsWith(prefix));
    index.set(s.style, json(`${o.tarballs[s.pkg]}:package/emoji.json`, t.get('package/emoji.json')) as IndexEntry[]);
    files.set(s.style, t);
  }

  // Items in the Google index's order (sort_order, then code points), with each style's flag.
  const items = new Map<string, Item>();
  const groups = new Groups();
  for (const s of STYLES) {
    const entries = [...index.get(s.style)!].sort((a, b) => a.sort_order - b.sort_order || (a.unified < b.unified ? -1 : 1));
    for (const e of entries) {
      const variants = [{ unified: e.unified, image: e.image, has: e[s.flag] === true }];
      if (skinTones) for (const v of Object.values(e.skin_variations ?? {})) variants.push({ unified: v.unified, image: v.image, has: v[s.flag] === true });
      for (const v of variants) {
        const item = items.get(v.unified) ?? { unified: v.unified, image: v.image, has: {}, captions: [] };
        item.has[s.style] = v.has;
        items.set(v.unified, item);
        groups.union(groupKey(v.unified), groupKey(e.unified));
      }
      if (e.obsoletes) groups.union(groupKey(e.obsoletes), groupKey(e.unified));
      if (e.obsoleted_by) groups.union(groupKey(e.obsoleted_by), groupKey(e.unified));
    }
  }

  // Captions: CLDR name, then the keyword list, per language; ids shared by both styles.
  const cldr = annotations(o.tarballs, langs);
  let sentid = 0;
  for (const item of items.values()) {
    const text = toText(item.unified);
    for (const l of langs) {
      const table = cldr.get(l)!;
      const a = table.get(text) ?? table.get(text.replaceAll('\uFE0F', ''));
      const name = a?.tts?.[0];
      if (name === undefined) continue;
      item.captions.push({ sentid: sentid++, raw: name, lang: l });
      const keywords = (a?.default ?? []).filter((k) => k.toLowerCase() !== name.toLowerCase());
      if (keywords.length > 0) item.captions.push({ sentid: sentid++, raw: keywords.join(' | '), lang: l });
    }
    item.group = groups.find(groupKey(item.unified));
    item.split = splitOfGroup(item.group, seed);
  }

  const tmp = `${o.out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const counts: Record<string, Record<string, number>> = {};
  for (const s of STYLES) {
    mkdirSync(path.join(tmp, s.style));
    const c: Record<string, number> = { images: 0, captions: 0, train: 0, val: 0, test: 0, noCaption: 0, notOwnImage: 0 };
    const lines: string[] = [];
    for (const item of items.values()) {
      if (!item.has[s.style]) {
        c['notOwnImage']!++;
        continue;
      }
      if (item.captions.length === 0) {
        c['noCaption']!++;
        continue;
      }
      const png = files.get(s.style)!.get(`package/img/${s.pkg}/64/${item.image}`);
      if (png === undefined) throw new XmrError('E_MISSING', `no 64-px image ${item.image} although emoji.json marks it ${s.flag}`, { file: o.tarballs[s.pkg] });
      const img = decodePng(png, `${o.tarballs[s.pkg]}:${item.image}`);
      writeFileAtomic(path.join(tmp, s.style, item.image), encodePng(shrink(img, img.width / size)));
      lines.push(JSON.stringify({ filepath: s.style, filename: item.image, imgid: lines.length, split: item.split, group: item.group, unified: item.unified, sentences: item.captions }));
      c['images']!++;
      c['captions']! += item.captions.length;
      c[item.split!]!++;
    }
    counts[s.style] = c;
    writeFileAtomic(path.join(tmp, `${s.style}.json`), `{"dataset": "emoji-${s.style}", "images": [\n${lines.join(',\n')}\n]}\n`);
  }
  const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
  const manifest: EmojiManifest = {
    sources: Object.fromEntries(Object.entries(EMOJI_PACKAGES).map(([k, p]) => [k, { ...p, sha256: sha(o.tarballs[k as EmojiPackage]) }])) as EmojiManifest['sources'],
    size,
    seed,
    langs,
    skinTones,
    splitPercent: { test: TEST_PERCENT, val: VAL_PERCENT, train: 100 - TEST_PERCENT - VAL_PERCENT },
    counts,
  };
  writeFileAtomic(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const licence = (pkg: EmojiPackage, bytes: Uint8Array | undefined): Uint8Array => {
    if (bytes === undefined) throw new XmrError('E_MISSING', 'package/LICENSE is missing', { file: o.tarballs[pkg] });
    return bytes;
  };
  writeFileAtomic(path.join(tmp, 'LICENSE-unicode.txt'), licence('cldr', readTgz(o.tarballs.cldr, (p) => p === 'package/LICENSE').get('package/LICENSE')));
  writeFileAtomic(path.join(tmp, 'LICENSE-emoji-datasource.txt'), licence('google', files.get('noto')!.get('package/LICENSE')));
  writeFileAtomic(path.join(tmp, 'NOTICE.md'), notice(size));
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  renameSync(tmp, o.out);
  return manifest;
}
