/**
 * Reads a Hugging Face `tokenizer.json` (or a BERT `vocab.txt`) into the flat spec the native
 * tokenizer is built from. Every component is checked here: one the native tokenizer does not
 * implement is an XmrError naming the file and the JSON path of the component (for example
 * `tokenizer.json: normalizer.normalizers[0].type must be one of Sequence, …, got "Precompiled"`) —
 * never a silent mis-tokenization.
 *
 * Supported: normalizers BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents,
 * Replace (literal pattern), Strip, Prepend, Sequence; pre-tokenizers BertPreTokenizer,
 * Whitespace, WhitespaceSplit, Metaspace, Punctuation, Digits, Sequence; models WordPiece and
 * Unigram; post-processors BertProcessing, RobertaProcessing, TemplateProcessing (single
 * sequences); added tokens matched in the raw text (normalized: false, or special); truncation
 * and padding defaults. The decoder is ignored (xmrbench does not decode).
 */
import { XmrError } from '../errors.js';
import { describeJson, JsonFields, type JsonObject } from '../json-fields.js';
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

const NORMALIZERS = ['Sequence', 'BertNormalizer', 'NFC', 'NFD', 'NFKC', 'NFKD', 'Lowercase', 'StripAccents', 'Replace', 'Strip', 'Prepend'] as const;
const PRE_TOKENIZERS = ['Sequence', 'BertPreTokenizer', 'Whitespace', 'WhitespaceSplit', 'Punctuation', 'Digits', 'Metaspace'] as const;
const MODELS = ['WordPiece', 'Unigram'] as const;
const POST_PROCESSORS = ['BertProcessing', 'RobertaProcessing', 'TemplateProcessing'] as const;

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
      if (pattern.String === undefined) r.fail(`${path}.pattern`, 'must be a literal {"String": …} pattern (Regex patterns are not supported)');
      out.push({ type: 'replace', pattern: r.string(pattern.String, `${path}.pattern.String`), content: r.string(o.content, `${path}.content`) });
      return;
    }
    case 'Strip':
      out.push({ type: 'strip', left: r.bool(o.strip_left, `${path}.strip_left`, true), right: r.bool(o.strip_right, `${path}.strip_right`, true) });
      return;
    case 'Prepend':
      out.push({ type: 'prepend', prepend: r.string(o.prepend, `${path}.prepend`) });
      return;
  }
}

const BEHAVIORS: Record<string, string> = {
  Removed: 'removed',
  Isolated: 'isolated',
  MergedWithPrevious: 'merged_with_previous',
  MergedWithNext: 'merged_with_next',
  Contiguous: 'contiguous',
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
  }
}

function model(r: JsonFields, v: unknown): NativeTokenizerSpec['model'] {
  const o = r.object(v, 'model');
  const type = o.type === undefined && o.continuing_subword_prefix !== undefined ? 'WordPiece' : r.oneOf(o.type, 'model.type', MODELS);
  if (type === 'WordPiece') {
    const vocabObj = r.object(o.vocab, 'model.vocab');
    const entries = Object.entries(vocabObj);
    const vocab = new Array<string>(entries.length);
    for (const [token, id] of entries) {
      r.int(id, `model.vocab[${JSON.stringify(token)}]`);
      if ((id as number) >= entries.length || vocab[id as number] !== undefined)
        r.fail('model.vocab', `must give the ids 0…${entries.length - 1}, each once (${JSON.stringify(token)} has ${id})`);
      vocab[id as number] = token;
    }
    const unk = r.string(o.unk_token ?? '[UNK]', 'model.unk_token');
    const unkId = vocabObj[unk];
    if (unkId === undefined) r.fail('model.unk_token', `must be a token of the vocabulary, got ${describeJson(unk)}`);
    return {
      type: 'wordpiece',
      vocab,
      unkId: unkId as number,
      continuingSubwordPrefix: r.string(o.continuing_subword_prefix ?? '##', 'model.continuing_subword_prefix'),
      maxInputCharsPerWord: r.int(o.max_input_chars_per_word ?? 100, 'model.max_input_chars_per_word', 1),
    };
  }
  // Unigram
  const list = r.array(o.vocab, 'model.vocab');
  if (list.length === 0) r.fail('model.vocab', 'must have at least 1 element');
  const vocab = new Array<string>(list.length);
  const scores = new Float64Array(list.length);
  list.forEach((e, i) => {
    const pair = r.array(e, `model.vocab[${i}]`);
    vocab[i] = r.string(pair[0], `model.vocab[${i}][0]`);
    if (typeof pair[1] !== 'number' || Number.isNaN(pair[1])) r.fail(`model.vocab[${i}][1]`, `must be a number (a score), got ${describeJson(pair[1])}`);
    scores[i] = pair[1];
  });
  const unkId = o.unk_id === null || o.unk_id === undefined ? -1 : r.int(o.unk_id, 'model.unk_id');
  if (unkId >= list.length) r.fail('model.unk_id', `must be below the vocabulary size ${list.length}, got ${unkId}`);
  return { type: 'unigram', vocab, scores, unkId, byteFallback: r.bool(o.byte_fallback, 'model.byte_fallback', false) };
}

function addedTokens(r: JsonFields, v: unknown): NativeTokenizerSpec['addedTokens'] {
  if (v === null || v === undefined) return [];
  return r.array(v, 'added_tokens').map((e, i) => {
    const path = `added_tokens[${i}]`;
    const o = r.object(e, path);
    const special = r.bool(o.special, `${path}.special`, false);
    if (r.bool(o.normalized, `${path}.normalized`, !special) && !special)
      r.fail(`${path}.normalized`, 'must be false (added tokens matched after normalization are not supported)');
    if (r.bool(o.single_word, `${path}.single_word`, false)) r.fail(`${path}.single_word`, 'must be false (single_word added tokens are not supported)');
    return {
      id: r.int(o.id, `${path}.id`),
      content: r.string(o.content, `${path}.content`),
      lstrip: r.bool(o.lstrip, `${path}.lstrip`, false),
      rstrip: r.bool(o.rstrip, `${path}.rstrip`, false),
    };
  });
}

function pairId(r: JsonFields, v: unknown, path: string): number {
  const p = r.array(v, path);
  r.string(p[0], `${path}[0]`);
  return r.int(p[1], `${path}[1]`);
}

function post(r: JsonFields, v: unknown): NativeTokenizerSpec['post'] {
  const none = { prefix: [], prefixTypes: [], suffix: [], suffixTypes: [], sequenceType: 0 };
  if (v === null || v === undefined) return none;
  const o = r.object(v, 'post_processor');
  const type = r.oneOf(o.type, 'post_processor.type', POST_PROCESSORS);
  if (type === 'BertProcessing' || type === 'RobertaProcessing') {
    const cls = pairId(r, o.cls, 'post_processor.cls');
    const sep = pairId(r, o.sep, 'post_processor.sep');
    const roberta = type === 'RobertaProcessing';
    return {
      prefix: [cls],
      prefixTypes: [0],
      suffix: [sep],
      suffixTypes: [0],
      sequenceType: 0,
      trimOffsets: roberta && r.bool(o.trim_offsets, 'post_processor.trim_offsets', true),
      addPrefixSpace: roberta && r.bool(o.add_prefix_space, 'post_processor.add_prefix_space', true),
    };
  }
  // TemplateProcessing
  const specials = r.object(o.special_tokens ?? {}, 'post_processor.special_tokens');
  const out = { prefix: [] as number[], prefixTypes: [] as number[], suffix: [] as number[], suffixTypes: [] as number[], sequenceType: 0 };
  let seen = false;
  r.array(o.single, 'post_processor.single').forEach((piece, i) => {
    const path = `post_processor.single[${i}]`;
    const p = r.object(piece, path);
    if (p.Sequence !== undefined) {
      const s = r.object(p.Sequence, `${path}.Sequence`);
      if (s.id !== 'A' || seen) r.fail(`${path}.Sequence`, 'must name sequence A, once (a single-sequence template)');
      out.sequenceType = r.int(s.type_id ?? 0, `${path}.Sequence.type_id`);
      seen = true;
      return;
    }
    const t = r.object(p.SpecialToken, `${path}.SpecialToken`);
    const name = r.string(t.id, `${path}.SpecialToken.id`);
    const typeId = r.int(t.type_id ?? 0, `${path}.SpecialToken.type_id`);
    const entry = r.object(specials[name], `post_processor.special_tokens[${JSON.stringify(name)}]`);
    for (const [j, id] of r.array(entry.ids, `post_processor.special_tokens[${JSON.stringify(name)}].ids`).entries()) {
      (seen ? out.suffix : out.prefix).push(r.int(id, `post_processor.special_tokens[${JSON.stringify(name)}].ids[${j}]`));
      (seen ? out.suffixTypes : out.prefixTypes).push(typeId);
    }
  });
  if (!seen) r.fail('post_processor.single', 'must name sequence A');
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
    if (p.pad_id !== undefined) d.padId = r.int(p.pad_id, 'padding.pad_id');
    if (p.pad_type_id !== undefined) d.padTypeId = r.int(p.pad_type_id, 'padding.pad_type_id');
  }
  return d;
}

/** Parses the text of a tokenizer.json; `file` names it in errors. */
export function parseTokenizerJson(text: string, file: string): ParsedSpec {
  const r = new JsonFields(file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new XmrError('E_PARSE', `invalid JSON: ${(e as Error).message}`, { file });
  }
  const json = r.object(raw, '$');
  const norm: NativeNormalizerSpec[] = [];
  normalizers(r, json.normalizer, 'normalizer', norm);
  const pre: NativePreTokenizerSpec[] = [];
  preTokenizers(r, json.pre_tokenizer, 'pre_tokenizer', pre);
  const spec: NativeTokenizerSpec = { normalizers: norm, preTokenizers: pre, model: model(r, json.model), addedTokens: addedTokens(r, json.added_tokens), post: post(r, json.post_processor) };
  const d = defaults(r, json);
  if (d.padId === undefined) {
    const pad = spec.model.vocab.findIndex((t) => t === '[PAD]' || t === '<pad>');
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
