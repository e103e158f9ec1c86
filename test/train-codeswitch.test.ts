// Code-switching on the fly reaches the model: trained zero-shot on English pairs, the rows of the
// German words never move (lazy Adam touches only rows seen in a batch), while BL-CS (de) trains them;
// and the BL-CS model retrieves German queries against German documents better than chance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DualEncoder, evaluateLanguagePairs, loadTokenizer, NativeTextEncoder, trainDualEncoder } from '../src/index.js';
import { tinyBeir } from './helpers/tiny-beir.js';

test('BL-CS trains the target-language rows that zero-shot leaves untouched', async () => {
  const { root, dataset } = tinyBeir(96);
  const common = { dataset, epochs: 6, batch: 16, dim: 16, lr: 0.02, tau: 0.1, threads: 2, seed: 2 };
  const zs = await trainDualEncoder({ ...common, out: path.join(root, 'zs.xde'), cs: { mode: 'bl', langs: ['de'], rate: 0 } });
  const cs = await trainDualEncoder({ ...common, out: path.join(root, 'cs.xde'), tokenizer: zs.tokenizerFile, cs: { mode: 'bl', langs: ['de'], rate: 0.5 } });
  const tokenizer = loadTokenizer(zs.tokenizerFile);
  const init = DualEncoder.create({ vocabSize: tokenizer.vocabSize, dim: 16, seed: 2, initStd: 0.1 }).embeddings();
  const row = (E: Float32Array, word: string) => {
    const { ids } = tokenizer.encode(word, { addSpecialTokens: false });
    assert.equal(ids.length, 1, `${word} is one token`);
    return Array.from(E.subarray(ids[0]! * 16, ids[0]! * 16 + 16));
  };
  for (const w of ['netzwerk', 'bibliothek', 'werkzeug']) {
    assert.deepEqual(row(zs.model.embeddings(), w), row(init, w), `zero-shot moved ${w}`);
    assert.notDeepEqual(row(cs.model.embeddings(), w), row(init, w), `BL-CS did not train ${w}`);
  }
  const [deDe] = await evaluateLanguagePairs(new NativeTextEncoder(cs.model, cs.tokenizer), dataset, ['de-de']);
  assert.ok(deDe!.value > 0.3, `BL-CS de→de MRR@10 ${deDe!.value}`);
});
