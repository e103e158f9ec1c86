/**
 * The worker-thread side of {@link OnnxSession} (onnx-session.ts): it owns one onnxruntime-node
 * InferenceSession. `session.run` blocks the thread that calls it (onnxruntime issues #19611,
 * #26968), so it runs here and the main thread's event loop (progress bars, other I/O) stays free.
 *
 * Protocol: on start the worker loads `workerData.file` and posts `{ ready, inputs, outputs }` or
 * `{ loadError }`; then each `{ id, feeds, outputs }` message is answered by `{ id, result }` or
 * `{ id, error }`, output buffers transferred (not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { TensorMeta, TensorData, WorkerRequest, WorkerReply } from './onnx-session.js';

const { file, intraOpThreads } = workerData as { file: string; intraOpThreads: number };
const port = parentPort!;

function meta(m: ort.InferenceSession.ValueMetadata): TensorMeta {
  return m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] };
}

try {
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  port.postMessage({ ready: true, inputs: session.inputMetadata.map(meta), outputs: session.outputMetadata.map(meta) } satisfies WorkerReply);
  // One run at a time: the main side queues requests, so messages arrive one after another.
  port.on('message', async (req: WorkerRequest) => {
    try {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(req.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const out = await session.run(feeds, req.outputs);
      const result: Record<string, TensorData> = {};
      const transfer = new Set<ArrayBuffer>();
      for (const name of req.outputs) {
        const t = out[name]!;
        const data = t.data as TensorData['data'];
        result[name] = { type: t.type as TensorData['type'], data, dims: [...t.dims] };
        transfer.add(data.buffer as ArrayBuffer);
      }
      port.postMessage({ id: req.id, result } satisfies WorkerReply, [...transfer]);
    } catch (e) {
      port.postMessage({ id: req.id, error: (e as Error).message } satisfies WorkerReply);
    }
  });
} catch (e) {
  port.postMessage({ loadError: (e as Error).message } satisfies WorkerReply);
}
