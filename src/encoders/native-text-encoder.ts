/**
 * The native dual encoder as an {@link Encoder} of texts: tokenized without special tokens (as
 * training does), encoded natively; Siamese, so the role is ignored; rows L2-normalised.
 */
import { positiveInteger } from '../args.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import { DualEncoder, sequencesFromBatch } from '../train/dual-encoder.js';
import type { Encoder, EncoderCallOptions } from './encoder.js';

export class NativeTextEncoder implements Encoder<string> {
  readonly modality = 'text' as const;
  readonly normalized = true;
  readonly maxLength: number;
  readonly threads: number;

  constructor(
    readonly model: DualEncoder,
    readonly tokenizer: Tokenizer,
    options: { maxLength?: number; threads?: number } = {},
  ) {
    if (!(model instanceof DualEncoder)) throw new TypeError('model must be a DualEncoder');
    this.maxLength = options.maxLength === undefined ? 128 : positiveInteger(options.maxLength, 'maxLength');
    this.threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
  }

  get dim(): number {
    return this.model.outDim;
  }

  async encode(texts: readonly string[], options: EncoderCallOptions = {}): Promise<Float32Array> {
    const threads = options.threads === undefined ? this.threads : positiveInteger(options.threads, 'threads');
    const batch = await this.tokenizer.encodeBatch([...texts], { addSpecialTokens: false, padding: false, maxLength: this.maxLength, threads });
    return this.model.encode(sequencesFromBatch(batch), { threads });
  }
}
