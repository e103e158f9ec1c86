/**
 * `xmrbench eval-images --image-encoder --text-encoder` on the committed emoji test bed (its test
 * split, English and German): a native image tower (.xit) and an ONNX image graph written here,
 * with a native text checkpoint. The images are read beside the captions file (noto/<file>.png as
 * filepath/filename say); the results equal those of the same encoders' embeddings written to .npy
 * with their ids and given as --images/--texts, so the command encodes the right files and
 * captions in the right rows. A missing image file and a file that is not an image are refused
 * naming the file; --images with --image-encoder is a usage error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/native.js';
import { writeNpy } from '../src/data/npy.js';
import { DualEncoder, saveDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { ImageTower, saveImageTower } from '../src/encoders/image-tower-model.js';
import { openImageEncoder } from '../src/encoders/open-image-encoder.js';
import { openTextEncoder } from '../src/encoders/open-text-encoder.js';
import { toyImageGraph } from '../src/export/toy-image-graph.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';
import { cli as xmrbench } from './helpers/cli.js';

const cli = (args: string[]) => xmrbench(['eval-images', ...args]);

const emoji = path.join(packageRoot, 'datasets', 'emoji');
const captions = path.join(emoji, 'noto.json');
interface KarpathyImage { filepath: string; filename: string; split: string; sentences: { sentid: number; raw: string; lang: string }[] }
const doc = JSON.parse(readFileSync(captions, 'utf8')) as { images: KarpathyImage[] };
const testImages = doc.images.filter((i) => i.split === 'test');
const langs = ['en', 'de'];
const testCaptions = testImages.flatMap((i) => i.sentences.filter((s) => langs.includes(s.lang)));

describe('xmrbench eval-images with encoders', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-eval-images-enc-'));
  const vocab = path.join(dir, 'vocab.txt');
  writeVocab(vocab, buildWordVocab(testCaptions.map((s) => s.raw), { minCount: 1 }));
  const text = path.join(dir, 'text.xde');
  saveDualEncoder(DualEncoder.create({ vocabSize: readFileSync(vocab, 'utf8').trim().split('\n').length, dim: 16, outDim: 8, seed: 1, initStd: 0.5 }), text, { tau: 0.05, config: { tokenizer: { file: vocab, maxLength: 32 } } });
  const tower = path.join(dir, 'tower.xit');
  saveImageTower(ImageTower.create({ height: 32, width: 32, patch: 8, hidden: 16, outDim: 8, seed: 3 }), tower);
  const onnx = path.join(dir, 'onnx-image');
  mkdirSync(onnx);
  toyImageGraph({ size: 32, patch: 8, dim: 8, seed: 5 }).write(path.join(onnx, 'model.onnx'));
  const common = ['--captions', captions, '--split', 'test', '--langs', ...langs, '--format', 'json', '--per-query'];

  for (const [name, model] of [['a native tower (.xit)', tower], ['an ONNX image graph', onnx]] as const) {
    it(`encodes the images beside the captions file with ${name}, as its .npy embeddings score`, async () => {
      const { stdout, stderr } = await cli([...common, '--image-encoder', model, '--text-encoder', text]);
      assert.match(stderr, new RegExp(`^encoding ${testImages.length} images: ${testImages.length}/${testImages.length} in \\d+\\.\\d s\\nencoding ${testCaptions.length.toLocaleString('en')} captions: `));
      const encoded = JSON.parse(stdout);
      assert.deepEqual(encoded.results.map((r: { lang: string; images: number }) => [r.lang, r.images]), [['en', testImages.length], ['de', testImages.length]]);

      // The same encoders in this process, over the files and captions listed here, as .npy with ids.
      const images = await openImageEncoder(model);
      const texts = await openTextEncoder(text);
      try {
        const imageNpy = path.join(dir, `${path.basename(model)}.images.npy`);
        writeNpy(imageNpy, await images.encode(testImages.map((i) => path.join(emoji, i.filepath, i.filename))), testImages.length, images.dim);
        writeFileSync(imageNpy.replace(/\.npy$/, '.ids.json'), JSON.stringify(testImages.map((i) => i.filename)));
        const textNpy = path.join(dir, `${path.basename(model)}.texts.npy`);
        writeNpy(textNpy, await texts.encode(testCaptions.map((s) => s.raw)), testCaptions.length, texts.dim);
        writeFileSync(textNpy.replace(/\.npy$/, '.ids.json'), JSON.stringify(testCaptions.map((s) => String(s.sentid))));
        const { stdout: fromNpy } = await cli([...common, '--images', imageNpy, '--texts', textNpy]);
        assert.deepEqual(encoded, JSON.parse(fromNpy));
      } finally {
        await images.close();
        await texts.close();
      }
    });
  }

  it('refuses a missing image file and a file that is not an image, naming the file', async () => {
    const root = path.join(dir, 'images');
    mkdirSync(path.join(root, 'pics'), { recursive: true });
    writeFileSync(path.join(root, 'pics', 'text.png'), 'this is not a PNG\n');
    const file = path.join(dir, 'captions.json');
    const image = (filename: string) => ({ filepath: 'pics', filename, split: 'test', sentences: [{ sentid: filename, raw: 'a face' }] });
    writeFileSync(file, JSON.stringify({ images: [image('text.png'), image('gone.png')] }));
    await assert.rejects(cli(['--captions', file, '--image-encoder', tower, '--text-encoder', text, '--image-root', root]), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.equal(e.stderr, `xmrbench: ${file}: images[1]: image file ${path.join(root, 'pics', 'gone.png')} does not exist\n`);
      return true;
    });
    writeFileSync(file, JSON.stringify({ images: [image('text.png')] }));
    for (const model of [tower, onnx]) {
      await assert.rejects(cli(['--captions', file, '--image-encoder', model, '--text-encoder', text, '--image-root', root]), (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.ok(e.stderr.startsWith(`xmrbench: ${path.join(root, 'pics', 'text.png')}: not an image (expected a JPEG, PNG, WebP, GIF, TIFF or AVIF file): `), e.stderr);
        return true;
      });
    }
  });

  it('takes exactly one of --images and --image-encoder', async () => {
    await assert.rejects(cli(['--captions', captions, '--images', 'x.npy', '--image-encoder', tower, '--text-encoder', text]), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /xmrbench: give exactly one of --images and --image-encoder\n/);
      return true;
    });
    await assert.rejects(cli(['--captions', captions, '--image-encoder', tower]), (e: { code: number; stderr: string }) => e.code === 2 && /give exactly one of --texts and --text-encoder/.test(e.stderr));
  });
});
