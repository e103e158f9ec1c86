/**
 * Bilingual lexicons from FreeDict dictionaries (Debian's dict-freedict-*; dictd format, see dictd.ts).
 *
 * An entry reads
 *     dog /dˈɒɡ/                                   headword line: headword, IPA, <part of speech>
 *     Hund <masc> [zool.]                          one sense per line: comma-separated translations
 *           "train a dog"  - einen Hund abrichten  example
 *        Synonym: {dawg}      Note: …      see: {dogs}
 * (the English–French/Spanish/… dictionaries number their senses `1. …`, `2. …` instead).
 *
 * Annotations (`<masc>`, `[Am.]`, `{…}`, `(…)`, IPA) are stripped and only single-word translations kept.
 * Choosing *the* translation matters: entries come in alphabetical order of translation, so the first is
 * often a rare sense (dog → Bandhaken, a cooper's tool). Each distinct translation is ranked by
 *   1. round trip: the reverse dictionary, when there is one, lists the headword among its translations
 *      (this alone rejects eng-fra's first sense of cat, "mégère");
 *   2. not a compound's entry: some dictionaries index "house of worship" under "house", recognisable by
 *      an IPA more than two characters longer than the headword's shortest;
 *   3. evidence of a common sense: the number of entries listing it plus their usage examples
 *      (lexicographers illustrate the common senses: Hund has four examples, Bandhaken none);
 *   4. dictionary order of its first occurrence (entry, sense, position).
 */
import type { Dictd } from './dictd.js';

export interface FreedictCandidate {
  term: string;
  /** Order of first occurrence: entry, sense and position within the sense. */
  entry: number;
  sense: number;
  position: number;
  /** Entries listing the term plus their usage examples. */
  evidence: number;
  /** The entry's IPA is more than two characters longer than the headword's shortest. */
  compound: boolean;
}

const SINGLE_WORD = /^[\p{L}\p{M}]+(?:[-‐'’][\p{L}\p{M}]+)*$/u;
const SKIP = /^(Note:|Synonyms?:|see:|")/;

function stripAnnotations(s: string): string {
  let prev;
  do {
    prev = s;
    s = s.replace(/<[^<>]*>|\[[^[\]]*\]|\{[^{}]*\}|\([^()]*\)/g, ' ');
  } while (s !== prev);
  return s.replace(/\s+/g, ' ').trim();
}

export interface FreedictEntry {
  /** False for entries indexed under an abbreviation or a prefix (`computed axial tomography (CAT)`, `water‐`). */
  matches: boolean;
  /** Length of the headword line's IPA, or -1 when it has none. */
  ipa: number;
  senses: string[][];
  examples: number;
}

/** Splits one entry into its senses (lists of cleaned terms). */
export function parseFreedictEntry(body: string, headword: string): FreedictEntry {
  const lines = body.split('\n');
  const first = lines[0] ?? '';
  const ipa = /\/([^/]*)\//.exec(first)?.[1]?.length ?? -1;
  const head = stripAnnotations(first.replace(/\/[^/]*\//g, ' ')).toLowerCase();
  const senses: string[][] = [];
  let examples = 0;
  for (const raw of lines.slice(1)) {
    const t = raw.trim();
    if (t === '') continue;
    if (t.startsWith('"')) examples++;
    if (SKIP.test(t)) continue;
    const terms = stripAnnotations(t.replace(/^\d+\.\s+/, ''))
      .split(/[,;]/)
      .map((x) => x.trim())
      .filter((x) => x !== '');
    if (terms.length > 0) senses.push(terms);
  }
  return { matches: head === headword.toLowerCase(), ipa, senses, examples };
}

/** Single-word translation candidates per single-word headword (lower-cased), one per distinct term, in dictionary order. */
export function freedictCandidates(d: Dictd): Map<string, FreedictCandidate[]> {
  const entries = new Map<string, FreedictEntry[]>();
  for (const e of d.entries) {
    const w = e.headword.toLowerCase();
    if (!SINGLE_WORD.test(w)) continue;
    const parsed = parseFreedictEntry(d.body(e), e.headword);
    if (!parsed.matches) continue;
    let list = entries.get(w);
    if (list === undefined) entries.set(w, (list = []));
    list.push(parsed);
  }
  const out = new Map<string, FreedictCandidate[]>();
  for (const [w, list] of entries) {
    const ipas = list.map((e) => e.ipa).filter((n) => n >= 0);
    const shortest = ipas.length === 0 ? -1 : Math.min(...ipas);
    const byTerm = new Map<string, FreedictCandidate>();
    list.forEach((e, entry) => {
      const compound = shortest >= 0 && e.ipa > shortest + 2;
      const seen = new Set<string>();
      e.senses.forEach((terms, sense) =>
        terms.forEach((term, position) => {
          const t = term.toLowerCase();
          if (!SINGLE_WORD.test(t) || seen.has(t)) return;
          seen.add(t);
          const c = byTerm.get(t);
          if (c === undefined) byTerm.set(t, { term: t, entry, sense, position, evidence: 1 + e.examples, compound });
          else {
            c.evidence += 1 + e.examples;
            c.compound &&= compound;
          }
        }),
      );
    });
    if (byTerm.size > 0) out.set(w, [...byTerm.values()]);
  }
  return out;
}

function byDictionaryEvidence(a: FreedictCandidate, b: FreedictCandidate): number {
  return Number(a.compound) - Number(b.compound) || b.evidence - a.evidence || a.entry - b.entry || a.sense - b.sense || a.position - b.position;
}

/**
 * Chooses one translation per headword (criteria 1–4). `reverse` are the reverse dictionary's candidates
 * (e.g. deu-eng for eng-deu). Returns a lexicon sorted by headword.
 */
export function freedictLexicon(forward: Map<string, FreedictCandidate[]>, reverse?: Map<string, FreedictCandidate[]>): Map<string, string> {
  const roundTrip = (w: string, t: string): number => (reverse?.get(t)?.some((c) => c.term === w) === true ? 1 : 0);
  const out = new Map<string, string>();
  for (const w of [...forward.keys()].sort()) {
    const scored = forward.get(w)!.map((c) => ({ c, rt: roundTrip(w, c.term) }));
    scored.sort((a, b) => b.rt - a.rt || byDictionaryEvidence(a.c, b.c));
    out.set(w, scored[0]!.c.term);
  }
  return out;
}
