/**
 * The tokenizer: Hugging Face-compatible WordPiece, Unigram and byte-level BPE tokenization in native code, a
 * whole batch per call, split over threads, straight into flat typed arrays (ready for the native
 * models, or as BigInt64Arrays for ONNX Runtime's int64 inputs).
 *
 * Results equal those of Hugging Face `tokenizers` for the supported components (see
 * src/tokenize/spec.ts), with one deliberate difference: offsets are in UTF-16 code units — what
 * `text.slice(start, end)` expects — where the `tokenizers` npm package reports code points (they
 * differ only after a character outside the Basic Multilingual Plane, such as most emoji).
 */
import { readFileSync } from 'node:fs';
import { XmrError } from '../errors.js';
import { native, type NativeBatchEncoding, type NativeEncodeOptions, type NativeTokenizer, type NativeTokenizerSpec } from '../native.js';
import { parseTokenizerJson, parseVocabTxt, type SpecDefaults, type VocabOptions } from './spec.js';
import { nonNegativeInteger, positiveInteger } from '../args.js';

export interface EncodeOptions {
  /** Truncate to this many tokens, special tokens included (default: the tokenizer.json's truncation, else none). */
  maxLength?: number;
  /** Default: the tokenizer.json's padding, else false. 'max_length' needs maxLength. */
  padding?: 'longest' | 'max_length' | false;
  /** Add the post-processor's special tokens ([CLS] … [SEP]); default true. */
  addSpecialTokens?: boolean;
  /** Also return (start, end) UTF-16 offsets per token; default false. */
  offsets?: boolean;
  /** Also return token type ids; default false. */
  typeIds?: boolean;
  /** ids, attentionMask and typeIds as BigInt64Array (ONNX int64 inputs); default false. */
  int64?: boolean;
  /** Threads for this call (≥ 1); default 1. */
  threads?: number;
  truncationSide?: 'left' | 'right';
  paddingSide?: 'left' | 'right';
}

/**
 * A batch, row-major. Padded (padding 'longest' or 'max_length'): `rows × cols` arrays, padding
 * has attention 0, the pad id and offsets (0, 0). Not padded: the rows one after another
 * (`cols` = 0), delimited by `lengths`. `lengths[i]` counts row i's tokens without padding.
 */
export interface BatchEncoding<I extends Int32Array | BigInt64Array = Int32Array | BigInt64Array> {
  rows: number;
  cols: number;
  ids: I;
  attentionMask: I extends BigInt64Array ? BigInt64Array : Uint8Array;
  typeIds?: I extends BigInt64Array ? BigInt64Array : Uint8Array;
  /** (start, end) per token: offsets[2k], offsets[2k + 1]. */
  offsets?: Uint32Array;
  lengths: Uint32Array;
}

/** One text: its ids and (start, end) UTF-16 offsets per token. */
export interface Encoding {
  ids: Int32Array;
  offsets: Uint32Array;
}


function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${typeof value}`);
  return value;
}

function side(value: unknown, name: string, fallback: 'left' | 'right'): 'left' | 'right' {
  if (value === undefined) return fallback;
  if (value !== 'left' && value !== 'right') throw new TypeError(`${name} must be 'left' or 'right', got ${String(value)}`);
  return value;
}

/** @internal The check of a texts argument (encodeBatch; DualEncoder.encodeTexts). */
export function checkTexts(value: unknown): string[] {
  if (!Array.isArray(value)) throw new TypeError(`texts must be an array of strings, got ${value === null ? 'null' : typeof value}`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') throw new TypeError(`texts[${i}] must be a string, got ${typeof value[i]}`);
  }
  return value as string[];
}

export class Tokenizer {
  /** @internal */
  readonly handle: NativeTokenizer;
  /** Defaults from the tokenizer.json (truncation, padding, pad id). */
  readonly defaults: Readonly<SpecDefaults>;
  /** Special tokens added around each text (0 without a post-processor). */
  readonly specialTokensAdded: number;

  private constructor(spec: NativeTokenizerSpec, defaults: SpecDefaults, file: string) {
    try {
      this.handle = new (native().Tokenizer)(spec);
    } catch (e) {
      if (e instanceof XmrError) throw e;
      throw new XmrError('E_CONFIG', (e as Error).message, { file });
    }
    this.defaults = defaults;
    this.specialTokensAdded = spec.post.prefix.length + spec.post.suffix.length;
  }

  /** Loads a Hugging Face tokenizer.json. */
  static fromFile(path: string): Tokenizer {
    return Tokenizer.fromJson(readText(path), path);
  }

  /** Builds a tokenizer from the text of a tokenizer.json; `file` names it in errors. */
  static fromJson(json: string, file = '<tokenizer.json>'): Tokenizer {
    const { spec, defaults } = parseTokenizerJson(json, file);
    return new Tokenizer(spec, defaults, file);
  }

  /** A BERT WordPiece tokenizer from a vocab.txt (uncased by default; `{ lowercase: false }` for cased). */
  static fromVocabFile(path: string, options: VocabOptions = {}): Tokenizer {
    const { spec, defaults } = parseVocabTxt(readText(path), path, options);
    return new Tokenizer(spec, defaults, path);
  }

  /** 1 + the largest id the tokenizer can produce (model vocabulary and added tokens; ids skipped by the file count). */
  get vocabSize(): number {
    return this.handle.vocabSize;
  }

  /** The token string of an id ('' when there is none). */
  idToToken(id: number): string {
    nonNegativeInteger(id, 'id');
    return this.handle.idToToken(id);
  }

  /** The text after the normalizers (as HF's `normalizer.normalizeString`). */
  normalize(text: string): string {
    if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
    return this.handle.normalize(text);
  }

  /** The words after normalizers and pre-tokenizers, each with its UTF-16 [start, end) in `text`. */
  preTokenize(text: string): [word: string, start: number, end: number][] {
    if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
    return this.handle.preTokenize(text);
  }

  /** One text, with special tokens unless told otherwise; no truncation or padding. */
  encode(text: string, options: { addSpecialTokens?: boolean } = {}): Encoding {
    if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
    return this.handle.encode(text, flag(options.addSpecialTokens, 'addSpecialTokens', true));
  }

  /** A batch on worker threads (the event loop stays free). Strings are read before this returns. */
  encodeBatch(input: string[], options: EncodeOptions & { int64: true }): Promise<BatchEncoding<BigInt64Array>>;
  encodeBatch(input: string[], options?: EncodeOptions): Promise<BatchEncoding<Int32Array>>;
  encodeBatch(input: string[], options: EncodeOptions = {}): Promise<BatchEncoding> {
    try {
      return this.handle.encodeBatch(checkTexts(input), this.nativeOptions(options)) as Promise<BatchEncoding>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** {@link encodeBatch} on the calling thread (plus `threads` − 1 helpers): the same result. */
  encodeBatchSync(input: string[], options: EncodeOptions & { int64: true }): BatchEncoding<BigInt64Array>;
  encodeBatchSync(input: string[], options?: EncodeOptions): BatchEncoding<Int32Array>;
  encodeBatchSync(input: string[], options: EncodeOptions = {}): BatchEncoding {
    return this.handle.encodeBatchSync(checkTexts(input), this.nativeOptions(options)) as NativeBatchEncoding as BatchEncoding;
  }

  /** @internal The options of a call as the native side reads them (also DualEncoder.encodeTexts). */
  nativeOptions(o: EncodeOptions): NativeEncodeOptions {
    if (o === null || typeof o !== 'object') throw new TypeError('options must be an object');
    const d = this.defaults;
    const maxLength = o.maxLength === undefined ? (d.maxLength ?? 0) : positiveInteger(o.maxLength, 'maxLength');
    const padding = o.padding === undefined ? (d.padding ?? false) : o.padding;
    if (padding !== false && padding !== 'longest' && padding !== 'max_length')
      throw new TypeError(`padding must be 'longest', 'max_length' or false, got ${String(padding)}`);
    if (padding === 'max_length' && maxLength === 0) throw new RangeError("padding 'max_length' needs maxLength");
    const addSpecialTokens = flag(o.addSpecialTokens, 'addSpecialTokens', true);
    if (maxLength > 0 && addSpecialTokens && maxLength < this.specialTokensAdded)
      throw new RangeError(`maxLength must be ≥ ${this.specialTokensAdded} (the special tokens added to each text), got ${maxLength}`);
    return {
      maxLength,
      truncationSide: side(o.truncationSide, 'truncationSide', d.truncationSide ?? 'right'),
      padding: padding === false ? 'none' : padding,
      paddingSide: side(o.paddingSide, 'paddingSide', d.paddingSide ?? 'right'),
      padId: d.padId ?? 0,
      padTypeId: d.padTypeId ?? 0,
      addSpecialTokens,
      offsets: flag(o.offsets, 'offsets', false),
      typeIds: flag(o.typeIds, 'typeIds', false),
      int64: flag(o.int64, 'int64', false),
      threads: o.threads === undefined ? 1 : positiveInteger(o.threads, 'threads'),
    };
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XmrError(code === 'ENOENT' ? 'E_MISSING' : 'E_IO', code === 'ENOENT' ? 'no such file' : (e as Error).message, { file: path });
  }
}
