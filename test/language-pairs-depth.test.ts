// evaluateLanguagePairs searches as deep as its measure needs: R@100 is computed on 100 documents
// (it once searched 10 deep whatever the measure), and a measure without cutoff (RR) on the whole
// corpus — checked against a ranking of the same encoder scored directly by src/eval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DenseRanker, DualEncoder, evaluate, evaluateLanguagePairs, loadBeir, loadTokenizer, NativeTextEncoder, searchDepth } from '../src/index.js';
import { buildWordVocab, writeVocab } from '../src/train/vocab.js';

const DATASET = fileURLToPath(new URL('../../datasets/ddtp-mini', import.meta.url));

test('searchDepth: the cutoff, capped by the corpus; the whole corpus without a cutoff', () => {
  assert.equal(searchDepth('R@100', 1422), 100);
  assert.equal(searchDepth('RR@10', 1422), 10);
  assert.equal(searchDepth('P@5', 3), 3);
  assert.equal(searchDepth('RR', 1422), 1422);
  assert.equal(searchDepth('nDCG', 7), 7);
  assert.throws(() => searchDepth('R', 10), { name: 'RangeError', message: 'measure "R": R needs a cutoff, e.g. R@10' });
});

test('R@100 and RR of an untrained encoder en→de equal a direct ranking scored by src/eval', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-depth-'));
  try {
    const en = await loadBeir(path.join(DATASET, 'en'), { split: 'test' });
    const de = await loadBeir(path.join(DATASET, 'de'), { split: 'test' });
    const vocab = path.join(root, 'vocab.txt');
    writeVocab(vocab, buildWordVocab([...en.queries.texts, ...de.corpus.texts]));
    const tokenizer = loadTokenizer(vocab);
    // Untrained, so en queries rank de documents nearly at random: relevant documents land deep.
    const encoder = new NativeTextEncoder(DualEncoder.create({ vocabSize: tokenizer.vocabSize, dim: 16, seed: 3 }), tokenizer);
    const ranker = new DenseRanker(encoder);
    await ranker.index(de.corpus);
    const direct = async (measure: string, k: number) => evaluate(en.qrels, (await ranker.search(en.queries, k)).toRun(), measure).mean.get(measure)!;
    const [r100] = await evaluateLanguagePairs(encoder, DATASET, ['en-de'], { measure: 'R@100' });
    const [r10] = await evaluateLanguagePairs(encoder, DATASET, ['en-de'], { measure: 'R@10' });
    const [rr] = await evaluateLanguagePairs(encoder, DATASET, ['en-de'], { measure: 'RR' });
    assert.equal(r100!.value, await direct('R@100', 100));
    assert.ok(r100!.value > r10!.value, `R@100 ${r100!.value} must exceed R@10 ${r10!.value} here`);
    assert.equal(rr!.value, await direct('RR', de.corpus.ids.length));
    assert.ok(rr!.value > (await direct('RR', 10)), 'relevant documents below rank 10 count towards RR');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
