/**
 * Word translations from aligned short texts — the paper's Wiki-CS lexicons came from parallel Wikipedia
 * titles (Litschko et al. 2023, §3); DDTP synopses are the same kind of data. Each source word is paired
 * with the target word of highest Dice coefficient (Dice 1945; its use for lexicon extraction:
 * Smadja, McKeown & Hatzivassiloglou 1996):
 *     Dice(e, f) = 2·c(e, f) / (c(e) + c(f))
 * where c counts aligned pairs containing the word(s) (each word once per pair). Pairs with
 * c(e, f) < minPair or words seen in fewer than minCount pairs are ignored; with `mutual`, a pair is kept
 * only when each word is the other's best. Ties: larger c(e, f), then code-unit order of f.
 */
import { WORD } from '../../augment/tokens.js';
import type { Lexicon } from './muse.js';
import { positiveInteger } from '../../args.js';

export interface DiceOptions {
  minCount?: number;
  minPair?: number;
  /** Minimum Dice score, in (0, 1]. */
  minDice?: number;
  mutual?: boolean;
}

function words(s: string): string[] {
  return [...new Set(s.toLowerCase().match(new RegExp(WORD.source, WORD.flags)) ?? [])].filter((w) => !/^\p{N}+$/u.test(w));
}

/** Induces an src→tgt lexicon from aligned (source text, target text) pairs. */
export function diceLexicon(pairs: Iterable<readonly [string, string]>, opts: DiceOptions = {}): Lexicon {
  const minCount = opts.minCount ?? 3;
  const minPair = opts.minPair ?? 3;
  const minDice = opts.minDice ?? 0.3;
  positiveInteger(minCount, 'minCount');
  positiveInteger(minPair, 'minPair');
  if (!(minDice > 0 && minDice <= 1)) throw new RangeError(`minDice must be in (0, 1], got ${minDice}`);
  const cs = new Map<string, number>();
  const ct = new Map<string, number>();
  const joint = new Map<string, Map<string, number>>();
  for (const [s, t] of pairs) {
    const ws = words(s);
    const wt = words(t);
    for (const w of ws) cs.set(w, (cs.get(w) ?? 0) + 1);
    for (const w of wt) ct.set(w, (ct.get(w) ?? 0) + 1);
    for (const e of ws) {
      let row = joint.get(e);
      if (row === undefined) joint.set(e, (row = new Map()));
      for (const f of wt) row.set(f, (row.get(f) ?? 0) + 1);
    }
  }
  const best = (scores: Iterable<[string, number, number]>): [string, number, number] | undefined => {
    let b: [string, number, number] | undefined;
    for (const x of scores) {
      if (b === undefined || x[1] > b[1] || (x[1] === b[1] && (x[2] > b[2] || (x[2] === b[2] && x[0] < b[0])))) b = x;
    }
    return b;
  };
  const forward = new Map<string, [string, number, number]>();
  const backward = new Map<string, [string, number, number]>();
  for (const [e, row] of joint) {
    const ce = cs.get(e)!;
    if (ce < minCount) continue;
    for (const [f, c] of row) {
      const cf = ct.get(f)!;
      if (cf < minCount || c < minPair) continue;
      const d = (2 * c) / (ce + cf);
      if (d < minDice) continue;
      const fb = best([forward.get(e) ?? [f, -1, -1], [f, d, c]]);
      forward.set(e, fb!);
      const bb = best([backward.get(f) ?? [e, -1, -1], [e, d, c]]);
      backward.set(f, bb!);
    }
  }
  const out: Lexicon = new Map();
  for (const e of [...forward.keys()].sort()) {
    const [f] = forward.get(e)!;
    if (opts.mutual === true && backward.get(f)![0] !== e) continue;
    out.set(e, f);
  }
  return out;
}
