/**
 * MUSE-style bilingual lexicons (Conneau et al. 2018, facebookresearch/MUSE `crosslingual/dictionaries`):
 * one `source target` pair per line, separated by a space or a tab, possibly several targets per source.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../atomic-write.js';
import { dirname } from 'node:path';
import { XmrError } from '../../errors.js';

/** A one-translation-per-word lexicon: source word → target word. */
export type Lexicon = Map<string, string>;

/** Parses MUSE text into pairs in file order. */
export function parseMusePairs(text: string, file = '<lexicon>'): [string, string][] {
  const pairs: [string, string][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const f = line.split(/[ \t]+/);
    if (f.length !== 2) throw new XmrError('E_PARSE', `expected "source target", got ${f.length} fields`, { file, line: i + 1 });
    pairs.push([f[0]!, f[1]!]);
  }
  if (pairs.length === 0) throw new XmrError('E_EMPTY', 'lexicon has no pairs', { file });
  return pairs;
}

export function readMusePairs(file: string): [string, string][] {
  if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such file', { file });
  return parseMusePairs(readFileSync(file, 'utf8'), file);
}

/** Reads a lexicon keeping the first translation of each source word (MUSE lists the most frequent first). */
export function readMuse(file: string): Lexicon {
  const lex: Lexicon = new Map();
  for (const [s, t] of readMusePairs(file)) if (!lex.has(s)) lex.set(s, t);
  return lex;
}

/** Gold lexicon for evaluation: every listed translation of each source word. */
export function readMuseGold(file: string): Map<string, Set<string>> {
  const gold = new Map<string, Set<string>>();
  for (const [s, t] of readMusePairs(file)) {
    const set = gold.get(s);
    if (set === undefined) gold.set(s, new Set([t]));
    else set.add(t);
  }
  return gold;
}

/** Serialises a lexicon sorted by source word (code-unit order), one `source target` line each. */
export function formatMuse(lex: Lexicon): string {
  const keys = [...lex.keys()].sort();
  return keys.map((k) => `${k} ${lex.get(k)!}\n`).join('');
}

export function writeMuse(file: string, lex: Lexicon): void {
  if (lex.size === 0) throw new XmrError('E_EMPTY', 'refusing to write an empty lexicon', { file });
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, formatMuse(lex));
}

/**
 * Inverts a lexicon (target → source). When several sources share a target, the first in code-unit
 * order wins, so the result is deterministic.
 */
export function invertLexicon(lex: Lexicon): Lexicon {
  const out: Lexicon = new Map();
  for (const s of [...lex.keys()].sort()) {
    const t = lex.get(s)!;
    if (!out.has(t)) out.set(t, s);
  }
  return out;
}
