// `xmrbench search --ranker dense --model PATH` takes a checkpoint, its native export folder and
// its ONNX export (`xmrbench export --onnx`) alike, with the same evaluation; bad --model values
// are errors naming the path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DualEncoder, exportDualEncoder, saveDualEncoder } from '../src/encoders/dual-encoder-model.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';
import { readBeirCorpus } from '../src/data/beir.js';
import { tinyBeir } from './helpers/tiny-beir.js';
import { cli } from './helpers/cli.js';


test('a checkpoint, its export folder and its ONNX export give the same search results', async () => {
  const { root, dataset } = tinyBeir();
  const en = path.join(dataset, 'en');
  const vocab = path.join(root, 'vocab.txt');
  writeVocab(vocab, buildWordVocab((await readBeirCorpus(path.join(dataset, 'train', 'corpus.jsonl'))).texts, { minCount: 1 }));
  const model = DualEncoder.create({ vocabSize: readFileSync(vocab, 'utf8').trim().split('\n').length, dim: 8, outDim: 6, seed: 2, initStd: 0.5 });
  const ckpt = path.join(root, 'm.xde');
  saveDualEncoder(model, ckpt, { tau: 0.05, config: { tokenizer: { file: vocab, maxLength: 32 } } });
  exportDualEncoder(model, path.join(root, 'native-export'), { tokenizerFile: vocab, config: { tokenizer: { maxLength: 32 } } });
  const exported = await cli(['export', '--onnx', '--model', ckpt, '--out', path.join(root, 'onnx')]);
  assert.match(exported.stdout, /^exported .*m\.xde \(vocabulary \d+, 6 dimensions, max length 32\) to .*onnx: tokenizer\.json, model\.onnx, config\.json\n$/);
  const summaries = [];
  for (const m of [ckpt, path.join(root, 'native-export'), path.join(root, 'onnx')]) {
    const out = path.join(root, `${path.basename(m)}.trec`);
    const r = await cli(['search', '--ranker', 'dense', '--model', m, '--dataset', en, '--k', '5', '--json', '--out', out]);
    const s = JSON.parse(r.stdout) as { encoder: string; dim: number; mean: Record<string, number>; documents: number };
    summaries.push({ encoder: s.encoder, dim: s.dim, documents: s.documents, mean: s.mean, run: readFileSync(out, 'utf8').split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')) });
  }
  assert.deepEqual(summaries.map((s) => s.encoder), ['native', 'native', 'onnx']);
  for (const s of summaries) assert.equal(s.dim, 6);
  assert.deepEqual(summaries[1]!.mean, summaries[0]!.mean);
  for (const [k, v] of Object.entries(summaries[0]!.mean)) assert.ok(Math.abs(summaries[2]!.mean[k]! - v) < 1e-9, k);
  // The same documents in the same order (query, rank, document); ONNX scores differ from the
  // native ones in the last bits only, which reorders nothing on this data.
  assert.deepEqual(summaries[1]!.run, summaries[0]!.run);
  assert.deepEqual(summaries[2]!.run, summaries[0]!.run);
});

test('bad --model values name the path', async () => {
  const { root, dataset } = tinyBeir(8);
  const en = path.join(dataset, 'en');
  await assert.rejects(cli(['search', '--ranker', 'dense', '--dataset', en]), (e: { stderr: string }) => e.stderr.includes('xmrbench: --ranker dense needs --model PATH'));
  const missing = path.join(root, 'nope');
  await assert.rejects(cli(['search', '--ranker', 'dense', '--model', missing, '--dataset', en]), (e: { stderr: string }) =>
    e.stderr.includes(`xmrbench: ${missing}: no such model: expected a checkpoint (.xde), a native export folder or an ONNX model folder`),
  );
  const notCkpt = path.join(root, 'x.xde');
  writeFileSync(notCkpt, 'nothing');
  await assert.rejects(cli(['search', '--ranker', 'dense', '--model', notCkpt, '--dataset', en]), (e: { stderr: string }) => e.stderr.startsWith(`xmrbench: ${notCkpt}: `));
});
