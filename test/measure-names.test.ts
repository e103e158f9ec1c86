/** ir_measures names: parsing, canonical form, and the errors for names we do not know. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMeasure, parseMeasures, trecEvalName } from '../src/eval/measures.js';

test('names parse to family, cutoff and level', () => {
  assert.deepEqual(parseMeasure('P(rel=2)@5'), { name: 'P(rel=2)@5', family: 'P', cutoff: 5, rel: 2 });
  assert.deepEqual(parseMeasure('nDCG'), { name: 'nDCG', family: 'nDCG', cutoff: undefined, rel: 1 });
  assert.equal(parseMeasure('P(rel=1)@5').name, 'P@5');
});

test('trec_eval names', () => {
  assert.deepEqual(['nDCG@10', 'RR@10', 'AP@100', 'R(rel=2)@100', 'Rprec'].map((n) => trecEvalName(parseMeasure(n))), ['ndcg_cut_10', 'recip_rank -M 10', 'map_cut_100', 'recall_100 -l 2', 'Rprec']);
});

test('a list drops repeats and keeps order', () => {
  assert.deepEqual(parseMeasures('RR@10, nDCG@10,RR@10').map((m) => m.name), ['RR@10', 'nDCG@10']);
});

test('an unknown name lists the known ones', () => {
  assert.throws(() => parseMeasure('MRR@10'), {
    name: 'RangeError',
    message:
      'unknown measure "MRR@10"; known: nDCG, nDCG@k, RR, RR@k, P@k, R@k, AP, AP@k, GMAP, IPrec@r (recall r in [0, 1]), Rprec, Bpref, infAP, GMBpref, SetP, SetRelP, SetR, SetF, SetAP, Utility, Success@k, Judged@k, NumQ, NumRet, NumRel, NumRelRet, NumNonRelJudgedRet, ' +
      'RelP@k, RprecMult@m (m times R), IPrecAvg, BinG, G, nDCGRel, RnDCG, RBP(p=x), RBPResid(p=x) (persistence x in (0, 1); trec_eval uses 0.9), Unj@k, DCG, IDCG; add (rel=ℓ) for a relevance level, e.g. P(rel=2)@5; ' +
      "or trec_eval's names: ndcg, ndcg_cut.k, recip_rank, P.k, recall.k, map, map_cut.k, gm_map, iprec_at_recall.r, Rprec, bpref, infAP, gm_bpref, set_P, set_relative_P, set_recall, set_F, set_map, utility, success.k (P.5,10 for several cutoffs; P alone for trec_eval's default cutoffs), num_q, num_ret, num_rel, num_rel_ret, num_nonrel_judged_ret, " +
      'relative_P.k, Rprec_mult.m, 11pt_avg, binG, G, ndcg_rel, Rndcg, rbp, rbp_resid (rbp.p=x for another persistence), unj.k, dcg, ideal_dcg, ' +
      "runid (the run's tag, in --format trec), official (trec_eval's default set, as its -m official), set (its -m set) and all_trec (its -m all_trec); with --per-query, relstring and relstring.n (each query's first 10 or n levels, in --format trec)",
  });
  assert.throws(() => parseMeasure('ndcg@10'), { message: /^unknown measure "ndcg@10" \(did you mean nDCG\?\); known: / });
});

test('misused parameters are explained', () => {
  assert.throws(() => parseMeasure('nDCG(rel=2)@10'), { message: 'measure "nDCG(rel=2)@10": nDCG takes no rel= parameter (trec_eval ignores the relevance level for nDCG)' });
  assert.throws(() => parseMeasure('P'), { message: 'measure "P": P needs a cutoff, e.g. P@10' });
  assert.throws(() => parseMeasure('Rprec@10'), { message: 'measure "Rprec@10": Rprec takes no @k cutoff' });
  assert.throws(() => parseMeasure('P(rel=0)@5'), { message: 'measure "P(rel=0)@5": rel must be ≥ 1' });
  assert.throws(() => parseMeasures(''), { message: /^measures must name at least one measure/ });
});

test("trec_eval's own names, as -m takes them and as it prints them, are the same measures", () => {
  const names = (spec: string) => parseMeasures(spec).map((m) => m.name);
  assert.deepEqual(names('ndcg_cut.10,ndcg,recip_rank,P.5,recall.100,map,map_cut.100,Rprec,bpref,success.1'), ['nDCG@10', 'nDCG', 'RR', 'P@5', 'R@100', 'AP', 'AP@100', 'Rprec', 'Bpref', 'Success@1']);
  assert.deepEqual(names('ndcg_cut_10, P_5, recall_1000'), ['nDCG@10', 'P@5', 'R@1000']);
  // -m P.5,10 -m recall.100,1000: a bare number is one more cutoff of the trec_eval measure before it
  assert.deepEqual(names('P.5,10,map,recall.100,1000'), ['P@5', 'P@10', 'AP', 'R@100', 'R@1000']);
  assert.deepEqual(names('nDCG@10,ndcg_cut.10'), ['nDCG@10'], 'the same measure under both spellings is one');
  assert.deepEqual(parseMeasure('P_5'), parseMeasure('P@5'));
});

test('trec_eval names that are not measures here are errors that name them', () => {
  assert.throws(() => parseMeasures('10'), { message: /^unknown measure "10"; known: / });
  assert.throws(() => parseMeasures('nDCG@10,20'), { message: /^unknown measure "20"; known: /, }, 'a bare number continues only a trec_eval name');
  assert.throws(() => parseMeasure('ndcg_cut'), { message: /^unknown measure "ndcg_cut"; known: / });
  assert.throws(() => parseMeasure('recip_rank.10'), { message: /^unknown measure "recip_rank.10"; known: / });
  assert.throws(() => parseMeasure('relstring'), { message: /^unknown measure "relstring"; known: / });
  assert.throws(() => parseMeasures('ndcg_p'), { message: /^unknown measure "ndcg_p"; known: / });
  assert.throws(() => parseMeasures('prefs_simp'), { message: /^unknown measure "prefs_simp"; known: / });
});
