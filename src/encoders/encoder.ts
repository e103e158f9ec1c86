/**
 * The encoder interface: what rankers, training and the study see of any model that turns inputs
 * into vectors. Texts today (the native dual encoder, native-text-encoder.ts); image towers and
 * ONNX models implement the same interface, so a ranker never knows which model it holds.
 *
 * Output: one row-major Float32Array of n × dim (row i encodes inputs[i]) — the flat layout every
 * native kernel takes (src/search/topk.ts), with no per-row arrays on the way.
 */

/** Which side of a retrieval pair the inputs are: asymmetric models (E5's "query: " prefix, CLIP's text and image towers) differ by role. */
export type EncodeRole = 'query' | 'document';

export interface EncoderCallOptions {
  /** Default 'document'; a Siamese encoder ignores it. */
  role?: EncodeRole;
  /** Threads for this call (≥ 1); default: the encoder's own. */
  threads?: number;
  /**
   * Called as inputs are encoded, with the count so far and the total (after each batch, and once
   * at the end), so a progress bar keeps moving; encoders whose model runs off the main thread
   * (onnxruntime's workers, the addon's async jobs) leave the event loop free to draw it.
   */
  onProgress?: (done: number, total: number) => void;
}

export interface Encoder<Input> {
  /** What the inputs are. */
  readonly modality: 'text' | 'image';
  /** Coordinates per encoding. */
  readonly dim: number;
  /** Whether every row has L2 norm 1 (or is the zero vector), so inner products are cosines. */
  readonly normalized: boolean;
  /** Encodes the inputs as one n × dim row-major array. */
  encode(inputs: readonly Input[], options?: EncoderCallOptions): Promise<Float32Array>;
}
