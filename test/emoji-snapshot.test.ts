/**
 * The committed emoji test bed (datasets/emoji): readable as Karpathy JSON with every image file
 * present, nine caption languages, no variant group or emoji straddling splits (within a style file
 * and across the two), counts as the manifest says; and, when the pinned package tarballs are in the
 * cache (XMR_EMOJI_CACHE, default ~/.cache/xmrbench/emoji-npm), a byte-for-byte rebuild.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { buildEmoji, EMOJI_PACKAGES, type EmojiManifest, type EmojiPackage } from '../src/data/emoji/build.js';
import { groupKey } from '../src/data/emoji/groups.js';
import { languageViews, readKarpathy } from '../src/data/image-text/index.js';
import { packageRoot } from '../src/native.js';

const DIR = path.join(packageRoot, 'datasets', 'emoji');
const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as EmojiManifest;
type Doc = { images: { filename: string; unified: string; split: string; group: string; sentences: { sentid: number }[] }[] };
const doc = (style: string): Doc => JSON.parse(readFileSync(path.join(DIR, `${style}.json`), 'utf8')) as Doc;

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)).map((f) => `${n}/${f}`) : [n]));
}

describe('datasets/emoji', () => {
  it('reads as Karpathy JSON, every image present, nine languages, counts as in the manifest', () => {
    for (const style of ['noto', 'twemoji']) {
      const set = readKarpathy(path.join(DIR, `${style}.json`), { imageRoot: DIR });
      const c = manifest.counts[style]!;
      assert.equal(set.images.length, c['images']);
      assert.equal(set.captions.length, c['captions']);
      assert.deepEqual(languageViews(set).map((v) => v.lang), manifest.langs);
      assert.deepEqual(manifest.langs, ['en', 'de', 'it', 'fr', 'es', 'ru', 'ja', 'pl', 'uk']);
      const test = readKarpathy(path.join(DIR, `${style}.json`), { splits: ['test'] });
      assert.equal(test.images.length, c['test']);
    }
  });

  it('keeps every variant group, and both styles of an emoji, in one split', () => {
    const byGroup = new Map<string, string>();
    const byKey = new Map<string, string>();
    const byEmoji = new Map<string, string>();
    for (const style of ['noto', 'twemoji']) {
      for (const img of doc(style).images) {
        for (const [map, key] of [[byGroup, img.group], [byKey, groupKey(img.unified)], [byEmoji, img.unified]] as const) {
          assert.equal(map.get(key) ?? img.split, img.split, `${style} ${img.unified}: ${key}`);
          map.set(key, img.split);
        }
      }
    }
    // Real variant groups exist and are kept together: e.g. the technologists.
    assert.equal(new Set(['1F9D1-200D-1F4BB', '1F468-200D-1F4BB', '1F469-200D-1F4BB'].map((u) => byEmoji.get(u))).size, 1);
    assert.ok([...byGroup.values()].filter((s) => s === 'test').length > 100);
  });

  it('shares caption ids between the two style files', () => {
    const tw = new Map(doc('twemoji').images.map((i) => [i.unified, i.sentences.map((s) => s.sentid)]));
    for (const img of doc('noto').images) if (tw.has(img.unified)) assert.deepEqual(tw.get(img.unified), img.sentences.map((s) => s.sentid), img.unified);
  });

  it('rebuilds byte for byte from the pinned packages', (t) => {
    const cache = process.env['XMR_EMOJI_CACHE'] ?? path.join(homedir(), '.cache', 'xmrbench', 'emoji-npm');
    const tarballs = Object.fromEntries(Object.entries(EMOJI_PACKAGES).map(([k, p]) => [k, path.join(cache, `${p.name}-${p.version}.tgz`)])) as Record<EmojiPackage, string>;
    const absent = Object.values(tarballs).filter((f) => !existsSync(f));
    if (absent.length > 0) {
      t.skip(`package tarballs not in ${cache} (run \`xmrbench data emoji --out /tmp/emoji --cache ${cache}\` once, or set XMR_EMOJI_CACHE)`);
      return;
    }
    for (const [k, f] of Object.entries(tarballs)) {
      assert.equal(createHash('sha256').update(readFileSync(f)).digest('hex'), manifest.sources[k as EmojiPackage].sha256, `${f} is not the tarball the snapshot was built from`);
    }
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'xmr-emoji-rebuild-')), 'emoji');
    buildEmoji({ tarballs, out, size: manifest.size, seed: manifest.seed, langs: manifest.langs, skinTones: manifest.skinTones });
    const committed = files(DIR);
    assert.deepEqual(files(out), committed);
    for (const f of committed) assert.ok(readFileSync(path.join(out, f)).equals(readFileSync(path.join(DIR, f))), f);
  });
});
