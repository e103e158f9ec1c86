/**
 * A fallback multilingual vocabulary for the dual encoder when no tokenizer file is given: a BERT
 * WordPiece vocab.txt (uncased, accents stripped — what `Tokenizer.fromVocabFile` expects) holding
 * the special tokens, every word seen at least `minCount` times in the given texts (most frequent
 * first, up to `maxWords`), and every character seen, alone and as a "##" continuation, so that
 * any word of those scripts tokenizes without [UNK] (a rare word becomes its characters).
 *
 * Which texts: the caller decides; `xmrbench train` uses the training pairs and the corpora of
 * every language in the dataset (unlabelled text, as a multilingual vocabulary is built from
 * monolingual corpora), plus the target words of the code-switching lexicons.
 */

import { writeFileAtomic } from '../atomic-write.js';
import { nonNegativeInteger, positiveInteger } from '../args.js';

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The normalisation of BERT uncased (lower-case, NFD, combining marks removed), for counting words. */
function normalize(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

export interface VocabBuildOptions {
  /** Keep words seen at least this often; default 2. */
  minCount?: number;
  /** At most this many whole words; default 60000. */
  maxWords?: number;
}

/** The vocabulary's tokens, one per id. */
export function buildWordVocab(texts: Iterable<string>, options: VocabBuildOptions = {}): string[] {
  const minCount = options.minCount ?? 2;
  const maxWords = options.maxWords ?? 60000;
  positiveInteger(minCount, 'minCount');
  nonNegativeInteger(maxWords, 'maxWords');
  const counts = new Map<string, number>();
  const chars = new Set<string>();
  for (const text of texts) {
    const norm = normalize(text);
    for (const m of norm.matchAll(WORD)) {
      const w = m[0];
      counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const ch of w) chars.add(ch);
    }
    // punctuation and symbols are single tokens for BERT's pre-tokenizer
    for (const ch of norm) if (!/\s/u.test(ch)) chars.add(ch);
  }
  const words = [...counts.entries()]
    .filter(([w, c]) => c >= minCount && [...w].length > 1)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxWords)
    .map(([w]) => w);
  const sortedChars = [...chars].sort();
  return ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...sortedChars, ...sortedChars.map((c) => `##${c}`), ...words];
}

/** Writes a vocab.txt (one token per line). */
export function writeVocab(file: string, tokens: readonly string[]): void {
  // writeFileAtomic's errors name the file already.
  writeFileAtomic(file, tokens.join('\n') + '\n');
}
