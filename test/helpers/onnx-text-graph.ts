import { OnnxGraph } from '../../src/export/onnx-writer.js';

/**
 * A text graph with a per-token output, like a transformer's: inputs input_ids, attention_mask,
 * token_type_ids (int64, batch × seq), and position_ids when P is given; output last_hidden_state
 * (batch × seq × dim) with
 *   h_t = E[id_t] + T[type_t] (+ P[position_t]) + Σ_{s ≥ t, mask_s = 1} E[id_s]
 * so the first token's state depends on the whole text (as [CLS]'s does) and padding positions
 * hold nonzero values (pooling must mask them out). {@link hiddenStates} computes the same by hand.
 * The sentence-transformers layout names it token_embeddings and adds sentence_embedding = h_0.
 */
export function textGraphWithHiddenStates(E: Float32Array, T: Float32Array, vocab: number, dim: number, layout: 'transformers' | 'sentence-transformers' = 'transformers', P?: Float32Array): OnnxGraph {
  const g = new OnnxGraph('test_hidden_states');
  g.input('input_ids', 'int64', ['batch', 'sequence']);
  g.input('attention_mask', 'int64', ['batch', 'sequence']);
  g.input('token_type_ids', 'int64', ['batch', 'sequence']);
  if (P !== undefined) {
    // a decoder export's position_ids: h_t gains P[position_t]
    g.input('position_ids', 'int64', ['batch', 'sequence']);
    g.constant('P', P, [P.length / dim, dim]);
    g.node('Gather', ['P', 'position_ids'], ['positions']);
  }
  g.constant('E', E, [vocab, dim]);
  g.constant('T', T, [T.length / dim, dim]);
  g.constant('axis1', BigInt64Array.of(1n), []);
  g.constant('axis2', BigInt64Array.of(2n), [1]);
  g.node('Gather', ['E', 'input_ids'], ['tokens']);
  g.node('Gather', ['T', 'token_type_ids'], ['types']);
  g.node('Cast', ['attention_mask'], ['mask'], { to: { int: 1 } });
  g.node('Unsqueeze', ['mask', 'axis2'], ['mask3']);
  g.node('Mul', ['tokens', 'mask3'], ['masked']);
  g.node('CumSum', ['masked', 'axis1'], ['suffix'], { reverse: { int: 1 } });
  g.node('Add', ['tokens', 'types'], [P === undefined ? 'local' : 'typed']);
  if (P !== undefined) g.node('Add', ['typed', 'positions'], ['local']);
  if (layout === 'transformers') {
    g.node('Add', ['local', 'suffix'], ['last_hidden_state']);
    g.output('last_hidden_state', 'float32', ['batch', 'sequence', dim]);
    return g;
  }
  // optimum's sentence-transformers layout: token_embeddings and a pooled sentence_embedding —
  // here the first token's state, so a test can tell which output was used.
  g.node('Add', ['local', 'suffix'], ['token_embeddings']);
  g.constant('first', BigInt64Array.of(0n), []);
  g.node('Gather', ['token_embeddings', 'first'], ['sentence_embedding'], { axis: { int: 1 } });
  g.output('token_embeddings', 'float32', ['batch', 'sequence', dim]);
  g.output('sentence_embedding', 'float32', ['batch', dim]);
  return g;
}

/** The graph's last_hidden_state for one unpadded text (type ids all 0; positions 0, 1, … with P): len × dim. */
export function hiddenStates(ids: ArrayLike<number>, E: Float32Array, T: Float32Array, dim: number, P?: Float32Array): Float64Array[] {
  const h: Float64Array[] = [];
  for (let t = 0; t < ids.length; t++) {
    const v = new Float64Array(dim);
    for (let j = 0; j < dim; j++) {
      v[j] = E[ids[t]! * dim + j]! + T[j]! + (P === undefined ? 0 : P[t * dim + j]!);
      for (let s = t; s < ids.length; s++) v[j] = v[j]! + E[ids[s]! * dim + j]!;
    }
    h.push(v);
  }
  return h;
}
