// `xmrbench index build --model` and `index search --model` (issue 18): a store built from a BEIR
// corpus by a native checkpoint or its ONNX export, searched with the same model over the split's
// queries, writes the very run `search --ranker dense` writes (ties and all) and prints the same
// measures; a store of an image–text set's images (a native tower), searched by captions (a native
// text checkpoint), ranks as eval-images does.
// A store made over several shards exercises the exact merge. Missing or doubled sources are refused.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/native.js';
import { printfFixed } from '../src/eval/printf.js';
import { tinyBeir } from './helpers/tiny-beir.js';
import { tinyCheckpoint } from './helpers/tiny-checkpoint.js';
import { assertSameRanking, runArrays } from './helpers/same-ranking.js';
import { DualEncoder, saveDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { ImageTower, saveImageTower } from '../src/encoders/image-tower-model.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';
import { cli } from './helpers/cli.js';


test('a store built and searched with a checkpoint or its ONNX export gives search --ranker dense\'s run and measures', async () => {
  const { root, dataset } = tinyBeir();
  after(() => rmSync(root, { recursive: true, force: true }));
  const en = path.join(dataset, 'en');
  const ckpt = await tinyCheckpoint(root, dataset);
  await cli(['export', '--onnx', '--model', ckpt, '--out', path.join(root, 'onnx')]);
  const docs = readFileSync(path.join(en, 'corpus.jsonl'), 'utf8').trim().split('\n').length;
  for (const m of [ckpt, path.join(root, 'onnx')]) {
    const name = path.basename(m);
    const memory = path.join(root, `${name}.memory.trec`);
    const mem = JSON.parse((await cli(['search', '--ranker', 'dense', '--model', m, '--dataset', en, '--k', '7', '--json', '--tag', 'dense', '--out', memory])).stdout) as { mean: Record<string, number> };
    const store = path.join(root, `${name}.store`);
    const b = await cli(['index', 'build', '--model', m, '--dataset', en, '--out', store, '--shard-rows', '10', '--no-progress']);
    assert.equal(b.stdout, `${store}: ${docs} rows of 6 f32 in ${Math.ceil(docs / 10)} shards\n`);
    const out = path.join(root, `${name}.store.trec`);
    const s = await cli(['index', 'search', '--store', store, '--model', m, '--dataset', en, '--k', '7', '--tag', 'dense', '--out', out, '--no-progress']);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(memory, 'utf8'), name);
    const printed = Object.fromEntries([...s.stdout.matchAll(/^ {2}(\S+)\s+([-\d.]+)$/gm)].map((x) => [x[1], x[2]]));
    assert.deepEqual(printed, Object.fromEntries(Object.entries(mem.mean).map(([k, v]) => [k, printfFixed(v)])), name);
  }
  // Sources: none, or two at once, are usage errors.
  const store = path.join(root, 'm.xde.store');
  await assert.rejects(cli(['index', 'search', '--store', store, '--out', path.join(root, 'x.trec')]), (e: { stderr: string }) =>
    e.stderr === 'xmrbench: give --queries, or an encoder (--model or --image-encoder) with --dataset or --captions\n');
  await assert.rejects(cli(['index', 'build', '--npy', path.join(root, 'x.npy'), '--model', ckpt, '--dataset', en, '--out', path.join(root, 'y.store')]), (e: { stderr: string }) =>
    e.stderr === 'xmrbench: give --npy or an encoder, not both\n');
  await assert.rejects(cli(['index', 'build', '--model', ckpt, '--out', path.join(root, 'y.store')]), (e: { stderr: string }) =>
    e.stderr === 'xmrbench: --model needs one of --dataset (a BEIR folder) and --captions (an image–text set)\n');
  await assert.rejects(cli(['index', 'build', '--image-encoder', ckpt, '--dataset', en, '--out', path.join(root, 'y.store')]), (e: { stderr: string }) =>
    e.stderr === 'xmrbench: --image-encoder encodes the images of --captions; --dataset is a text corpus (use --model)\n');
});

test("a store of an image–text set's images, searched with its captions, ranks as eval-images does", async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-index-images-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const captions = path.join(packageRoot, 'datasets', 'emoji', 'noto.json');
  const doc = JSON.parse(readFileSync(captions, 'utf8')) as { images: { split: string; sentences: { raw: string; lang: string }[] }[] };
  const vocab = path.join(root, 'vocab.txt');
  writeVocab(vocab, buildWordVocab(doc.images.filter((i) => i.split === 'test').flatMap((i) => i.sentences.filter((s) => s.lang === 'en').map((s) => s.raw)), { minCount: 1 }));
  const text = path.join(root, 'text.xde');
  saveDualEncoder(DualEncoder.create({ vocabSize: readFileSync(vocab, 'utf8').trim().split('\n').length, dim: 16, outDim: 8, seed: 1, initStd: 0.5 }), text, { tau: 0.05, config: { tokenizer: { file: vocab, maxLength: 32 } } });
  const tower = path.join(root, 'tower.xit');
  saveImageTower(ImageTower.create({ height: 32, width: 32, patch: 8, hidden: 16, outDim: 8, seed: 3 }), tower);
  const set = ['--captions', captions, '--split', 'test'];
  const k = 10;
  await cli(['eval-images', ...set, '--langs', 'en', '--image-encoder', tower, '--text-encoder', text, '--depth', String(k), '--runs', path.join(root, 'runs'), '--no-progress']);
  const store = path.join(root, 'images.store');
  await cli(['index', 'build', '--image-encoder', tower, ...set, '--out', store, '--no-progress']);
  const out = path.join(root, 't2i.trec');
  await cli(['index', 'search', '--store', store, '--model', text, ...set, '--langs', 'en', '--metric', 'cosine', '--k', String(k + 1), '--out', out, '--no-progress']);
  const imageIds = readFileSync(path.join(store, 'ids.txt'), 'utf8').trim().split('\n');
  const qids = [...new Set(readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]!))];
  assert.equal(qids.length, doc.images.filter((i) => i.split === 'test').reduce((n, i) => n + i.sentences.filter((s) => s.lang === 'en').length, 0));
  const got = runArrays(path.join(root, 'runs', 'en.t2i.run'), qids, imageIds, k);
  // eval-images normalises the rows and takes inner products; the store's cosine divides by the norms.
  assertSameRanking(runArrays(out, qids, imageIds, k), { ids: got.ids, scores: Float32Array.from(got.scores) }, k, 1e-5, 'store vs eval-images, text→image');
});
