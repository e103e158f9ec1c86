/**
 * Reads a Hugging Face `tokenizer.json` (or a BERT `vocab.txt`) into the flat spec the native
 * tokenizer is built from. Every component is checked here: one the native tokenizer does not
 * implement is an XmrError naming the file and the JSON path of the component (for example
 * `tokenizer.json: normalizer.normalizers[0].type must be one of Sequence, …, got "Nmt"`) —
 * never a silent mis-tokenization.
 *
 * Supported: normalizers BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents,
 * Replace (literal pattern, or the Regex `\s+` or ` {2,}`), Strip, Prepend, Precompiled
 * (sentencepiece's charsmap), Sequence; pre-tokenizers
 * BertPreTokenizer, Whitespace, WhitespaceSplit, Metaspace, Punctuation, Digits, ByteLevel, Split
 * (literal patterns, GPT-2's, CLIP's, Llama 3's and Qwen2's regexes), Sequence; models WordPiece, Unigram and BPE
 * (vocabularies with holes in their ids; merges as "a b" strings or ["a", "b"] pairs; dropout
 * refused); post-processors BertProcessing, RobertaProcessing, ByteLevel, TemplateProcessing
 * (single sequences), and a Sequence of ByteLevel and one of those; added tokens matched in the
 * raw text or, with normalized: true, in the normalized text, with the ids HF gives them; truncation and padding
 * defaults. The decoder is ignored (xmrbench does not decode).
 */
import { XmrError } from '../errors.js';
import { describeJson, JsonFields, type JsonObject } from '../json-fields.js';
import { parseJsonText } from '../json-text.js';
import type { NativeTokenizerSpec, NativeNormalizerSpec, NativePreTokenizerSpec } from '../native.js';

/** Defaults a tokenizer.json may carry for {@link Tokenizer.encodeBatch}. */
export interface SpecDefaults {
  maxLength?: number;
  truncationSide?: 'left' | 'right';
  padding?: 'longest' | 'max_length';
  paddingSide?: 'left' | 'right';
  padId?: number;
  padTypeId?: number;
}

export interface ParsedSpec {
  spec: NativeTokenizerSpec;
  defaults: SpecDefaults;
}

type Json = JsonObject;

const NORMALIZERS = ['Sequence', 'BertNormalizer', 'NFC', 'NFD', 'NFKC', 'NFKD', 'Lowercase', 'StripAccents', 'Replace', 'Strip', 'Prepend', 'Precompiled'] as const;
const PRE_TOKENIZERS = ['Sequence', 'BertPreTokenizer', 'Whitespace', 'WhitespaceSplit', 'Punctuation', 'Digits', 'Metaspace', 'ByteLevel', 'Split'] as const;
const MODELS = ['WordPiece', 'Unigram', 'BPE'] as const;
// The native tokenizer holds token ids as int32 and type ids in one byte: a larger value in the file
// would wrap (an id of 2^31 to a negative one, a type id of 256 to 0), so it is refused at its field.
const MAX_ID = 2147483646;
const MAX_TYPE_ID = 255;

const POST_PROCESSORS = ['BertProcessing', 'RobertaProcessing', 'TemplateProcessing', 'ByteLevel', 'Sequence'] as const;
/** What a post-processor Sequence may hold (Llama 3's layout: ByteLevel, then one adding special tokens). */
const SEQUENCE_POST_PROCESSORS = ['ByteLevel', 'BertProcessing', 'TemplateProcessing'] as const;

function normalizers(r: JsonFields, v: unknown, path: string, out: NativeNormalizerSpec[]): void {
  if (v === null || v === undefined) return;
  const o = r.object(v, path);
  const type = r.oneOf(o.type, `${path}.type`, NORMALIZERS);
  switch (type) {
    case 'Sequence':
      r.array(o.normalizers, `${path}.normalizers`).forEach((n, i) => normalizers(r, n, `${path}.normalizers[${i}]`, out));
      return;
    case 'BertNormalizer': {
      const lowercase = r.bool(o.lowercase, `${path}.lowercase`, true);
      out.push({
        type: 'bert',
        cleanText: r.bool(o.clean_text, `${path}.clean_text`, true),
        handleChineseChars: r.bool(o.handle_chinese_chars, `${path}.handle_chinese_chars`, true),
        // HF: strip_accents null follows lowercase.
        stripAccents: r.bool(o.strip_accents, `${path}.strip_accents`, lowercase),
        lowercase,
      });
      return;
    }
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      out.push({ type: type.toLowerCase() as 'nfc' });
      return;
    case 'Lowercase':
      out.push({ type: 'lowercase' });
      return;
    case 'StripAccents':
      out.push({ type: 'stripAccents' });
      return;
    case 'Replace': {
      const pattern = r.object(o.pattern, `${path}.pattern`);
      const content = r.string(o.content, `${path}.content`);
      if (pattern.String !== undefined) out.push({ type: 'replace', pattern: r.string(pattern.String, `${path}.pattern.String`), content });
      // CLIP's whitespace clean-up; other regexes would need a regex engine with Oniguruma's semantics.
      else if (pattern.Regex === '\\s+') out.push({ type: 'replaceWhitespace', content });
      // sentencepiece conversions' (XLM-R, mT5): runs of two or more spaces.
      else if (pattern.Regex === ' {2,}') out.push({ type: 'replaceSpaces', content });
      else r.fail(`${path}.pattern`, 'must be a literal {"String": …} pattern or the Regex \\s+ or " {2,}" (other Regex patterns are not supported)');
      return;
    }
    case 'Precompiled':
      out.push({ type: 'precompiled', charsmap: precompiledCharsmap(r, o.precompiled_charsmap, `${path}.precompiled_charsmap`) });
      return;
    case 'Strip':
      out.push({ type: 'strip', left: r.bool(o.strip_left, `${path}.strip_left`, true), right: r.bool(o.strip_right, `${path}.strip_right`, true) });
      return;
    case 'Prepend':
      out.push({ type: 'prepend', prepend: r.string(o.prepend, `${path}.prepend`) });
      return;
  }
}

/**
 * sentencepiece's precompiled_charsmap, base64 as HF writes it (standard alphabet, canonical
 * padding): a little-endian u32 trie size in bytes, the trie, then NUL-terminated UTF-8
 * replacements. Checked here as HF checks it on loading, so a damaged file fails at its field.
 */
function precompiledCharsmap(r: JsonFields, v: unknown, path: string): Uint8Array {
  const text = r.string(v, path);
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || bytes.toString('base64') !== text) r.fail(path, 'must be standard base64 with canonical padding');
  if (bytes.length < 4) r.fail(path, `holds ${bytes.length} bytes, fewer than the 4 of its trie size`);
  const trieBytes = Math.floor(bytes.readUInt32LE(0) / 4) * 4;
  if (trieBytes > bytes.length - 4) r.fail(path, `says its trie has ${trieBytes} bytes, but only ${bytes.length - 4} follow`);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4 + trieBytes));
  } catch {
    r.fail(path, 'has replacement strings that are not valid UTF-8');
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const BEHAVIORS: Record<string, string> = {
  Removed: 'removed',
  Isolated: 'isolated',
  MergedWithPrevious: 'merged_with_previous',
  MergedWithNext: 'merged_with_next',
  Contiguous: 'contiguous',
};

// The Split regexes the native tokenizer matches (tokenizer_bytelevel.cc), exactly as tokenizer.json spells them.
const GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const CLIP_REGEX = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";
// Llama 3's (GPT-4's cl100k_base), and Qwen2's, which takes digits one at a time.
const LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_REGEX = LLAMA3_REGEX.replace('\\p{N}{1,3}', '\\p{N}');
const SPLIT_REGEXES: Record<string, 'gpt2' | 'clip' | 'clipWithSpecials' | 'llama3' | 'qwen2'> = {
  [GPT2_REGEX]: 'gpt2',
  [LLAMA3_REGEX]: 'llama3',
  [QWEN2_REGEX]: 'qwen2',
  [CLIP_REGEX]: 'clip',
  ['<\\|startoftext\\|>|<\\|endoftext\\|>|' + CLIP_REGEX]: 'clipWithSpecials',
};

function preTokenizers(r: JsonFields, v: unknown, path: string, out: NativePreTokenizerSpec[]): void {
  if (v === null || v === undefined) return;
  const o = r.object(v, path);
  const type = r.oneOf(o.type, `${path}.type`, PRE_TOKENIZERS);
  switch (type) {
    case 'Sequence':
      r.array(o.pretokenizers, `${path}.pretokenizers`).forEach((p, i) => preTokenizers(r, p, `${path}.pretokenizers[${i}]`, out));
      return;
    case 'BertPreTokenizer':
      out.push({ type: 'bert' });
      return;
    case 'Whitespace':
      out.push({ type: 'whitespace' });
      return;
    case 'WhitespaceSplit':
      out.push({ type: 'whitespaceSplit' });
      return;
    case 'Punctuation': {
      const b = o.behavior === undefined ? 'Isolated' : r.oneOf(o.behavior, `${path}.behavior`, Object.keys(BEHAVIORS));
      out.push({ type: 'punctuation', behavior: BEHAVIORS[b] as 'isolated' });
      return;
    }
    case 'Digits':
      out.push({ type: 'digits', individualDigits: r.bool(o.individual_digits, `${path}.individual_digits`, false) });
      return;
    case 'Metaspace': {
      const rep = r.string(o.replacement, `${path}.replacement`);
      if ([...rep].length !== 1) r.fail(`${path}.replacement`, `must be a single character, got ${describeJson(rep)}`);
      let scheme: 'always' | 'never' | 'first';
      if (o.prepend_scheme !== undefined) {
        scheme = r.oneOf(o.prepend_scheme, `${path}.prepend_scheme`, ['always', 'never', 'first'] as const);
      } else {
        scheme = r.bool(o.add_prefix_space, `${path}.add_prefix_space`, true) ? 'always' : 'never';
      }
      out.push({ type: 'metaspace', replacement: rep.codePointAt(0)!, prependScheme: scheme, split: r.bool(o.split, `${path}.split`, true) });
      return;
    }
    case 'ByteLevel':
      out.push({ type: 'byteLevel', addPrefixSpace: r.bool(o.add_prefix_space, `${path}.add_prefix_space`, true), useRegex: r.bool(o.use_regex, `${path}.use_regex`, true) });
      return;
    case 'Split': {
      const pattern = r.object(o.pattern, `${path}.pattern`);
      const behavior = BEHAVIORS[r.oneOf(o.behavior, `${path}.behavior`, Object.keys(BEHAVIORS))] as 'isolated';
      const invert = r.bool(o.invert, `${path}.invert`, false);
      if (pattern.String !== undefined) {
        out.push({ type: 'split', pattern: 'literal', literal: r.string(pattern.String, `${path}.pattern.String`), behavior, invert });
        return;
      }
      const known = SPLIT_REGEXES[r.string(pattern.Regex, `${path}.pattern.Regex`)];
      if (known === undefined)
        r.fail(`${path}.pattern.Regex`, `must be GPT-2's, CLIP's, Llama 3's or Qwen2's regex (other Regex patterns are not supported), got ${describeJson(pattern.Regex)}`);
      out.push({ type: 'split', pattern: known, literal: '', behavior, invert });
      return;
    }
  }
}

/**
 * A {token: id} vocabulary as an id-indexed array. Ids need not be contiguous: HF loads files
 * whose ids skip values (tokens removed), so holes are kept as '' and never produced.
 */
function vocabObject(r: JsonFields, v: unknown): { vocab: string[]; ids: Map<string, number> } {
  const obj = r.object(v, 'model.vocab');
  const ids = new Map<string, number>();
  const vocab: string[] = [];
  for (const [token, id] of Object.entries(obj)) {
    r.int(id, `model.vocab[${JSON.stringify(token)}]`);
    const n = id as number;
    if (n >= 0x7fffffff) r.fail(`model.vocab[${JSON.stringify(token)}]`, `must be below 2147483647, got ${n}`);
    if (token === '') r.fail('model.vocab', `must not have the empty string as a token (id ${n})`);
    if (vocab[n] !== undefined) r.fail('model.vocab', `must give each id once (${JSON.stringify(vocab[n])} and ${JSON.stringify(token)} have ${n})`);
    vocab[n] = token;
    ids.set(token, n);
  }
  for (let i = 0; i < vocab.length; i++) vocab[i] ??= '';
  return { vocab, ids };
}

/** The model, and how HF's added vocabulary sees it: token → id, and its size (entries, holes not counted). */
interface ParsedModel {
  model: NativeTokenizerSpec['model'];
  tokenToId(token: string): number | undefined;
  size: number;
}

function unkToken(r: JsonFields, v: unknown, ids: Map<string, number>): number {
  const unk = r.string(v, 'model.unk_token');
  const id = ids.get(unk);
  if (id === undefined) r.fail('model.unk_token', `must be a token of the vocabulary, got ${describeJson(unk)}`);
  return id;
}

/** BPE merges as tokenizer.json writes them: "a b" strings (HF's legacy form) or ["a", "b"] pairs. */
function merges(r: JsonFields, v: unknown): string[] {
  const out: string[] = [];
  r.array(v, 'model.merges').forEach((m, i) => {
    const path = `model.merges[${i}]`;
    if (typeof m === 'string') {
      if (m.startsWith('#version')) return; // HF skips a merges.txt header line
      const parts = m.split(' ');
      if (parts.length !== 2) r.fail(path, `must be two tokens separated by one space, got ${describeJson(m)}`);
      out.push(parts[0]!, parts[1]!);
    } else {
      const pair = r.array(m, path);
      if (pair.length !== 2) r.fail(path, `must be a pair of tokens, got ${pair.length} elements`);
      out.push(r.string(pair[0], `${path}[0]`), r.string(pair[1], `${path}[1]`));
    }
  });
  return out;
}

function model(r: JsonFields, v: unknown): ParsedModel {
  const o = r.object(v, 'model');
  const type = o.type === undefined && o.continuing_subword_prefix !== undefined ? 'WordPiece' : r.oneOf(o.type, 'model.type', MODELS);
  if (type === 'WordPiece') {
    const { vocab, ids } = vocabObject(r, o.vocab);
    return {
      model: {
        type: 'wordpiece',
        vocab,
        unkId: unkToken(r, o.unk_token ?? '[UNK]', ids),
        continuingSubwordPrefix: r.string(o.continuing_subword_prefix ?? '##', 'model.continuing_subword_prefix'),
        maxInputCharsPerWord: r.int(o.max_input_chars_per_word ?? 100, 'model.max_input_chars_per_word', 1),
      },
      tokenToId: (t) => ids.get(t),
      size: ids.size,
    };
  }
  if (type === 'BPE') {
    if (o.dropout !== null && o.dropout !== undefined && o.dropout !== 0)
      r.fail('model.dropout', `must be null (BPE dropout samples merges at random, for training), got ${describeJson(o.dropout)}`);
    const { vocab, ids } = vocabObject(r, o.vocab);
    const optional = (x: unknown, path: string) => (x === null || x === undefined ? '' : r.string(x, path));
    return {
      model: {
        type: 'bpe',
        vocab,
        merges: merges(r, o.merges),
        unkId: o.unk_token === null || o.unk_token === undefined ? -1 : unkToken(r, o.unk_token, ids),
        continuingSubwordPrefix: optional(o.continuing_subword_prefix, 'model.continuing_subword_prefix'),
        endOfWordSuffix: optional(o.end_of_word_suffix, 'model.end_of_word_suffix'),
        fuseUnk: r.bool(o.fuse_unk, 'model.fuse_unk', false),
        byteFallback: r.bool(o.byte_fallback, 'model.byte_fallback', false),
        ignoreMerges: r.bool(o.ignore_merges, 'model.ignore_merges', false),
      },
      tokenToId: (t) => ids.get(t),
      size: ids.size,
    };
  }
  // Unigram
  const list = r.array(o.vocab, 'model.vocab');
  if (list.length === 0) r.fail('model.vocab', 'must have at least 1 element');
  const vocab = new Array<string>(list.length);
  const scores = new Float64Array(list.length);
  const ids = new Map<string, number>();
  list.forEach((e, i) => {
    const pair = r.array(e, `model.vocab[${i}]`);
    vocab[i] = r.string(pair[0], `model.vocab[${i}][0]`);
    if (typeof pair[1] !== 'number' || Number.isNaN(pair[1])) r.fail(`model.vocab[${i}][1]`, `must be a number (a score), got ${describeJson(pair[1])}`);
    scores[i] = pair[1];
    ids.set(vocab[i]!, i);
  });
  const unkId = o.unk_id === null || o.unk_id === undefined ? -1 : r.int(o.unk_id, 'model.unk_id');
  if (unkId >= list.length) r.fail('model.unk_id', `must be below the vocabulary size ${list.length}, got ${unkId}`);
  return {
    model: { type: 'unigram', vocab, scores, unkId, byteFallback: r.bool(o.byte_fallback, 'model.byte_fallback', false) },
    tokenToId: (t) => ids.get(t),
    size: list.length,
  };
}

/**
 * Added tokens with the ids HF gives them, which are not always those the file states: HF's
 * AddedVocabulary.add_tokens (tokenizer/added_vocabulary.rs, run when a tokenizer.json is read)
 * takes the model's id of a token already in the vocabulary, else the next id from the model's
 * size (its number of entries, so a vocabulary with holes hands out ids inside its own range).
 */
function addedTokens(r: JsonFields, v: unknown, m: ParsedModel): NativeTokenizerSpec['addedTokens'] {
  if (v === null || v === undefined) return [];
  const byContent = new Map<string, number>();
  let next = m.size;
  const out: NativeTokenizerSpec['addedTokens'] = [];
  r.array(v, 'added_tokens').forEach((e, i) => {
    const path = `added_tokens[${i}]`;
    const o = r.object(e, path);
    const special = r.bool(o.special, `${path}.special`, false);
    const normalized = r.bool(o.normalized, `${path}.normalized`, !special); // HF's AddedToken default
    if (r.bool(o.single_word, `${path}.single_word`, false)) r.fail(`${path}.single_word`, 'must be false (single_word added tokens are not supported)');
    r.int(o.id, `${path}.id`, 0, MAX_ID);
    const content = r.string(o.content, `${path}.content`);
    if (content === '') return; // HF ignores empty added tokens
    const id = byContent.get(content) ?? m.tokenToId(content) ?? next++;
    byContent.set(content, id);
    out.push({ id, content, lstrip: r.bool(o.lstrip, `${path}.lstrip`, false), rstrip: r.bool(o.rstrip, `${path}.rstrip`, false), normalized });
  });
  return out;
}

function pairId(r: JsonFields, v: unknown, path: string): number {
  const p = r.array(v, path);
  r.string(p[0], `${path}[0]`);
  return r.int(p[1], `${path}[1]`, 0, MAX_ID);
}

function post(r: JsonFields, v: unknown, path = 'post_processor'): NativeTokenizerSpec['post'] {
  const none = { prefix: [], prefixTypes: [], suffix: [], suffixTypes: [], sequenceType: 0 };
  if (v === null || v === undefined) return none;
  const o = r.object(v, path);
  const type = path === 'post_processor' ? r.oneOf(o.type, `${path}.type`, POST_PROCESSORS) : r.oneOf(o.type, `${path}.type`, SEQUENCE_POST_PROCESSORS);
  if (type === 'ByteLevel') {
    // Adds no tokens; trims offsets like RobertaProcessing (pre_tokenizers/byte_level.rs process_offsets).
    return { ...none, trimOffsets: r.bool(o.trim_offsets, `${path}.trim_offsets`, true), addPrefixSpace: r.bool(o.add_prefix_space, `${path}.add_prefix_space`, true) };
  }
  if (type === 'Sequence') {
    // As Llama 3 writes it: ByteLevel offset trimming, then the processor that adds special tokens.
    const list = r.array(o.processors, 'post_processor.processors');
    const parts = list.map((p, i) => ({ type: r.object(p, `post_processor.processors[${i}]`).type, spec: post(r, p, `post_processor.processors[${i}]`) }));
    const byteLevel = parts.filter((p) => p.type === 'ByteLevel');
    const adding = parts.filter((p) => p.type !== 'ByteLevel');
    if (byteLevel.length > 1 || adding.length > 1 || (adding.length === 1 && byteLevel.length === 1 && parts[0]!.type !== 'ByteLevel'))
      r.fail('post_processor.processors', 'must be a ByteLevel processor followed by at most one processor adding special tokens (other sequences are not supported)');
    return { ...(adding[0]?.spec ?? none), trimOffsets: byteLevel[0]?.spec.trimOffsets ?? false, addPrefixSpace: byteLevel[0]?.spec.addPrefixSpace ?? false };
  }
  if (type === 'BertProcessing' || type === 'RobertaProcessing') {
    const cls = pairId(r, o.cls, `${path}.cls`);
    const sep = pairId(r, o.sep, `${path}.sep`);
    const roberta = type === 'RobertaProcessing';
    return {
      prefix: [cls],
      prefixTypes: [0],
      suffix: [sep],
      suffixTypes: [0],
      sequenceType: 0,
      trimOffsets: roberta && r.bool(o.trim_offsets, `${path}.trim_offsets`, true),
      addPrefixSpace: roberta && r.bool(o.add_prefix_space, `${path}.add_prefix_space`, true),
    };
  }
  // TemplateProcessing
  const specials = r.object(o.special_tokens ?? {}, `${path}.special_tokens`);
  const out = { prefix: [] as number[], prefixTypes: [] as number[], suffix: [] as number[], suffixTypes: [] as number[], sequenceType: 0 };
  let seen = false;
  r.array(o.single, `${path}.single`).forEach((piece, i) => {
    const at = `${path}.single[${i}]`;
    const p = r.object(piece, at);
    if (p.Sequence !== undefined) {
      const s = r.object(p.Sequence, `${at}.Sequence`);
      if (s.id !== 'A' || seen) r.fail(`${at}.Sequence`, 'must name sequence A, once (a single-sequence template)');
      out.sequenceType = r.int(s.type_id ?? 0, `${at}.Sequence.type_id`, 0, MAX_TYPE_ID);
      seen = true;
      return;
    }
    const t = r.object(p.SpecialToken, `${at}.SpecialToken`);
    const name = r.string(t.id, `${at}.SpecialToken.id`);
    const typeId = r.int(t.type_id ?? 0, `${at}.SpecialToken.type_id`, 0, MAX_TYPE_ID);
    const entry = r.object(specials[name], `${path}.special_tokens[${JSON.stringify(name)}]`);
    for (const [j, id] of r.array(entry.ids, `${path}.special_tokens[${JSON.stringify(name)}].ids`).entries()) {
      (seen ? out.suffix : out.prefix).push(r.int(id, `${path}.special_tokens[${JSON.stringify(name)}].ids[${j}]`, 0, MAX_ID));
      (seen ? out.suffixTypes : out.prefixTypes).push(typeId);
    }
  });
  if (!seen) r.fail(`${path}.single`, 'must name sequence A');
  return out;
}

function defaults(r: JsonFields, json: Json): SpecDefaults {
  const d: SpecDefaults = {};
  if (json.truncation !== null && json.truncation !== undefined) {
    const t = r.object(json.truncation, 'truncation');
    d.maxLength = r.int(t.max_length, 'truncation.max_length', 1);
    if (t.direction === 'Left') d.truncationSide = 'left';
    if (t.stride !== undefined && t.stride !== 0) r.fail('truncation.stride', `must be 0 (overflowing windows are not supported), got ${describeJson(t.stride)}`);
  }
  if (json.padding !== null && json.padding !== undefined) {
    const p = r.object(json.padding, 'padding');
    if (p.strategy === 'BatchLongest') d.padding = 'longest';
    else {
      const fixed = r.object(p.strategy, 'padding.strategy');
      d.padding = 'max_length';
      d.maxLength ??= r.int(fixed.Fixed, 'padding.strategy.Fixed', 1);
    }
    if (p.direction === 'Left') d.paddingSide = 'left';
    if (p.pad_to_multiple_of !== null && p.pad_to_multiple_of !== undefined) r.fail('padding.pad_to_multiple_of', `must be null (padding to a multiple is not supported), got ${describeJson(p.pad_to_multiple_of)}`);
    if (p.pad_id !== undefined) d.padId = r.int(p.pad_id, 'padding.pad_id', 0, MAX_ID);
    if (p.pad_type_id !== undefined) d.padTypeId = r.int(p.pad_type_id, 'padding.pad_type_id', 0, MAX_TYPE_ID);
  }
  return d;
}

/** Parses the text of a tokenizer.json; `file` names it in errors. */
export function parseTokenizerJson(text: string, file: string): ParsedSpec {
  const r = new JsonFields(file);
  const json = r.object(parseJsonText(text, { file }), '$');
  const norm: NativeNormalizerSpec[] = [];
  normalizers(r, json.normalizer, 'normalizer', norm);
  const pre: NativePreTokenizerSpec[] = [];
  preTokenizers(r, json.pre_tokenizer, 'pre_tokenizer', pre);
  const m = model(r, json.model);
  const spec: NativeTokenizerSpec = { normalizers: norm, preTokenizers: pre, model: m.model, addedTokens: addedTokens(r, json.added_tokens, m), post: post(r, json.post_processor) };
  const d = defaults(r, json);
  if (d.padId === undefined) {
    // The pad token, from the added (special) tokens first, as HF's id for it.
    const names = ['[PAD]', '<pad>', '<|pad|>'];
    const pad = spec.addedTokens.find((a) => names.includes(a.content))?.id ?? spec.model.vocab.findIndex((t) => names.includes(t));
    if (pad >= 0) d.padId = pad;
  }
  return { spec, defaults: d };
}

export interface VocabOptions {
  /** Lower-case (and, unless stripAccents says otherwise, strip accents): BERT uncased. Default true. */
  lowercase?: boolean;
  /** Default: follows lowercase (HF's BertNormalizer). */
  stripAccents?: boolean;
  /** Default true. */
  handleChineseChars?: boolean;
}

/** A BERT tokenizer from the text of a vocab.txt (one token per line, id = line number), as HF's BertWordPieceTokenizer builds it. */
export function parseVocabTxt(text: string, file: string, options: VocabOptions = {}): ParsedSpec {
  const vocab = text.split(/\r?\n/);
  if (vocab.length > 0 && vocab[vocab.length - 1] === '') vocab.pop();
  const index = new Map<string, number>();
  vocab.forEach((t, i) => {
    if (t === '') throw new XmrError('E_PARSE', 'empty token', { file, line: i + 1 });
    index.set(t, i);
  });
  const need = (t: string): number => {
    const id = index.get(t);
    if (id === undefined) throw new XmrError('E_MISSING', `the vocabulary has no ${t} token`, { file });
    return id;
  };
  const lowercase = options.lowercase ?? true;
  const unkId = need('[UNK]');
  const cls = need('[CLS]');
  const sep = need('[SEP]');
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((t) => index.has(t));
  const spec: NativeTokenizerSpec = {
    normalizers: [{ type: 'bert', cleanText: true, handleChineseChars: options.handleChineseChars ?? true, stripAccents: options.stripAccents ?? lowercase, lowercase }],
    preTokenizers: [{ type: 'bert' }],
    model: { type: 'wordpiece', vocab, unkId, continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 },
    addedTokens: specials.map((t) => ({ id: index.get(t)!, content: t, lstrip: false, rstrip: false })),
    post: { prefix: [cls], prefixTypes: [0], suffix: [sep], suffixTypes: [0], sequenceType: 0 },
  };
  const pad = index.get('[PAD]');
  return { spec, defaults: pad === undefined ? {} : { padId: pad } };
}
