/**
 * Measure names in ir_measures syntax: `Family`, `Family@k`, `Family(rel=ℓ)`, `Family(rel=ℓ)@k`.
 *
 * | name          | trec_eval                 | cutoff    | rel=ℓ |
 * |---------------|---------------------------|-----------|-------|
 * | nDCG, nDCG@k  | ndcg, ndcg_cut_k          | optional  | no (trec_eval ignores -l for nDCG) |
 * | RR, RR@k      | recip_rank (-M k)         | optional  | yes   |
 * | P@k           | P_k                       | required  | yes   |
 * | R@k           | recall_k                  | required  | yes   |
 * | AP, AP@k      | map, map_cut_k            | optional  | yes   |
 * | GMAP          | gm_map                    | none      | yes   |
 * | IPrec@r       | iprec_at_recall_r         | recall r ∈ [0, 1] | yes |
 * | Rprec         | Rprec                     | none      | yes   |
 * | Bpref         | bpref                     | none      | yes   |
 * | infAP         | infAP                     | none      | yes   |
 * | GMBpref       | gm_bpref                  | none      | yes   |
 * | SetP, SetRelP | set_P, set_relative_P     | none      | yes   |
 * | SetR, SetF    | set_recall, set_F         | none      | yes   |
 * | SetAP, Utility | set_map, utility         | none      | yes   |
 * | NumNonRelJudgedRet | num_nonrel_judged_ret | none     | yes   |
 * | RelP@k        | relative_P_k              | required  | yes   |
 * | RprecMult@m   | Rprec_mult_m              | multiple m > 0 of R | yes |
 * | IPrecAvg      | 11pt_avg                  | none      | yes   |
 * | BinG, G       | binG, G                   | none      | BinG only |
 * | nDCGRel, RnDCG | ndcg_rel, Rndcg          | none      | RnDCG only |
 * | RBP(p=x), RBPResid(p=x) | rbp, rbp_resid (p=0.9: trec_eval's default) | none | no |
 * | Unj@k         | unj_k                     | required  | no    |
 * | DCG, IDCG     | dcg, ideal_dcg            | none      | no    |
 * | Success@k     | success_k                 | required  | yes   |
 * | Judged@k      | — (ir_measures only)      | required  | no    |
 * | NumQ          | num_q                     | none      | no    |
 * | NumRet        | num_ret                   | none      | no    |
 * | NumRel        | num_rel                   | none      | yes   |
 * | NumRelRet     | num_rel_ret               | none      | yes   |
 *
 * Each summary over queries is what trec_eval's `all` line gives (summaryKind): the mean, but the sum for
 * the counts (NumQ — the number of queries —, NumRet, NumRel, NumRelRet, NumNonRelJudgedRet), and for
 * GMAP and GMBpref the geometric mean. trec_eval prints NumQ, GMAP and GMBpref for `all` only (summaryOnly).
 *
 * `rel=ℓ` is trec_eval's `-l ℓ` (default 1); names are normalised so `P(rel=1)@5` is `P@5`.
 * trec_eval's own names are accepted too, as its `-m` takes them (`ndcg_cut.10`, `P.5,10`) or as it
 * prints them (`ndcg_cut_10`), and become the ir_measures name (at `-l 1`, without `-M`).
 */
import { printfFixed } from './printf.js';

export type MeasureFamily =
  | 'nDCG' | 'RR' | 'P' | 'R' | 'AP' | 'GMAP' | 'IPrec' | 'Rprec' | 'Bpref' | 'infAP' | 'GMBpref'
  | 'SetP' | 'SetRelP' | 'SetR' | 'SetF' | 'SetAP' | 'Utility' | 'Success' | 'Judged'
  | 'NumQ' | 'NumRet' | 'NumRel' | 'NumRelRet' | 'NumNonRelJudgedRet'
  | 'RelP' | 'RprecMult' | 'IPrecAvg' | 'BinG' | 'G' | 'nDCGRel' | 'RnDCG' | 'RBP' | 'RBPResid' | 'Unj' | 'DCG' | 'IDCG';

export interface Measure {
  /** Canonical ir_measures name, e.g. `P(rel=2)@5`. */
  readonly name: string;
  readonly family: MeasureFamily;
  /** Rank cutoff k, or undefined for the whole ranking; for IPrec, the recall level r ∈ [0, 1]; for RprecMult, the multiple of R. */
  readonly cutoff: number | undefined;
  /** Relevance level ℓ: relevant means rel ≥ ℓ. */
  readonly rel: number;
  /** RBP's persistence p ∈ (0, 1); undefined for every other family. */
  readonly p?: number;
}

/** How trec_eval summarises a measure over queries: mean, sum (a count, printed as an integer), or exp of the mean. */
export type SummaryKind = 'mean' | 'sum' | 'geometric';

interface FamilyRule {
  /** `recall`: a required cutoff that is a recall level in [0, 1] rather than a rank; `multiple`: a positive multiple of R. */
  cutoff: 'optional' | 'required' | 'none' | 'recall' | 'multiple';
  rel: boolean;
  /** Takes the persistence parameter p (RBP), required. */
  p?: true;
  trec: (k: number | undefined, p?: number) => string;
  summary?: SummaryKind;
  /** trec_eval prints it for `all` only (te_print_single_meas_empty). */
  summaryOnly?: true;
}

/** trec_eval's default persistence for rbp and rbp_resid (m_rbp.c). */
const TREC_RBP_P = 0.9;

const FAMILIES: Record<MeasureFamily, FamilyRule> = {
  nDCG: { cutoff: 'optional', rel: false, trec: (k) => (k === undefined ? 'ndcg' : `ndcg_cut_${k}`) },
  RR: { cutoff: 'optional', rel: true, trec: (k) => (k === undefined ? 'recip_rank' : `recip_rank -M ${k}`) },
  P: { cutoff: 'required', rel: true, trec: (k) => `P_${k}` },
  R: { cutoff: 'required', rel: true, trec: (k) => `recall_${k}` },
  AP: { cutoff: 'optional', rel: true, trec: (k) => (k === undefined ? 'map' : `map_cut_${k}`) },
  GMAP: { cutoff: 'none', rel: true, trec: () => 'gm_map', summary: 'geometric', summaryOnly: true },
  // trec_eval names a recall level "%3.2f" (meas_init.c append_double)
  IPrec: { cutoff: 'recall', rel: true, trec: (r) => `iprec_at_recall_${printfFixed(r!, 2)}` },
  Rprec: { cutoff: 'none', rel: true, trec: () => 'Rprec' },
  Bpref: { cutoff: 'none', rel: true, trec: () => 'bpref' },
  infAP: { cutoff: 'none', rel: true, trec: () => 'infAP' },
  GMBpref: { cutoff: 'none', rel: true, trec: () => 'gm_bpref', summary: 'geometric', summaryOnly: true },
  SetP: { cutoff: 'none', rel: true, trec: () => 'set_P' },
  SetRelP: { cutoff: 'none', rel: true, trec: () => 'set_relative_P' },
  SetR: { cutoff: 'none', rel: true, trec: () => 'set_recall' },
  SetF: { cutoff: 'none', rel: true, trec: () => 'set_F' },
  SetAP: { cutoff: 'none', rel: true, trec: () => 'set_map' },
  Utility: { cutoff: 'none', rel: true, trec: () => 'utility' },
  Success: { cutoff: 'required', rel: true, trec: (k) => `success_${k}` },
  Judged: { cutoff: 'required', rel: false, trec: () => '(none)' },
  NumQ: { cutoff: 'none', rel: false, trec: () => 'num_q', summary: 'sum', summaryOnly: true },
  NumRet: { cutoff: 'none', rel: false, trec: () => 'num_ret', summary: 'sum' },
  NumRel: { cutoff: 'none', rel: true, trec: () => 'num_rel', summary: 'sum' },
  NumRelRet: { cutoff: 'none', rel: true, trec: () => 'num_rel_ret', summary: 'sum' },
  NumNonRelJudgedRet: { cutoff: 'none', rel: true, trec: () => 'num_nonrel_judged_ret', summary: 'sum' },
  RelP: { cutoff: 'required', rel: true, trec: (k) => `relative_P_${k}` },
  RprecMult: { cutoff: 'multiple', rel: true, trec: (m) => `Rprec_mult_${printfFixed(m!, 2)}` },
  IPrecAvg: { cutoff: 'none', rel: true, trec: () => '11pt_avg' },
  BinG: { cutoff: 'none', rel: true, trec: () => 'binG' },
  // G, ndcg_rel and rbp weigh documents by their levels and ignore -l; Rndcg uses it only to score 0
  // where no document reaches it (m_Rndcg.c)
  G: { cutoff: 'none', rel: false, trec: () => 'G' },
  nDCGRel: { cutoff: 'none', rel: false, trec: () => 'ndcg_rel' },
  RnDCG: { cutoff: 'none', rel: true, trec: () => 'Rndcg' },
  // trec_eval's -m rbp.p=0.8 prints rbp_p=0.8
  RBP: { cutoff: 'none', rel: false, p: true, trec: (_, p) => (p === TREC_RBP_P ? 'rbp' : `rbp_p=${p}`) },
  RBPResid: { cutoff: 'none', rel: false, p: true, trec: (_, p) => (p === TREC_RBP_P ? 'rbp_resid' : `rbp_resid_p=${p}`) },
  Unj: { cutoff: 'required', rel: false, trec: (k) => `unj_${k}` },
  // nDCG's numerator and denominator over the whole ranking (m_ndcg.c's dcg and ideal_dcg)
  DCG: { cutoff: 'none', rel: false, trec: () => 'dcg' },
  IDCG: { cutoff: 'none', rel: false, trec: () => 'ideal_dcg' },
};

/** trec_eval's name → family, for the families that take no cutoff (Rprec, bpref, gm_map, set_P, num_ret, rbp at its default p, …). */
const WHOLE_RANKING = new Map(
  (Object.entries(FAMILIES) as [MeasureFamily, FamilyRule][]).filter(([, rule]) => rule.cutoff === 'none').map(([family, rule]) => [rule.trec(undefined, TREC_RBP_P), family]),
);

/** How a family's values are summarised over queries (trec_eval's `all`). */
export function summaryKind(family: MeasureFamily): SummaryKind {
  return FAMILIES[family].summary ?? 'mean';
}

/** Whether the measure named `name` is summarised by a geometric mean (GMAP); false for a name that is not a measure here (the image–text ones). */
export function geometricMeasure(name: string): boolean {
  const family = SYNTAX.exec(name.trim())?.[1];
  return family !== undefined && Object.hasOwn(FAMILIES, family) && summaryKind(family as MeasureFamily) === 'geometric';
}

/** Whether a family counts (summed over queries, printed as an integer) rather than scores. */
export function countFamily(family: MeasureFamily): boolean {
  return summaryKind(family) === 'sum';
}

/** Whether trec_eval prints a family's values for `all` only, not per query. */
export function summaryOnly(family: MeasureFamily): boolean {
  return FAMILIES[family].summaryOnly === true;
}

/** The accepted name forms, as listed in error messages and --help. */
export const KNOWN_MEASURES =
  'nDCG, nDCG@k, RR, RR@k, P@k, R@k, AP, AP@k, GMAP, IPrec@r (recall r in [0, 1]), Rprec, Bpref, infAP, GMBpref, SetP, SetRelP, SetR, SetF, SetAP, Utility, Success@k, Judged@k, NumQ, NumRet, NumRel, NumRelRet, NumNonRelJudgedRet, ' +
  'RelP@k, RprecMult@m (m times R), IPrecAvg, BinG, G, nDCGRel, RnDCG, RBP(p=x), RBPResid(p=x) (persistence x in (0, 1); trec_eval uses 0.9), Unj@k, DCG, IDCG; add (rel=ℓ) for a relevance level, e.g. P(rel=2)@5; ' +
  "or trec_eval's names: ndcg, ndcg_cut.k, recip_rank, P.k, recall.k, map, map_cut.k, gm_map, iprec_at_recall.r, Rprec, bpref, infAP, gm_bpref, set_P, set_relative_P, set_recall, set_F, set_map, utility, success.k (P.5,10 for several cutoffs; P alone for trec_eval's default cutoffs), num_q, num_ret, num_rel, num_rel_ret, num_nonrel_judged_ret, " +
  'relative_P.k, Rprec_mult.m, 11pt_avg, binG, G, ndcg_rel, Rndcg, rbp, rbp_resid (rbp.p=x for another persistence), unj.k, dcg, ideal_dcg, ' +
  "runid (the run's tag, in --format trec), official (trec_eval's default set, as its -m official), set (its -m set) and all_trec (its -m all_trec); with --per-query, relstring and relstring.n (each query's first 10 or n levels, in --format trec)";

const SYNTAX = /^([A-Za-z]+)(?:\(([^)]*)\))?(?:@(\d+(?:\.\d*)?|\.\d+))?$/;

/** trec_eval's measures that need a cutoff (`P.10` or `P_10`); fromTrecEvalName knows the others. */
const TREC_CUT = /^(ndcg_cut|map_cut|recall|success|P|iprec_at_recall|relative_P|Rprec_mult|unj)[._](\d+(?:\.\d*)?|\.\d+)$/;

/** trec_eval's default cutoffs of a measure named without any (`-m P`: m_P.c and the others' tables). */
const TREC_DEFAULT_CUTOFFS: Record<string, readonly string[]> = {
  P: ['5', '10', '15', '20', '30', '100', '200', '500', '1000'],
  recall: ['5', '10', '15', '20', '30', '100', '200', '500', '1000'],
  ndcg_cut: ['5', '10', '15', '20', '30', '100', '200', '500', '1000'],
  map_cut: ['5', '10', '15', '20', '30', '100', '200', '500', '1000'],
  success: ['1', '5', '10'],
  iprec_at_recall: ['0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1'],
  relative_P: ['5', '10', '15', '20', '30', '100', '200', '500', '1000'],
  Rprec_mult: ['0.2', '0.4', '0.6', '0.8', '1', '1.2', '1.4', '1.6', '1.8', '2'],
  unj: ['5', '10', '20'],
};

/**
 * trec_eval's named measure sets (measures.c): `official`, the measures it prints when given none
 * (off_names), `set`, the set measures (set_names), and `all_trec` (trec_names).
 */
const TREC_SETS: Record<string, readonly string[]> = {
  official: ['runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank', 'iprec_at_recall', 'P'],
  set: ['runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'utility', 'set_P', 'set_recall', 'set_relative_P', 'set_map', 'set_F'],
  all_trec: [
    'runid', 'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank', 'iprec_at_recall', 'P', 'relstring',
    'recall', 'unj', 'rbp', 'rbp_resid', 'infAP', 'gm_bpref', 'utility', '11pt_avg', 'ndcg', 'relative_P', 'Rprec_mult', 'success',
    'map_cut', 'ndcg_cut', 'ndcg_rel', 'Rndcg', 'binG', 'G', 'set_P', 'set_recall', 'set_relative_P', 'set_map', 'set_F', 'num_nonrel_judged_ret',
  ],
};

/** The ir_measures name of a trec_eval name, or undefined when `text` is not one. */
function fromTrecEvalSpelling(text: string): string | undefined {
  const cut = TREC_CUT.exec(text);
  // trec_eval reads a recall level (a multiple of R) with atof and prints it "%3.2f": iprec_at_recall.0.5 is iprec_at_recall_0.50
  if (cut !== null && cut[1] === 'iprec_at_recall') return `IPrec@${Number(cut[2])}`;
  if (cut !== null && cut[1] === 'Rprec_mult') return `RprecMult@${Number(cut[2])}`;
  // -m rbp.p=0.8 prints rbp_p=0.8, which fromTrecEvalName reads
  return fromTrecEvalName(cut === null ? text.replace(/^(rbp|rbp_resid)\.p=/, '$1_p=') : `${cut[1]}_${cut[2]}`) ?? undefined;
}

/**
 * Parses one ir_measures name; a RangeError names the problem and lists the known measures.
 * `level` is the relevance level of a name that states none (trec_eval's `-l`, default 1).
 */
export function parseMeasure(name: string, level = 1): Measure {
  if (typeof name !== 'string') throw new TypeError(`measure must be a string, got ${typeof name}`);
  const text = name.trim();
  const m = SYNTAX.exec(text);
  const family = m?.[1];
  if (m === null || family === undefined || !Object.hasOwn(FAMILIES, family)) {
    const irName = fromTrecEvalSpelling(text);
    if (irName !== undefined) return parseMeasure(irName, level);
    const hint = family === undefined ? undefined : Object.keys(FAMILIES).find((f) => f.toLowerCase() === family.toLowerCase());
    const dym = hint === undefined ? '' : ` (did you mean ${hint}?)`;
    throw new RangeError(`unknown measure ${JSON.stringify(name)}${dym}; known: ${KNOWN_MEASURES}`);
  }
  const f = family as MeasureFamily;
  const rule = FAMILIES[f];
  if (!Number.isInteger(level) || level < 1) throw new RangeError(`the relevance level must be an integer ≥ 1, got ${level}`);
  let rel = rule.rel ? level : 1;
  let p: number | undefined;
  for (const param of m[2] === undefined ? [] : m[2].split(',')) {
    const kv = /^\s*(rel|p)\s*=\s*(\d+(?:\.\d*)?|\.\d+)\s*$/.exec(param);
    if (kv === null) throw new RangeError(`measure ${JSON.stringify(name)}: parameters are rel=ℓ (an integer ≥ 1)${rule.p ? ' and p=x (0 < x < 1)' : ''}, got (${m[2]})`);
    if (kv[1] === 'rel') {
      // a family without rel= is one trec_eval computes alike under any -l (or, Judged, one it lacks)
      if (!rule.rel) throw new RangeError(`measure ${JSON.stringify(name)}: ${f} takes no rel= parameter${f === 'Judged' ? '' : ` (trec_eval ignores the relevance level for ${f})`}`);
      rel = Number(kv[2]);
      if (!Number.isInteger(rel)) throw new RangeError(`measure ${JSON.stringify(name)}: rel must be an integer`);
      if (rel < 1) throw new RangeError(`measure ${JSON.stringify(name)}: rel must be ≥ 1`);
    } else {
      if (!rule.p) throw new RangeError(`measure ${JSON.stringify(name)}: ${f} takes no p= parameter (only RBP and RBPResid do)`);
      p = Number(kv[2]);
      if (!(p > 0 && p < 1)) throw new RangeError(`measure ${JSON.stringify(name)}: the persistence p must be in (0, 1)`);
    }
  }
  if (rule.p && p === undefined) throw new RangeError(`measure ${JSON.stringify(name)}: ${f} needs its persistence, e.g. ${f}(p=${TREC_RBP_P}) (trec_eval's ${rule.trec(undefined, TREC_RBP_P)})`);
  let cutoff: number | undefined;
  if (m[3] !== undefined) {
    if (rule.cutoff === 'none') throw new RangeError(`measure ${JSON.stringify(name)}: ${f} takes no @k cutoff`);
    cutoff = Number(m[3]);
    if (rule.cutoff === 'recall') {
      if (!(cutoff >= 0 && cutoff <= 1)) throw new RangeError(`measure ${JSON.stringify(name)}: the recall level must be in [0, 1]`);
    } else if (rule.cutoff === 'multiple') {
      if (!(cutoff > 0 && Number.isFinite(cutoff))) throw new RangeError(`measure ${JSON.stringify(name)}: the multiple of R must be positive`);
    } else if (!Number.isSafeInteger(cutoff) || cutoff < 1) {
      throw new RangeError(`measure ${JSON.stringify(name)}: the cutoff must be a positive integer`);
    }
  } else if (rule.cutoff === 'required' || rule.cutoff === 'recall' || rule.cutoff === 'multiple') {
    throw new RangeError(`measure ${JSON.stringify(name)}: ${f} needs a cutoff, e.g. ${f}@${rule.cutoff === 'required' ? '10' : '0.5'}`);
  }
  const params = [...(rel === 1 ? [] : [`rel=${rel}`]), ...(p === undefined ? [] : [`p=${p}`])];
  const paramPart = params.length === 0 ? '' : `(${params.join(',')})`;
  const cutPart = cutoff === undefined ? '' : `@${cutoff}`;
  return { name: `${f}${paramPart}${cutPart}`, family: f, cutoff, rel, ...(p === undefined ? {} : { p }) };
}

/** A comma-separated list's items; commas inside parentheses separate parameters, not items (`RBP(rel=2,p=0.9)`). */
function listItems(spec: string): string[] {
  return spec.match(/(?:\([^)]*\)?|[^,(])+/g) ?? [];
}

/**
 * Parses a comma-separated list (or an array) of names into measures, in order, dropping repeats of
 * the same canonical name. An empty list is an error. As in trec_eval's `-m P.5,10`, a bare number
 * after a trec_eval name with a cutoff is another cutoff of that measure; as in its `-m P`, such a
 * name without cutoffs takes trec_eval's default ones; `official` and `set` are trec_eval's measure sets.
 */
export function parseMeasures(spec: string | readonly (string | Measure)[], options: { level?: number } = {}): Measure[] {
  const items = typeof spec === 'string' ? listItems(spec).filter((s) => s.trim() !== '') : spec;
  if (!Array.isArray(items) && typeof spec !== 'string') throw new TypeError('measures must be a string or an array of names');
  const out: Measure[] = [];
  const seen = new Set<string>();
  let trecFamily: string | undefined; // the trec_eval measure a bare number continues
  for (const item of items) {
    let name = typeof item === 'string' ? item.trim() : item.name;
    if (trecFamily !== undefined && /^(\d+(\.\d*)?|\.\d+)$/.test(name)) name = `${trecFamily}.${name}`;
    trecFamily = TREC_CUT.exec(name)?.[1];
    for (const one of withTrecEvalDefaults(name)) {
      const m = typeof item === 'string' ? parseMeasure(one, options.level) : parseMeasure(one);
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      out.push(m);
    }
  }
  if (out.length === 0) throw new RangeError(`measures must name at least one measure; known: ${KNOWN_MEASURES}`);
  return out;
}

/**
 * A trec_eval measure set (`official`, `set`, `all_trec`) as its measures, a trec_eval measure named
 * without cutoffs at its default cutoffs, `runid` and `relstring` as nothing (the run's tag and a
 * string per query, not values: see asksRunId and relStringAsked), anything else as it is.
 */
function withTrecEvalDefaults(name: string): readonly string[] {
  const members = trecEvalSet(name);
  if (members !== undefined) return members.flatMap(withTrecEvalDefaults);
  if (name === 'runid' || RELSTRING.test(name)) return [];
  const cutoffs = Object.hasOwn(TREC_DEFAULT_CUTOFFS, name) ? TREC_DEFAULT_CUTOFFS[name]! : undefined;
  return cutoffs === undefined ? [name] : cutoffs.map((k) => `${name}.${k}`);
}

/** Whether a measure list asks for trec_eval's `runid` line (by name, or in a measure set). */
export function asksRunId(spec: string | readonly (string | Measure)[]): boolean {
  const items = typeof spec === 'string' ? listItems(spec) : spec;
  return items.some((item) => typeof item === 'string' && (item.trim() === 'runid' || trecEvalSet(item.trim())?.includes('runid') === true));
}

/** trec_eval's relstring, of its default length 10 or `relstring.n` (printed `relstring_n`). */
const RELSTRING = /^relstring(?:[._](\d+))?$/;

/**
 * trec_eval's `relstring` if a measure list asks for it (by name, or in all_trec): the name it is
 * printed under and how many levels it shows. As in trec_eval, where it is asked twice the last
 * one counts (`all_trec,relstring.20`: relstring_20).
 */
export function relStringAsked(spec: string | readonly (string | Measure)[]): { name: string; length: number } | undefined {
  const items = typeof spec === 'string' ? listItems(spec) : spec;
  let asked: { name: string; length: number } | undefined;
  for (const item of items) {
    if (typeof item !== 'string') continue;
    const name = item.trim();
    if (trecEvalSet(name)?.includes('relstring') === true) asked = { name: 'relstring', length: 10 };
    const m = RELSTRING.exec(name);
    if (m !== null) asked = m[1] === undefined ? { name: 'relstring', length: 10 } : { name: `relstring_${Number(m[1])}`, length: Number(m[1]) };
  }
  return asked;
}

/** The members of a trec_eval measure set, or undefined when `name` is not one. */
function trecEvalSet(name: string): readonly string[] | undefined {
  return Object.hasOwn(TREC_SETS, name) ? TREC_SETS[name] : undefined;
}

/** trec_eval's name (and flags) for a measure, e.g. `ndcg_cut_10`, `P_5 -l 2`, for documentation and reports. */
export function trecEvalName(m: Measure): string {
  const base = FAMILIES[m.family].trec(m.cutoff, m.p);
  return m.rel === 1 ? base : `${base} -l ${m.rel}`;
}

/**
 * The name trec_eval prints for a measure it computes under `-l level` (default 1) without `-M`,
 * e.g. `ndcg_cut_10`, `map`, `P_5`; undefined for one that needs another flag (`RR@10`: -M 10;
 * `P(rel=2)@5` at level 1: -l 2) or that trec_eval lacks (Judged@k). fromTrecEvalName inverts it.
 */
export function trecEvalPrintedName(m: Measure, level = 1): string | undefined {
  const name = FAMILIES[m.family].rel && m.rel === level ? FAMILIES[m.family].trec(m.cutoff, m.p) : trecEvalName(m);
  return /^[\w.=]+$/.test(name) ? name : undefined;
}

/** The trec_eval measures xmrbench computes, in the order trec_eval prints them (measures.c, te_trec_measures). */
const TREC_EVAL_PRINT_ORDER = [
  'num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'gm_map', 'Rprec', 'bpref', 'recip_rank', 'iprec_at_recall', 'P', 'relstring', 'recall', 'infAP', 'gm_bpref',
  'Rprec_mult', 'utility', '11pt_avg', 'binG', 'G', 'dcg', 'ideal_dcg', 'ndcg', 'ndcg_rel', 'Rndcg', 'ndcg_cut', 'map_cut', 'relative_P', 'success',
  'set_P', 'set_relative_P', 'set_recall', 'set_map', 'set_F', 'num_nonrel_judged_ret', 'rbp', 'rbp_resid', 'unj',
];

/**
 * Orders two names trec_eval prints (trecEvalPrintedName) as trec_eval orders its output: by its
 * measure table, each measure's cutoffs ascending (meas_init.c sorts a measure's cutoffs).
 */
export function compareTrecEvalNames(a: string, b: string): number {
  const key = (name: string): [number, number] => {
    const m = /^(.*?)(?:_(\d+(?:\.\d+)?))?$/.exec(name)!;
    return [TREC_EVAL_PRINT_ORDER.indexOf(m[1]!), m[2] === undefined ? -1 : Number(m[2])];
  };
  const [fa, ka] = key(a);
  const [fb, kb] = key(b);
  return fa - fb || ka - kb;
}

/**
 * xmrbench's name for a trec_eval measure printed under `-l level` and `-M maxDocs` (trec_eval keeps
 * only the first maxDocs documents of each ranking, form_res_rels.c), or null when xmrbench has no
 * equivalent. Under -M, a measure that looks only at the top k ≤ M is unchanged, and map, recall_k,
 * success_k and recip_rank become their @min(k, M) forms; P_k with k > M (divides by k, not M), ndcg
 * (its ideal uses every judged document), Rprec (R may exceed M) and bpref (no cutoff form) have none.
 */
export function fromTrecEvalName(trec: string, level = 1, maxDocs = Infinity): string | null {
  const rel = level === 1 ? '' : `(rel=${level})`;
  const cut = (k: number) => Math.min(k, maxDocs);
  const limited = Number.isFinite(maxDocs);
  let m: RegExpExecArray | null;
  if (trec === 'map') return limited ? `AP${rel}@${maxDocs}` : `AP${rel}`;
  if (trec === 'recip_rank') return limited ? `RR${rel}@${maxDocs}` : `RR${rel}`;
  if (trec === 'ndcg') return limited ? null : 'nDCG';
  // num_q and num_rel are unchanged by -M; every other measure without a cutoff (Rprec: R may
  // exceed M; bpref, infAP, the geometric means, the set measures and the other counts: only the
  // first M documents count) has no equivalent here under -M.
  if (trec === 'num_q') return 'NumQ';
  if (trec === 'num_rel') return `NumRel${rel}`;
  const whole = WHOLE_RANKING.get(trec);
  if (whole !== undefined) return limited ? null : `${whole}${FAMILIES[whole].rel ? rel : FAMILIES[whole].p ? `(p=${TREC_RBP_P})` : ''}`;
  if ((m = /^map_cut_(\d+)$/.exec(trec))) return `AP${rel}@${cut(Number(m[1]))}`;
  if ((m = /^recall_(\d+)$/.exec(trec))) return `R${rel}@${cut(Number(m[1]))}`;
  if ((m = /^success_(\d+)$/.exec(trec))) return `Success${rel}@${cut(Number(m[1]))}`;
  if ((m = /^P_(\d+)$/.exec(trec))) return Number(m[1]) <= maxDocs ? `P${rel}@${m[1]}` : null;
  // relative_P_k and unj_k with k ≤ M look at the first k documents only; with k > M they divide by k (or min(k, R)), not M
  if ((m = /^relative_P_(\d+)$/.exec(trec))) return Number(m[1]) <= maxDocs ? `RelP${rel}@${m[1]}` : null;
  if ((m = /^unj_(\d+)$/.exec(trec))) return Number(m[1]) <= maxDocs ? `Unj@${m[1]}` : null;
  if ((m = /^Rprec_mult_(\d+\.\d\d)$/.exec(trec))) return limited ? null : `RprecMult${rel}@${Number(m[1])}`;
  if ((m = /^(rbp|rbp_resid)_p=(\d+(?:\.\d*)?|\.\d+)$/.exec(trec))) return limited ? null : `${m[1] === 'rbp' ? 'RBP' : 'RBPResid'}(p=${Number(m[2])})`;
  if ((m = /^ndcg_cut_(\d+)$/.exec(trec))) return Number(m[1]) <= maxDocs ? `nDCG@${m[1]}` : null;
  // The level as printed ("%3.2f"): a level with more decimals is read back rounded.
  if ((m = /^iprec_at_recall_(\d\.\d\d)$/.exec(trec))) return limited ? null : `IPrec${rel}@${Number(m[1])}`;
  return null;
}
