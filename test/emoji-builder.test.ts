/**
 * The emoji test bed builder on small synthetic packages (made with the system's `tar`, in the
 * layout of the real ones): the same bytes twice, only each vendor's own images, variants of one
 * emoji and both styles in one split, caption ids shared by the style files; and the group keys.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEmoji, type EmojiPackage } from '../src/data/emoji/build.js';
import { groupKey } from '../src/data/emoji/groups.js';
import { decodePng, encodePng } from '../src/data/emoji/png.js';
import { readKarpathy } from '../src/data/image-text/karpathy.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'xmr-emoji-'));

const EMOJI = [
  { unified: '1F600', image: '1f600.png', sort_order: 1 },
  { unified: '1F9D1-200D-1F4BB', image: '1f9d1-200d-1f4bb.png', sort_order: 2 },
  { unified: '1F468-200D-1F4BB', image: '1f468-200d-1f4bb.png', sort_order: 3 },
  { unified: '1F469-200D-1F4BB', image: '1f469-200d-1f4bb.png', sort_order: 4 },
  { unified: '1F1E9-1F1EA', image: '1f1e9-1f1ea.png', sort_order: 5 },
  { unified: '2764-FE0F', image: '2764-fe0f.png', sort_order: 6 },
];
const NAMES: Record<string, [string, string[]][]> = {
  en: [['😀', ['face', 'grin']], ['🧑‍💻', ['coder']], ['👨‍💻', ['coder', 'man']], ['👩‍💻', ['coder', 'woman']], ['🇩🇪', ['flag']], ['❤', ['heart', 'love']]],
  de: [['😀', ['Gesicht']], ['🧑‍💻', []], ['👨‍💻', ['Mann']], ['🇩🇪', ['Flagge']], ['❤', ['Herz']]],
};
const TTS: Record<string, string[]> = { en: ['grinning face', 'technologist', 'man technologist', 'woman technologist', 'flag: Germany', 'red heart'], de: ['grinsendes Gesicht', 'Technologe', 'Technologe', 'Flagge: Deutschland', 'rotes Herz'] };

function pack(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = path.join(tmp, `src-${name}`);
  for (const [f, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'package', f)), { recursive: true });
    writeFileSync(path.join(dir, 'package', f), data);
  }
  const file = path.join(tmp, `${name}.tgz`);
  execFileSync('tar', ['czf', file, '-C', dir, 'package']);
  return file;
}

function image(seed: number): Uint8Array {
  return encodePng({ width: 64, height: 64, pixels: Uint8Array.from({ length: 64 * 64 * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * seed) % 251)) });
}

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

let tarballs: Record<EmojiPackage, string>;
let tarOk = true;

before(() => {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
  } catch {
    tarOk = false;
    return;
  }
  const vendor = (v: string, missing: string): string =>
    pack(v, {
      'emoji.json': JSON.stringify(EMOJI.map((e) => ({ ...e, [`has_img_${v}`]: e.unified !== missing, has_img_apple: true }))),
      ...Object.fromEntries(EMOJI.filter((e) => e.unified !== missing).map((e, i) => [`img/${v}/64/${e.image}`, image(i + (v === 'google' ? 3 : 7))])),
      // A sprite sheet and another vendor's image that must not be used.
      [`img/${v}/sheets/64.png`]: image(1),
      'img/apple/64/1f1e9-1f1ea.png': image(2),
      LICENSE: 'The MIT License (MIT)\n',
    });
  const cldr = (dirName: string, key: string, derived: boolean): string =>
    pack(dirName, {
      LICENSE: 'UNICODE LICENSE V3\n',
      ...Object.fromEntries(Object.keys(NAMES).map((l) => [`${dirName.includes('derived') ? 'annotationsDerived' : 'annotations'}/${l}/annotations.json`, JSON.stringify({ [key]: { annotations: Object.fromEntries(NAMES[l]!.map(([e, kw], i) => [e, { default: kw, tts: [TTS[l]![i]!] }]).filter(([e]) => (derived ? [...(e as string)].length > 1 : [...(e as string)].length === 1))) } })])),
    });
  tarballs = {
    google: vendor('google', ''),
    twitter: vendor('twitter', '1F1E9-1F1EA'),
    cldr: cldr('cldr-full', 'annotations', false),
    cldrDerived: cldr('cldr-derived', 'annotationsDerived', true),
  };
});

describe('emoji test bed builder', () => {
  it('writes the same bytes twice', { skip: tarOk ? false : 'tar not available' }, () => {
    const a = path.join(tmp, 'out-a');
    const b = path.join(tmp, 'out-b');
    buildEmoji({ tarballs, out: a, langs: ['en', 'de'] });
    buildEmoji({ tarballs, out: b, langs: ['en', 'de'] });
    const fa = files(a);
    assert.deepEqual([...fa.keys()], [...files(b).keys()]);
    for (const [name, bytes] of files(b)) assert.ok(bytes.equals(fa.get(name)!), name);
    assert.ok(fa.size > 5);
    assert.equal(fa.get('LICENSE-unicode.txt')!.toString(), 'UNICODE LICENSE V3\n');
    assert.match(fa.get('NOTICE.md')!.toString(), /Twemoji graphics, Copyright Twitter, Inc\. and other contributors/);
  });

  it("keeps only each vendor's own images, at the size asked", { skip: tarOk ? false : 'tar not available' }, () => {
    const out = path.join(tmp, 'out-c');
    const m = buildEmoji({ tarballs, out, langs: ['en', 'de'], size: 16 });
    const noto = readKarpathy(path.join(out, 'noto.json'));
    const tw = readKarpathy(path.join(out, 'twemoji.json'));
    assert.equal(noto.images.length, 6);
    assert.deepEqual(tw.images.map((i) => i.id).includes('1f1e9-1f1ea.png'), false);
    assert.equal(m.counts['twemoji']!['notOwnImage'], 1);
    const png = decodePng(readFileSync(path.join(out, 'noto', '1f600.png')), '1f600.png');
    assert.deepEqual([png.width, png.height], [16, 16]);
    // Captions: the name first, then the keywords (not repeating the name), per language.
    assert.deepEqual(noto.captions.filter((c) => c.image === 0).map((c) => `${c.lang}:${c.text}`), ['en:grinning face', 'en:face | grin', 'de:grinsendes Gesicht', 'de:Gesicht']);
    assert.deepEqual(noto.captions.filter((c) => c.image === 1).map((c) => `${c.lang}:${c.text}`), ['en:technologist', 'en:coder', 'de:Technologe']);
    // Sentence ids are shared by the style files.
    const byText = new Map(noto.captions.map((c) => [`${noto.images[c.image]!.id}|${c.text}|${c.lang}`, c.id]));
    for (const c of tw.captions) assert.equal(byText.get(`${tw.images[c.image]!.id}|${c.text}|${c.lang}`), c.id);
  });

  it('puts variants of one emoji and both styles in one split', { skip: tarOk ? false : 'tar not available' }, () => {
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const out = path.join(tmp, `out-seed-${seed}`);
      buildEmoji({ tarballs, out, langs: ['en'], seed });
      const split = new Map<string, string>();
      for (const style of ['noto', 'twemoji']) {
        const doc = JSON.parse(readFileSync(path.join(out, `${style}.json`), 'utf8')) as { images: { unified: string; split: string; group: string }[] };
        for (const img of doc.images) {
          const key = groupKey(img.unified);
          assert.equal(split.get(key) ?? img.split, img.split, `${style} ${img.unified} (seed ${seed})`);
          split.set(key, img.split);
        }
      }
      assert.equal(new Set(['1F9D1-200D-1F4BB', '1F468-200D-1F4BB', '1F469-200D-1F4BB'].map((u) => split.get(groupKey(u)))).size, 1);
    }
  });
});

describe('emoji group keys', () => {
  it('joins genders, hair and skin tones of one emoji, not different emoji', () => {
    assert.equal(groupKey('1F469-1F3FD-200D-1F4BB'), groupKey('1F9D1-200D-1F4BB'));
    assert.equal(groupKey('1F468-200D-1F9B0'), groupKey('1F9D1'));
    assert.equal(groupKey('1F3C3-200D-2642-FE0F'), '1F3C3');
    assert.equal(groupKey('2640-FE0F'), '2640'); // the female sign on its own stays itself
    assert.equal(groupKey('1F9B0'), '1F9B0');
    assert.notEqual(groupKey('1F1E9-1F1EA'), groupKey('1F1EB-1F1F7'));
  });
});
