/**
 * A small image tower written with the ONNX writer, for tests and benchmarks of the ONNX image
 * encoder until the native image tower can be exported: pixel_values (n × 3 × size × size, float32)
 * → Conv (dim filters of patch × patch, stride patch: a patch embedding, as ViT's first layer) →
 * Relu → GlobalAveragePool → Flatten → image_embeds (n × dim). Weights ~ N(0, 1/(3·patch²)),
 * seeded.
 */
import { randn } from '../random.js';
import { positiveInteger } from '../args.js';
import { OnnxGraph } from './onnx-writer.js';

export interface ToyImageGraphOptions {
  /** Input side (pixels); default 224. */
  size?: number;
  /** Patch side and stride; default 16. */
  patch?: number;
  /** Embedding size; default 64. */
  dim?: number;
  seed?: number;
}

export function toyImageGraph(options: ToyImageGraphOptions = {}): OnnxGraph {
  const size = positiveInteger(options.size ?? 224, 'size');
  const patch = positiveInteger(options.patch ?? 16, 'patch');
  const dim = positiveInteger(options.dim ?? 64, 'dim');
  if (patch > size) throw new RangeError(`patch must be ≤ size (${size}), got ${patch}`);
  const fanIn = 3 * patch * patch;
  const W = randn(dim * fanIn, options.seed ?? 0).map((x) => x / Math.sqrt(fanIn));
  const g = new OnnxGraph('toy_image_tower');
  g.input('pixel_values', 'float32', ['batch', 3, size, size]);
  g.constant('W', W, [dim, 3, patch, patch]);
  g.constant('B', new Float32Array(dim), [dim]);
  g.node('Conv', ['pixel_values', 'W', 'B'], ['patches'], { kernel_shape: { ints: [patch, patch] }, strides: { ints: [patch, patch] } });
  g.node('Relu', ['patches'], ['activated']);
  g.node('GlobalAveragePool', ['activated'], ['pooled']);
  g.node('Flatten', ['pooled'], ['image_embeds'], { axis: { int: 1 } });
  g.output('image_embeds', 'float32', ['batch', dim]);
  return g;
}
