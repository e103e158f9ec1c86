/**
 * Caption-set readers on small fixtures: Karpathy (any number of captions per image, per-sentence
 * `lang`, splits), COCO captions, XTD10 and Crossmodal-3600, each refusal pinned with its file and
 * line or field path (duplicated sentid, missing image file, broken JSON line, misaligned captions).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { languageViews, readCaptions, readCoco, readCrossmodal3600, readKarpathy, readXtd10 } from '../src/data/image-text/index.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'xmr-captions-'));
const write = (name: string, text: string): string => {
  const file = path.join(tmp, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};

const sentences = (first: number, n: number, lang?: string): object[] =>
  Array.from({ length: n }, (_, i) => ({ raw: `caption ${first + i}`, sentid: first + i, tokens: [], ...(lang ? { lang } : {}) }));
const karpathy = {
  dataset: 'coco',
  images: [
    { filepath: 'val2014', filename: 'a.jpg', imgid: 0, split: 'test', sentences: [...sentences(0, 6), ...sentences(6, 2, 'de')] },
    { filepath: 'val2014', filename: 'b.jpg', imgid: 1, split: 'test', sentences: sentences(8, 4) },
    { filepath: 'train2014', filename: 'c.jpg', imgid: 2, split: 'train', sentences: sentences(12, 5) },
  ],
};

describe('Karpathy JSON', () => {
  it('keeps every caption (6 and 4 per image), the split asked and each sentence language', () => {
    const file = write('karpathy.json', JSON.stringify(karpathy));
    const set = readKarpathy(file, { splits: ['test'] });
    assert.deepEqual(set.images, [
      { id: 'a.jpg', file: 'val2014/a.jpg', split: 'test' },
      { id: 'b.jpg', file: 'val2014/b.jpg', split: 'test' },
    ]);
    assert.equal(set.captions.length, 12);
    assert.deepEqual(set.captions[6], { id: '6', image: 0, text: 'caption 6', lang: 'de' });
    assert.deepEqual(set.captions.filter((c) => c.lang === 'en').map((c) => c.image), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const [en, de] = languageViews(set);
    assert.deepEqual([en!.lang, en!.images, en!.captions.length], ['en', [0, 1], 10]);
    assert.deepEqual([de!.lang, de!.images, [...de!.textImage]], ['de', [0], [0, 0]]);
    assert.equal(readKarpathy(file).images.length, 3);
  });

  it('refuses a duplicated sentid at its JSON path', () => {
    const doc = structuredClone(karpathy);
    (doc.images[1]!.sentences[2] as { sentid: number }).sentid = 3;
    const file = write('dup.json', JSON.stringify(doc));
    assert.throws(() => readKarpathy(file), { name: 'XmrError', message: `${file}: images[1].sentences[2].sentid repeats sentid 3 of images[0].sentences[3]` });
  });

  it('refuses a missing image file when an image root is given', () => {
    const root = path.join(tmp, 'coco-images');
    write('coco-images/val2014/a.jpg', 'x');
    const file = write('karpathy2.json', JSON.stringify(karpathy));
    assert.throws(() => readKarpathy(file, { splits: ['test'], imageRoot: root }), {
      name: 'XmrError',
      message: `${file}: images[1]: image file ${path.join(root, 'val2014/b.jpg')} does not exist`,
    });
  });

  it('refuses broken JSON at its line, and a missing field at its path', () => {
    const file = write('broken.json', '{"images": [\n  {"filename": "a.jpg",\n   "sentences": [}\n]}');
    assert.throws(() => readKarpathy(file), (e: Error & { line?: number }) => e.name === 'XmrError' && e.line === 3 && e.message.startsWith(`${file}:3: invalid JSON at column 18: `));
    const noRaw = write('noraw.json', JSON.stringify({ images: [{ filename: 'a.jpg', sentences: [{ sentid: 1 }] }] }));
    assert.throws(() => readKarpathy(noRaw), { message: `${noRaw}: images[0].sentences[0].raw must be a string, got undefined` });
  });
});

describe('COCO captions JSON', () => {
  it('keeps every annotation and drops images without one', async () => {
    const file = write('captions_val2014.json', JSON.stringify({
      images: [{ id: 7, file_name: 'x.jpg' }, { id: 8, file_name: 'y.jpg' }, { id: 9, file_name: 'z.jpg' }],
      annotations: [{ image_id: 9, id: 1, caption: 'z one' }, { image_id: 7, id: 2, caption: 'x one' }, { image_id: 9, id: 3, caption: 'z two' }],
    }));
    const set = readCoco(file);
    assert.deepEqual(set.images.map((i) => i.id), ['x.jpg', 'z.jpg']);
    assert.deepEqual(set.captions.map((c) => [c.id, c.image, c.text, c.lang]), [['1', 1, 'z one', 'en'], ['2', 0, 'x one', 'en'], ['3', 1, 'z two', 'en']]);
    assert.deepEqual(await readCaptions(file), set); // detected as COCO
    const bad = write('bad-coco.json', JSON.stringify({ images: [{ id: 7, file_name: 'x.jpg' }], annotations: [{ image_id: 6, caption: 'a' }] }));
    assert.throws(() => readCoco(bad), { message: `${bad}: annotations[0].image_id names image 6, which is not in images` });
  });

  it('reads annotations that come before the images (streamed: checked once the images are known)', async () => {
    const file = write('annotations-first.json', '{"annotations": [{"image_id": 8, "id": 1, "caption": "y one"}],\n "images": [{"id": 8, "file_name": "y.jpg"}]}');
    assert.deepEqual(readCoco(file), { images: [{ id: 'y.jpg', file: 'y.jpg' }], captions: [{ id: '1', image: 0, text: 'y one', lang: 'en' }] });
    assert.deepEqual(await readCaptions(file), readCoco(file)); // detected as COCO by its first key
    const bad = write('annotations-first-bad.json', '{"annotations": [{"image_id": 8, "caption": "a"}, {"image_id": 6, "caption": "b"}], "images": [{"id": 8, "file_name": "y.jpg"}]}');
    assert.throws(() => readCoco(bad), { message: `${bad}: annotations[1].image_id names image 6, which is not in images` });
  });
});

describe('XTD10 layout', () => {
  it('reads one caption per image per language, line-aligned', async () => {
    const dir = path.join(tmp, 'xtd10');
    write('xtd10/test_image_names.txt', 'p.jpg\nq.jpg\n');
    write('xtd10/test_1kcaptions_en.txt', 'a dog\na cat\n');
    write('xtd10/test_1kcaptions_de.txt', 'ein Hund\r\neine Katze\r\n');
    const set = await readXtd10(dir);
    assert.deepEqual(set.captions.map((c) => `${c.id}=${c.text}`), ['p.jpg#de=ein Hund', 'q.jpg#de=eine Katze', 'p.jpg#en=a dog', 'q.jpg#en=a cat']);
    assert.deepEqual(await readCaptions(dir, { langs: ['en'] }), { images: set.images, captions: set.captions.slice(2) });
  });
  it('refuses a caption file that does not line up', async () => {
    write('xtd10b/test_image_names.txt', 'p.jpg\nq.jpg\n');
    const fr = write('xtd10b/test_1kcaptions_fr.txt', 'un chien\n');
    await assert.rejects(readXtd10(path.join(tmp, 'xtd10b')), { name: 'XmrError', message: `${fr}:2: 1 captions for the 2 images of ${path.join(tmp, 'xtd10b', 'test_image_names.txt')} (one per line, in the same order)` });
  });
});

describe('Crossmodal-3600 captions.jsonl', () => {
  it('keeps caption[0] per image per locale, as CLIP_benchmark', async () => {
    const file = write('xm/captions.jsonl', [
      JSON.stringify({ 'image/key': 'k1', en: { caption: ['one', 'uno'] }, ja: { caption: ['一'] } }),
      JSON.stringify({ 'image/key': 'k2', en: { caption: ['two'] }, ja: { caption: ['二', '弐'] } }),
    ].join('\n') + '\n');
    const set = await readCrossmodal3600(file);
    assert.deepEqual(set.images.map((i) => i.file), ['k1.jpg', 'k2.jpg']);
    assert.deepEqual(set.captions.map((c) => `${c.id}=${c.text}`), ['k1#en=one', 'k1#ja=一', 'k2#en=two', 'k2#ja=二']);
    assert.equal((await readCrossmodal3600(file, { allCaptions: true })).captions.length, 6);
  });
  it('refuses a broken JSON line at its line', async () => {
    const file = write('xm/broken.jsonl', `${JSON.stringify({ 'image/key': 'k1', en: { caption: ['one'] } })}\n{"image/key": "k2", "en": {"caption": ["two"]}\n`);
    await assert.rejects(readCrossmodal3600(file), (e: Error & { line?: number }) => e.name === 'XmrError' && e.line === 2 && e.message.startsWith(`${file}:2: invalid JSON at column 47: `));
    const noLocale = write('xm/nolocale.jsonl', `${JSON.stringify({ 'image/key': 'k1', en: { caption: ['one'] } })}\n${JSON.stringify({ 'image/key': 'k2', de: { caption: ['zwei'] } })}\n`);
    await assert.rejects(readCrossmodal3600(noLocale), { message: `${noLocale}:2: "en".caption must be a non-empty array of strings` });
  });
});
