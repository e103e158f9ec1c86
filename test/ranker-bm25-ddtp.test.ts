// BM25 on the committed ddtp-mini dataset through the CLI's path (BEIR loader → Bm25Ranker →
// TREC run → src/eval): a sanity band for MRR@10, English queries and German queries against the
// English corpus (English analysis of both, as a monolingual lexical baseline would do).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Bm25Ranker } from '../src/index.js';
import { loadBeir } from '../src/data/beir.js';
import { evaluate } from '../src/eval/evaluate.js';
import { packageRoot } from '../src/native.js';

const root = path.join(packageRoot, 'datasets', 'ddtp-mini');
const skip = existsSync(path.join(root, 'en', 'corpus.jsonl')) ? false : 'datasets/ddtp-mini is not there';

test('BM25 MRR@10 on ddtp-mini: English ≈ 0.70, German → English ≈ 0.37', { skip }, async () => {
  const en = await loadBeir(path.join(root, 'en'));
  const de = await loadBeir(path.join(root, 'de'));
  const ranker = new Bm25Ranker({ threads: 2 });
  await ranker.index(en.corpus);
  const mrr = async (d: typeof en) => evaluate(d.qrels, (await ranker.search(d.queries, 100)).toRun(), 'RR@10').mean.get('RR@10')!;
  const enMrr = await mrr(en);
  const deMrr = await mrr(de);
  assert.ok(enMrr > 0.65 && enMrr < 0.75, `English MRR@10 ${enMrr}`);
  assert.ok(deMrr > 0.3 && deMrr < 0.45, `German → English MRR@10 ${deMrr}`);
});
