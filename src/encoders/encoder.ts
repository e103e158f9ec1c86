/**
 * The encoder interface (issue 10): inputs in, one row-major Float32Array of n × dim out (row i
 * encodes inputs[i]). Rankers see only this, whichever model is behind it: the native dual encoder
 * (native-text-encoder.ts) or an ONNX model (onnx-text.ts, onnx-image.ts).
 */

/** Which side of a retrieval pair the inputs are (E5's 'query: ' / 'passage: ' prefixes differ by role). */
export type EncodeRole = 'query' | 'document';

export interface EncoderCallOptions {
  /** Default 'document'; a Siamese encoder ignores it. */
  role?: EncodeRole;
  /** Threads for this call (≥ 1); default: the encoder's own. */
  threads?: number;
}

export interface Encoder<Input> {
  readonly modality: 'text' | 'image';
  /** Coordinates per encoding. */
  readonly dim: number;
  /** Whether every row has L2 norm 1 (or is zero), so inner products are cosines. */
  readonly normalized: boolean;
  encode(inputs: readonly Input[], options?: EncoderCallOptions): Promise<Float32Array>;
}
