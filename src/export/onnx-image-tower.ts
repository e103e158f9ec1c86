/**
 * `exportImageTowerOnnx(tower, dir)`: the native image tower (native/include/xmr/image_tower.h) as an
 * ONNX model folder that src/encoders/onnx-image.ts (or transformers' image pipeline) reads:
 *
 *   model.onnx                 input pixel_values (float32, batch × 3 × H × W, NCHW); output
 *                              image_embeds (float32, batch × outDim, L2-normalised)
 *   preprocessor_config.json   CLIPImageProcessor fields: resize the shortest side to H, centre crop
 *                              H × H, x = (p · rescale_factor − mean) / std — by default the [−1, 1]
 *                              scaling x = 2p/255 − 1 (rescale 2/255, mean 1, std 1)
 *   config.json                what the graph is, for people and tools that look
 *
 * The graph (opset 13) is the tower's forward pass with the patch embedding as a convolution:
 *   z = Conv(pixel_values, A′, b; kernel P, stride P)  batch × h × (H/P) × (W/P)
 *       A′[j, c, dy, dx] = A[j, (dy·P + dx)·3 + c]      the tower flattens a patch in (row, column,
 *                                                       channel) order, HWC; Conv reads NCHW
 *   z = Reshape(z, [0, h, N]) + posᵀ                   patch n = row·(W/P) + column, as the tower
 *   a = ½ z (1 + Erf(z/√2))                            exact GELU (opset 13 has no Gelu op; it
 *                                                       arrives in opset 20)
 *   m = ReduceMean(a, axis 2);  u = m · Wᵀ;  e = u / max(‖u‖₂, 1e-12)
 * which is e = normalize(W · mean_n GELU(A x_n + b + pos_n)); the sums run in another order than the
 * native loops, so the two agree to float32 rounding (test/onnx-image-tower-export.test.ts: 1e-5).
 *
 * Preprocessing: the tower takes HWC floats and does no image decoding; the ONNX image encoder
 * decodes, drops alpha (PIL's convert('RGB')), resizes (the identity at the tower's size), rounds to
 * 8 bits and scales. The study and eval-images feed the tower exactly those pixels (`towerPreprocessing` in
 * src/encoders/image-preprocess.ts, HWC layout), so the export reproduces their embeddings.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ImageTower } from '../encoders/image-tower-model.js';
import { towerPreprocessing } from '../encoders/image-preprocess.js';
import { writeFileAtomic } from '../atomic-write.js';
import { OnnxGraph, OPSET } from './onnx-writer.js';

/** The image tower's ONNX graph. */
export function imageTowerGraph(tower: ImageTower): OnnxGraph {
  const { height: H, width: W, patch: P, hidden: h, outDim: d } = tower.shape;
  const K = 3 * P * P;
  const N = (H / P) * (W / P);
  const params = tower.params();
  const offB = h * K;
  const offPos = offB + h;
  const offW = offPos + N * h;
  const conv = new Float32Array(h * K);
  for (let j = 0; j < h; j++)
    for (let c = 0; c < 3; c++)
      for (let dy = 0; dy < P; dy++) for (let dx = 0; dx < P; dx++) conv[((j * 3 + c) * P + dy) * P + dx] = params[j * K + (dy * P + dx) * 3 + c]!;
  const posT = new Float32Array(h * N);
  for (let n = 0; n < N; n++) for (let j = 0; j < h; j++) posT[j * N + n] = params[offPos + n * h + j]!;
  const projT = new Float32Array(h * d);
  for (let r = 0; r < d; r++) for (let j = 0; j < h; j++) projT[j * d + r] = params[offW + r * h + j]!;

  const g = new OnnxGraph('xmrbench_image_tower');
  g.input('pixel_values', 'float32', ['batch', 3, H, W]);
  g.constant('A', conv, [h, 3, P, P]);
  g.constant('b', params.slice(offB, offPos), [h]);
  g.constant('posT', posT, [h, N]);
  g.constant('Wt', projT, [h, d]);
  g.constant('shape', BigInt64Array.of(0n, BigInt(h), BigInt(N)), [3]);
  g.constant('axis1', BigInt64Array.of(1n), [1]);
  g.constant('half', Float32Array.of(0.5), []);
  g.constant('one', Float32Array.of(1), []);
  g.constant('sqrt2', Float32Array.of(Math.SQRT2), []);
  g.constant('eps', Float32Array.of(1e-12), []);
  g.node('Conv', ['pixel_values', 'A', 'b'], ['patch_grid'], { kernel_shape: { ints: [P, P] }, strides: { ints: [P, P] } });
  g.node('Reshape', ['patch_grid', 'shape'], ['patch_rows']);
  g.node('Add', ['patch_rows', 'posT'], ['z']);
  g.node('Div', ['z', 'sqrt2'], ['z_scaled']);
  g.node('Erf', ['z_scaled'], ['erf']);
  g.node('Add', ['erf', 'one'], ['erf1']);
  g.node('Mul', ['z', 'erf1'], ['z_erf1']);
  g.node('Mul', ['z_erf1', 'half'], ['gelu']);
  g.node('ReduceMean', ['gelu'], ['pooled'], { axes: { ints: [2] }, keepdims: { int: 0 } });
  g.node('MatMul', ['pooled', 'Wt'], ['projected']);
  g.node('Mul', ['projected', 'projected'], ['squares']);
  g.node('ReduceSum', ['squares', 'axis1'], ['sumsq'], { keepdims: { int: 1 } });
  g.node('Sqrt', ['sumsq'], ['norm']);
  g.node('Max', ['norm', 'eps'], ['safe_norm']);
  g.node('Div', ['projected', 'safe_norm'], ['image_embeds']);
  g.output('image_embeds', 'float32', ['batch', d]);
  return g;
}

/** Writes the model folder (model.onnx, preprocessor_config.json, config.json) into `dir`. */
export function exportImageTowerOnnx(tower: ImageTower, dir: string): { files: string[] } {
  if (!(tower instanceof ImageTower)) throw new TypeError('tower must be an ImageTower');
  if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a folder path');
  const p = towerPreprocessing(tower.shape);
  mkdirSync(dir, { recursive: true });
  const json = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o, null, 2) + '\n');
  imageTowerGraph(tower).write(path.join(dir, 'model.onnx'), { docString: 'xmrbench image tower: e = normalize(W · mean_n GELU(A x_n + b + pos_n))' });
  writeFileAtomic(
    path.join(dir, 'preprocessor_config.json'),
    json({
      image_processor_type: 'CLIPImageProcessor',
      do_convert_rgb: true,
      do_resize: true,
      size: { shortest_edge: p.size },
      resample: 3,
      do_center_crop: true,
      crop_size: { height: p.crop, width: p.crop },
      do_rescale: true,
      rescale_factor: p.rescale,
      do_normalize: true,
      image_mean: p.mean,
      image_std: p.std,
    }),
  );
  const s = tower.shape;
  writeFileAtomic(
    path.join(dir, 'config.json'),
    json({
      model_type: 'xmrbench-image-tower',
      architecture: 'patches → linear patch embedding + learned positions → exact GELU → mean pooling → projection → L2 normalisation',
      image_size: s.height,
      patch_size: s.patch,
      hidden_size: s.hidden,
      embedding_size: s.outDim,
      opset: OPSET,
      outputs: { image_embeds: 'normalised; score images by the dot product' },
    }),
  );
  return { files: ['model.onnx', 'preprocessor_config.json', 'config.json'] };
}
