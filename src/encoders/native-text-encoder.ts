/**
 * The native dual encoder as an {@link Encoder} of texts: tokenize (src/tokenize, no special tokens:
 * they would add one constant to every mean), then encode natively (dual-encoder-model.ts), both in
 * one native call (DualEncoder.encodeTexts). The
 * model is Siamese, so queries and documents are encoded alike; rows are L2-normalised.
 */
import { positiveInteger } from '../args.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import { DualEncoder, sequencesFromBatch, type Sequences } from './dual-encoder-model.js';
import type { Encoder, EncoderCallOptions } from './encoder.js';

export interface NativeTextEncoderOptions {
  /** Tokens kept per text (truncation); default 128. */
  maxLength?: number;
  /** Threads for tokenization and encoding when a call does not say; default 1. */
  threads?: number;
}

/** Tokenizes texts into ragged sequences, as the dual encoder reads them (training and encoding alike). */
export async function tokenizeTexts(tokenizer: Tokenizer, texts: string[], options: { maxLength: number; threads: number }): Promise<Sequences> {
  const batch = await tokenizer.encodeBatch(texts, { addSpecialTokens: false, padding: false, maxLength: options.maxLength, threads: options.threads });
  return sequencesFromBatch(batch);
}

export class NativeTextEncoder implements Encoder<string> {
  readonly modality = 'text' as const;
  readonly normalized = true;
  readonly maxLength: number;
  readonly threads: number;

  constructor(
    readonly model: DualEncoder,
    readonly tokenizer: Tokenizer,
    options: NativeTextEncoderOptions = {},
  ) {
    if (!(model instanceof DualEncoder)) throw new TypeError('model must be a DualEncoder');
    if (tokenizer === null || typeof tokenizer !== 'object' || typeof (tokenizer as Tokenizer).encodeBatch !== 'function')
      throw new TypeError('tokenizer must be a Tokenizer');
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    this.maxLength = options.maxLength === undefined ? 128 : positiveInteger(options.maxLength, 'maxLength');
    this.threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  }

  get dim(): number {
    return this.model.outDim;
  }

  async encode(texts: readonly string[], options: EncoderCallOptions = {}): Promise<Float32Array> {
    const threads = options.threads === undefined ? this.threads : positiveInteger(options.threads, 'threads');
    const out = await this.model.encodeTexts(this.tokenizer, [...texts], { maxLength: this.maxLength, threads });
    options.onProgress?.(texts.length, texts.length); // one native call: done at once
    return out;
  }
}
