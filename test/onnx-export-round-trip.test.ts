// exportOnnx writes a model folder that the ONNX text encoder reads back to the native encoder's
// embeddings (max abs difference ≤ 1e-5) and rankings (identical except within exact ties), on the
// committed ddtp-mini English queries and corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBeirCorpus, readBeirQueries } from '../src/data/beir.js';
import { DualEncoder } from '../src/encoders/dual-encoder-model.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { tokenizeTexts } from '../src/encoders/native-text-encoder.js';
import { topK } from '../src/search/topk.js';
import { exportOnnx } from '../src/export/onnx-dual-encoder.js';
import { OnnxTextEncoder } from '../src/encoders/onnx-text.js';

const DATA = path.join(import.meta.dirname, '..', '..', 'datasets', 'ddtp-mini', 'en');

for (const outDim of [0, 24]) {
  test(`round trip ${outDim ? 'with' : 'without'} a projection: embeddings within 1e-5, same rankings except exact ties`, async () => {
    const corpus = await readBeirCorpus(path.join(DATA, 'corpus.jsonl'));
    const queries = await readBeirQueries(path.join(DATA, 'queries.jsonl'));
    const docs = corpus.ids.map((_, i) => (corpus.titles[i] ? `${corpus.titles[i]} ${corpus.texts[i]}` : corpus.texts[i]!));
    const dir = mkdtempSync(path.join(tmpdir(), 'xmr-onnx-rt-'));
    const vocabFile = path.join(dir, 'vocab.txt');
    writeVocab(vocabFile, buildWordVocab([...docs, ...queries.texts]));
    const tokenizer = Tokenizer.fromVocabFile(vocabFile);
    const model = DualEncoder.create({ vocabSize: tokenizer.vocabSize, dim: 32, outDim, seed: 11, initStd: 0.3 });
    const out = path.join(dir, 'export');
    const { files } = exportOnnx(model, out, { tokenizerFile: vocabFile, maxLength: 64 });
    assert.deepEqual(files.sort(), ['config.json', 'model.onnx', 'tokenizer.json']);
    assert.deepEqual(readdirSync(out).sort(), ['config.json', 'model.onnx', 'tokenizer.json']);

    const native = async (texts: string[]) => model.encode(await tokenizeTexts(tokenizer, texts, { maxLength: 64, threads: 2 }), { threads: 2 });
    const enc = await OnnxTextEncoder.load(out, { batchSize: 64 });
    try {
      assert.equal(enc.outputName, 'sentence_embedding');
      assert.equal(enc.maxLength, 64);
      const [nd, nq, od, oq] = [await native(docs), await native(queries.texts), await enc.encode(docs, { role: 'document' }), await enc.encode(queries.texts, { role: 'query' })];
      assert.equal(enc.dim, model.outDim);
      assert.equal(od.length, nd.length);
      let worst = 0;
      for (const [a, b] of [[nd, od], [nq, oq]] as const) for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      assert.ok(worst <= 1e-5, `max abs difference ${worst}`);
      // Rankings of the whole corpus for every query: equal except where native scores tie exactly.
      const k = 20;
      const rn = await topK(nq, nd, { dim: model.outDim, k, threads: 2 });
      const ro = await topK(oq, od, { dim: model.outDim, k, threads: 2 });
      let compared = 0;
      for (let q = 0; q < queries.ids.length; q++) {
        for (let j = 0; j < k; j++) {
          const x = q * k + j;
          const s = rn.scores[x]!;
          const tied = (j > 0 && rn.scores[x - 1] === s) || (j + 1 < k && rn.scores[x + 1] === s);
          // The last rank is skipped too: a tie with the (k+1)-th document is invisible here.
          if (tied || j === k - 1) continue;
          assert.equal(ro.ids[x], rn.ids[x], `query ${queries.ids[q]} rank ${j + 1}`);
          compared++;
        }
      }
      // DDTP repeats some descriptions word for word (exact ties); most ranks are still compared.
      assert.ok(compared > 0.9 * queries.ids.length * (k - 1), `compared only ${compared} ranks`);
    } finally {
      await enc.close();
    }
  });
}
