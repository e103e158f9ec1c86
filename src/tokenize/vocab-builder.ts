/**
 * A WordPiece vocabulary builder, as Hugging Face's WordPieceTrainer builds one: texts are
 * normalized and pre-tokenized as BERT does (the native tokenizer), words are counted, every
 * character seen becomes a token (word-initial) or a `##` continuation, and the most frequent
 * adjacent pair of symbols is merged (BPE, Sennrich et al. 2016) until the vocabulary is full or
 * no pair occurs `minFrequency` times. Ties go to the pair first seen. The result is a standard
 * tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece, BertProcessing, WordPiece decoder)
 * that Hugging Face tokenizers loads as is.
 */
import { Tokenizer } from './tokenizer.js';
import { positiveInteger } from '../args.js';

export interface WordPieceVocabOptions {
  /** Total entries, special tokens included; default 30,000. */
  vocabSize?: number;
  /** A merge needs a pair seen this often; default 2. */
  minFrequency?: number;
  /** BERT uncased (true, the default) or cased like mBERT (false: no lower-casing or accent stripping). */
  lowercase?: boolean;
  /** Default: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] (ids 0…4); must contain [UNK], [CLS] and [SEP]. */
  specialTokens?: string[];
}

const PREFIX = '##';

function spec(lowercase: boolean): string {
  return JSON.stringify({
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { '[UNK]': 0 } },
  });
}

/** Max-heap of [count, order, pair] with lazy deletion (stale entries are skipped when popped). */
class PairHeap {
  private items: [number, number, string][] = [];
  push(x: [number, number, string]): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!PairHeap.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): [number, number, string] | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && PairHeap.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && PairHeap.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  private static before(x: [number, number, string], y: [number, number, string]): boolean {
    return x[0] > y[0] || (x[0] === y[0] && x[1] < y[1]);
  }
}

/** Builds the vocabulary from texts and returns the tokenizer.json object. */
export function buildWordPieceVocab(texts: Iterable<string>, options: WordPieceVocabOptions = {}): Record<string, unknown> {
  const vocabSize = options.vocabSize ?? 30000;
  const minFrequency = options.minFrequency ?? 2;
  const lowercase = options.lowercase ?? true;
  const specials = options.specialTokens ?? ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  if (!Number.isInteger(vocabSize) || vocabSize < specials.length) throw new RangeError(`vocabSize must be an integer ≥ ${specials.length}, got ${vocabSize}`);
  positiveInteger(minFrequency, 'minFrequency');
  for (const t of ['[UNK]', '[CLS]', '[SEP]']) if (!specials.includes(t)) throw new RangeError(`specialTokens must contain ${t}`);

  const pre = Tokenizer.fromJson(spec(lowercase), '<vocab builder>');
  const counts = new Map<string, number>();
  for (const text of texts) for (const [w] of pre.preTokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);

  // Words as symbol lists; the alphabet in order of first appearance, most frequent first.
  const words: string[][] = [];
  const freq: number[] = [];
  const charCount = new Map<string, number>();
  for (const [w, n] of counts) {
    const symbols = [...w].map((c, i) => (i === 0 ? c : PREFIX + c));
    words.push(symbols);
    freq.push(n);
    for (const s of symbols) charCount.set(s, (charCount.get(s) ?? 0) + n);
  }
  const vocab: string[] = [...specials];
  const seen = new Set(vocab);
  for (const [s] of [...charCount].sort((a, b) => b[1] - a[1])) {
    if (vocab.length >= vocabSize) break;
    if (!seen.has(s)) { seen.add(s); vocab.push(s); }
  }

  // Pair counts and where each pair occurs.
  const pairCount = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const order = new Map<string, number>();
  const key = (a: string, b: string) => `${a}\u0000${b}`;
  const account = (wi: number, sign: number, touched: Set<string>) => {
    const s = words[wi]!;
    for (let i = 0; i + 1 < s.length; i++) {
      const k = key(s[i]!, s[i + 1]!);
      pairCount.set(k, (pairCount.get(k) ?? 0) + sign * freq[wi]!);
      if (sign > 0) {
        let set = where.get(k);
        if (!set) where.set(k, (set = new Set()));
        set.add(wi);
        if (!order.has(k)) order.set(k, order.size);
      }
      touched.add(k);
    }
  };
  const heap = new PairHeap();
  const initial = new Set<string>();
  words.forEach((_, wi) => account(wi, 1, initial));
  for (const k of initial) heap.push([pairCount.get(k)!, order.get(k)!, k]);

  while (vocab.length < vocabSize) {
    const top = heap.pop();
    if (!top) break;
    const [count, , k] = top;
    if (pairCount.get(k) !== count) continue; // stale
    if (count < minFrequency) break;
    const [a, b] = k.split('\u0000') as [string, string];
    const merged = a + b.slice(PREFIX.length);
    if (!seen.has(merged)) { seen.add(merged); vocab.push(merged); }
    const touched = new Set<string>();
    for (const wi of where.get(k) ?? []) {
      account(wi, -1, touched);
      const s = words[wi]!;
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) { out.push(merged); i++; }
        else out.push(s[i]!);
      }
      words[wi] = out;
      account(wi, 1, touched);
    }
    where.delete(k);
    pairCount.delete(k);
    for (const t of touched) {
      const c = pairCount.get(t);
      if (c !== undefined && c > 0 && t !== k) heap.push([c, order.get(t)!, t]);
    }
  }

  const id = (t: string) => vocab.indexOf(t);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, i) => ({ id: i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', id('[SEP]')], cls: ['[CLS]', id('[CLS]')] },
    decoder: { type: 'WordPiece', prefix: PREFIX, cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: PREFIX, max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) },
  };
}
