// trec_eval's `-m all_trec` measures that neither ir_measures nor its `official` set has — relative_P,
// Rprec_mult, 11pt_avg, binG, G, ndcg_rel, Rndcg, rbp, rbp_resid, unj and relstring, and its dcg and
// ideal_dcg — computed by
// hand on one ranking, their names, and trec_eval's -l, -M and -J (level, maxDocs, judgedOnly). The agreement tests check them against trec_eval itself where
// ../shared is present (trec-eval-random-agreement, trec-eval-quicktest); this one needs nothing but the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEvaluation } from '../src/cli/eval.js';
import { Qrels, Run } from '../src/data/trec/index.js';
import { evaluate } from '../src/eval/evaluate.js';
import { fromTrecEvalName, parseMeasure, parseMeasures, relStringAsked, trecEvalPrintedName } from '../src/eval/measures.js';

// q1 ranks x (absent from the qrels), a (2), c (0), b (1), d (judged -1: in the pool, unjudged);
// e (1) is not retrieved. R = 3 at level 1 (a, b, e), 1 at level 2; the ideal gains are 2, 1, 1.
// q2 has judgments but no results (scored as trec_eval -c scores it).
const qrels = Qrels.fromObject({ q1: { a: 2, b: 1, c: 0, d: -1, e: 1 }, q2: { f: 1 } });
const run = Run.fromObject({ q1: { x: 5, a: 4, c: 3, b: 2, d: 1 } });
const log2 = Math.log2;

function values(spec: string): Map<string, number> {
  const ev = evaluate(qrels, run, spec);
  assert.deepEqual(ev.queryIds, ['q1', 'q2']);
  // (but IDCG, which looks only at the judgments: f's gain 1 at rank 1)
  for (const m of ev.measures) assert.equal(ev.perQuery.get(m)![1], m === 'IDCG' ? 1 : 0, `${m}: a query without results scores 0`);
  return new Map(ev.measures.map((m) => [m, ev.perQuery.get(m)![0]!]));
}

test('relative_P, Rprec_mult and unj: hits against min(k, R), at ⌊m·R + 0.9⌋, and unjudged at k', () => {
  const v = values('RelP@2,RelP@5,RprecMult@0.2,RprecMult@1,RprecMult@2,Unj@2,Unj@10,RelP(rel=2)@5');
  assert.equal(v.get('RelP@2'), 1 / 2);
  assert.equal(v.get('RelP@5'), 2 / 3, 'beyond R it is recall');
  assert.equal(v.get('RprecMult@0.2'), 0, 'c = ⌊0.6 + 0.9⌋ = 1, and rank 1 is not relevant');
  assert.equal(v.get('RprecMult@1'), 1 / 3, 'c = 3: Rprec');
  assert.equal(v.get('RprecMult@2'), 2 / 6, 'c = 6 > 5 retrieved: still divided by c');
  assert.equal(v.get('Unj@2'), 1 / 2);
  assert.equal(v.get('Unj@10'), 2 / 10, 'the absent document and the negative judgment, over k');
  assert.equal(v.get('RelP(rel=2)@5'), 1, 'R = 1 at level 2');
});

test('11pt_avg: IPrec at r = 0, 0.1, …, 1 averaged', () => {
  // Relevant at ranks 2 and 4 (P = 1/2 both); lround(r·3) is 1 up to r = 0.4, 2 up to 0.8, 3 after: not reached.
  assert.equal(values('IPrecAvg').get('IPrecAvg'), (9 * 0.5) / 11);
});

test('binG, G, ndcg_rel and Rndcg, in their files’ order of operations', () => {
  const v = values('BinG,BinG(rel=2),G,nDCGRel,RnDCG,RnDCG(rel=2)');
  assert.equal(v.get('BinG'), (1 / log2(3) + 1 / log2(4)) / 3, 'relevant after 1 and 2 non-relevant documents');
  assert.equal(v.get('BinG(rel=2)'), 1 / log2(3) / 1);
  // cost: 2, 3, 4, then 1 a document once the ideal gains are spent (5, 6); got: 0, 2, 2, 3, 3
  assert.equal(v.get('G'), (2 / log2(2 + 3 - 2) + 1 / log2(2 + 5 - 3)) / 4);
  const dcg2 = 2 / log2(3);
  const dcg4 = dcg2 + 1 / log2(5);
  const idcg = [2, 2 + 1 / log2(3), 2 + 1 / log2(3) + 1 / log2(4)];
  assert.equal(v.get('nDCGRel'), (dcg2 / idcg[1]! + dcg4 / idcg[2]! + (1 * dcg4) / idcg[2]!) / 3, 'at a and b, and e not retrieved at the final nDCG');
  // the ideal gain changes 2 → 1 before rank 2 and 1 → 0 before rank 4; the ranking ends after that
  const rndcg = (0 / idcg[0]! + dcg2 / idcg[2]! + dcg4 / idcg[2]!) / 3;
  assert.equal(v.get('RnDCG'), rndcg);
  assert.equal(v.get('RnDCG(rel=2)'), rndcg, 'the level only decides whether R = 0');
  const levelOne = evaluate(Qrels.fromObject({ q: { a: 1 } }), Run.fromObject({ q: { a: 1 } }), 'RnDCG(rel=2),RnDCG');
  assert.deepEqual([...levelOne.mean.values()], [0, 1]);
});

test('dcg and ideal_dcg: nDCG over the whole ranking, numerator and denominator', () => {
  const v = values('DCG,IDCG,nDCG');
  assert.equal(v.get('DCG'), 2 / log2(3) + 1 / log2(5));
  assert.equal(v.get('IDCG'), 2 + 1 / log2(3) + 1 / log2(4), 'e, not retrieved, counts');
  assert.equal(v.get('nDCG'), v.get('DCG')! / v.get('IDCG')!);
});

test('rbp and rbp_resid: gains level / highest level when that exceeds 1; the residual of the unjudged', () => {
  const v = values('RBP(p=0.9),RBPResid(p=0.9),RBP(p=0.5)');
  assert.equal(v.get('RBP(p=0.9)'), (1 - 0.9) * ((2 / 2) * 0.9 + (1 / 2) * 0.9 * 0.9 * 0.9));
  assert.equal(v.get('RBP(p=0.5)'), (1 - 0.5) * (1 * 0.5 + 0.5 * 0.125));
  assert.equal(v.get('RBPResid(p=0.9)'), 0.9 * 0.9 * 0.9 * 0.9 * 0.9 + (1 - 0.9) * (1 + 0.9 * 0.9 * 0.9 * 0.9));
  const judged = evaluate(Qrels.fromObject({ q: { a: 1, b: 0 } }), Run.fromObject({ q: { a: 2, b: 1 } }), 'RBP(p=0.9),RBPResid(p=0.9)');
  assert.deepEqual([...judged.mean.values()], [(1 - 0.9) * 1, 0], 'levels 0 and 1 are not rescaled; nothing unjudged, no residual');
});

test("relstring: each query's first levels, as trec_eval -q prints them", () => {
  const line = (name: string, length: number, judgedOnly = false) => {
    const ev = evaluate(qrels, run, 'P@5', { relString: { name, length }, judgedOnly });
    return formatEvaluation(ev, 'trec', true, { relString: name }).split('\n').filter((l) => l.startsWith('relstring'));
  };
  assert.deepEqual(evaluate(qrels, run, 'P@5', { relString: { name: 'relstring_4', length: 4 } }).relStrings, ['-201', '-']);
  assert.deepEqual(line('relstring', 4), ["relstring             \tq1\t'-201'", "relstring             \tq2\t''"]);
  // a query without results ranks one document absent from the qrels (trec_eval.c's bogus ranking);
  // trec_eval empties its string only under the name `relstring` (clear_relstr), and -J drops the document
  assert.deepEqual(line('relstring_4', 4), ["relstring_4           \tq1\t'-201'", "relstring_4           \tq2\t'-'"]);
  assert.deepEqual(line('relstring_4', 4, true), ["relstring_4           \tq1\t'201'", "relstring_4           \tq2\t''"]);
  assert.deepEqual(evaluate(qrels, run, 'P@5', { relString: { name: 'relstring', length: 10 } }).relStrings, ['-201.', ''], "'.': judged negative");
  const big = evaluate(Qrels.fromObject({ q: { a: 12 } }), Run.fromObject({ q: { a: 1 } }), 'P@1', { relString: { name: 'relstring', length: 10 } });
  assert.deepEqual(big.relStrings, ['>']);
  assert.deepEqual(relStringAsked('all_trec'), { name: 'relstring', length: 10 });
  assert.deepEqual(relStringAsked('all_trec,relstring.20'), { name: 'relstring_20', length: 20 });
  assert.equal(relStringAsked('official'), undefined);
});

test("names: trec_eval's spellings, defaults, all_trec, and RBP's persistence", () => {
  const names = (spec: string) => parseMeasures(spec).map((m) => m.name);
  assert.deepEqual(names('rbp,rbp_resid,11pt_avg,binG,G,ndcg_rel,Rndcg'), ['RBP(p=0.9)', 'RBPResid(p=0.9)', 'IPrecAvg', 'BinG', 'G', 'nDCGRel', 'RnDCG']);
  assert.deepEqual(names('Rprec_mult'), ['0.2', '0.4', '0.6', '0.8', '1', '1.2', '1.4', '1.6', '1.8', '2'].map((m) => `RprecMult@${m}`));
  assert.deepEqual(names('Rprec_mult.5.0,0.35'), ['RprecMult@5', 'RprecMult@0.35']);
  assert.deepEqual(names('unj'), ['Unj@5', 'Unj@10', 'Unj@20']);
  assert.equal(names('relative_P').length, 9);
  assert.equal(names("all_trec").length, 98, "trec_eval -m all_trec prints 99 lines for `all`: these and runid (and relstring per query)");
  assert.equal(trecEvalPrintedName(parseMeasure('RprecMult@0.35')), 'Rprec_mult_0.35');
  assert.equal(trecEvalPrintedName(parseMeasure('RBP(p=0.9)')), 'rbp');
  assert.equal(trecEvalPrintedName(parseMeasure('RBP(p=0.8)')), 'rbp_p=0.8', 'as trec_eval -m rbp.p=0.8 prints it');
  assert.equal(fromTrecEvalName('rbp'), 'RBP(p=0.9)');
  assert.equal(fromTrecEvalName('rbp_resid_p=0.5'), 'RBPResid(p=0.5)');
  assert.deepEqual(names('rbp.p=0.8,rbp_resid.p=.5'), ['RBP(p=0.8)', 'RBPResid(p=0.5)']);
  assert.equal(fromTrecEvalName('relative_P_5', 2, 10), 'RelP(rel=2)@5');
  assert.equal(fromTrecEvalName('unj_20', 1, 10), null, 'under -M 10, unj_20 divides 10 documents by 20');
  assert.equal(fromTrecEvalName('Rprec_mult_1.00', 1, 100), null);
  assert.throws(() => parseMeasures('RBP'), /RBP needs its persistence, e\.g\. RBP\(p=0\.9\) \(trec_eval's rbp\)/);
  assert.throws(() => parseMeasures('RBP(p=1)'), /persistence p must be in \(0, 1\)/);
  assert.throws(() => parseMeasures('RBP(rel=2,p=0.9)'), /RBP takes no rel= parameter/);
  assert.throws(() => parseMeasures('G(rel=2)'), /G takes no rel= parameter \(trec_eval ignores the relevance level for G\)/);
  assert.throws(() => parseMeasures('P(p=0.5)@5'), /P takes no p= parameter/);
  assert.throws(() => parseMeasures('RprecMult@0'), /multiple of R must be positive/);
  assert.throws(() => parseMeasures('RprecMult'), /RprecMult needs a cutoff, e\.g\. RprecMult@0\.5/);
  assert.equal(parseMeasure('RBP(p=.5)').name, 'RBP(p=0.5)');
});

test('trec_eval -l, -M and -J: a level for every measure, the first M documents, judged documents only', () => {
  const at = (spec: string, options: Parameters<typeof evaluate>[3] = {}, level?: number) => {
    const ev = evaluate(qrels, run, parseMeasures(spec, { level }), options);
    return Object.fromEntries(ev.measures.map((m) => [m, ev.perQuery.get(m)![0]!]));
  };
  assert.deepEqual(at('P@5,nDCG,P(rel=1)@5', {}, 2), { 'P(rel=2)@5': 1 / 5, nDCG: at('nDCG').nDCG!, 'P@5': 2 / 5 }, 'nDCG has no level; a name that states one keeps it');
  assert.deepEqual(at('NumRet,P@5,RelP@5', { maxDocs: 2 }), { NumRet: 2, 'P@5': 1 / 5, 'RelP@5': 1 / 3 }, 'x and a only');
  // judged only: a, c, b (d is judged negative, x absent)
  assert.deepEqual(at('NumRet,P@1,RR,Unj@5', { judgedOnly: true }), { NumRet: 3, 'P@1': 1, RR: 1, 'Unj@5': 0 });
  assert.deepEqual(at('NumRet,RR', { judgedOnly: true, maxDocs: 1 }), { NumRet: 0, RR: 0 }, '-M comes first: x, then nothing judged');
  const empty = evaluate(qrels, run, 'IPrec@0,IPrec@0.5,IPrecAvg,AP', { judgedOnly: true });
  assert.deepEqual([...empty.perQuery.values()].map((v) => v[1]), [NaN, 0, NaN, 0], 'q2 ranks nothing: P@n is 0/0 for the levels lround(r·R) = 0 reaches, as in trec_eval');
  assert.throws(() => evaluate(qrels, run, 'AP', { maxDocs: 0 }), /options\.maxDocs must be an integer ≥ 1, got 0/);
  assert.throws(() => evaluate(qrels, run, 'AP', { judgedOnly: 'yes' as unknown as boolean }), /options\.judgedOnly must be a boolean/);
  assert.throws(() => parseMeasures('AP', { level: 0 }), /relevance level must be an integer ≥ 1/);
});
