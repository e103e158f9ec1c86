/**
 * Agreement with trec_eval 10.0 on the shared reference inputs (see ../shared/reference/README.md):
 * every per-query value and every `all` mean, to the four decimals trec_eval prints, for the default
 * level, `-M 10` (RR@10) and `-l 2`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readQrels, readRun } from '../src/data/trec/index.js';
import { evaluate } from '../src/eval/evaluate.js';
import { printfFixed } from '../src/eval/printf.js';

import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';

const skip = skipUnlessReference('trec');
const dir = path.join(referenceDir, 'trec');

/** trec_eval name → ours, per reference file kind. */
const NAMES: Record<string, Record<string, string>> = {
  '': {
    map: 'AP', Rprec: 'Rprec', recip_rank: 'RR', P_5: 'P@5', P_10: 'P@10', recall_100: 'R@100', recall_1000: 'R@1000',
    ndcg: 'nDCG', ndcg_cut_10: 'nDCG@10', ndcg_cut_100: 'nDCG@100', map_cut_100: 'AP@100', success_1: 'Success@1', success_5: 'Success@5', success_10: 'Success@10',
  },
  '-rr10': { recip_rank: 'RR@10' },
  '-l2': { map: 'AP(rel=2)', recip_rank: 'RR(rel=2)', P_5: 'P(rel=2)@5', P_10: 'P(rel=2)@10', recall_100: 'R(rel=2)@100', ndcg_cut_10: 'nDCG@10' },
};

function readReference(file: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const [measure, qid, value] = line.split('\t').map((s) => s.trim());
    assert.ok(measure && qid && value, `bad reference line ${line}`);
    if (!out.has(measure)) out.set(measure, new Map());
    out.get(measure)!.set(qid, value);
  }
  return out;
}

describe('trec_eval 10.0 reference values', { skip }, () => {
  for (const sys of ['a', 'b']) {
    for (const [suffix, names] of Object.entries(NAMES)) {
      it(`run-${sys}${suffix}: every per-query value and mean`, async () => {
        const qrels = await readQrels(path.join(dir, 'qrels.txt'));
        const run = await readRun(path.join(dir, `run-${sys}.txt`));
        const ref = readReference(path.join(dir, `trec_eval-${sys}${suffix}.txt`));
        const ev = evaluate(qrels, run, Object.values(names));
        assert.deepEqual([...ref.keys()].sort(), Object.keys(names).sort(), 'reference measures as expected');
        let checked = 0;
        for (const [trecName, ours] of Object.entries(names)) {
          const refVals = ref.get(trecName)!;
          const perQuery = ev.perQuery.get(ours)!;
          const refQids = [...refVals.keys()].filter((q) => q !== 'all');
          assert.deepEqual(ev.queryIds, refQids, `${ours}: same queries in trec_eval's order`);
          ev.queryIds.forEach((qid, i) => {
            assert.equal(printfFixed(perQuery[i]!), refVals.get(qid), `${ours} (${trecName}) for ${qid}`);
            checked++;
          });
          assert.equal(printfFixed(ev.mean.get(ours)!), refVals.get('all'), `${ours} (${trecName}) mean`);
        }
        assert.equal(checked, ev.queryIds.length * Object.keys(names).length);
      });
    }
  }
});
