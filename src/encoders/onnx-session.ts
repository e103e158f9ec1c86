/**
 * An onnxruntime-node InferenceSession on its own worker thread (onnx-session-worker.ts), loaded
 * once and reused for every batch. Runs are queued and go to the worker one at a time; the
 * worker only keeps the process alive while a run is pending, so a forgotten `close()` never
 * hangs the command line.
 *
 * Tensors cross the thread boundary as flat typed arrays with their dims (structured clone on the
 * way in, transferred buffers on the way out): one crossing per batch.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { XmrError } from '../errors.js';
import { positiveInteger } from '../args.js';

/** A tensor's element type as onnxruntime names it ('int64', 'float32', …). */
export type TensorType = 'int64' | 'int32' | 'float32' | 'float16' | 'float64' | 'bool' | 'uint8' | 'int8' | string;

export interface TensorMeta {
  name: string;
  /** Element type, or 'non-tensor' for sequences and maps. */
  type: TensorType;
  /** Dimensions: numbers, or strings for symbolic ones ('batch_size'); [] when unknown. */
  shape: (number | string)[];
}

/** The names of inputs or outputs, comma-separated ('none' for none): for error messages. */
export function tensorNames(ms: readonly TensorMeta[]): string {
  return ms.map((m) => m.name).join(', ') || 'none';
}

export interface TensorData {
  type: 'int64' | 'int32' | 'float32';
  data: BigInt64Array | Int32Array | Float32Array;
  dims: number[];
}

/** @internal Messages between the session and its worker. */
export interface WorkerRequest {
  id: number;
  feeds: Record<string, TensorData>;
  outputs: string[];
}
/** @internal */
export type WorkerReply =
  | { ready: true; inputs: TensorMeta[]; outputs: TensorMeta[] }
  | { loadError: string }
  | { id: number; result: Record<string, TensorData> }
  | { id: number; error: string };

export interface OnnxSessionOptions {
  /** onnxruntime's intra-op threads (the threads one run uses); default 1. */
  intraOpThreads?: number;
}

export class OnnxSession {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: Record<string, TensorData>) => void; reject: (e: Error) => void }>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    /** The .onnx file (named in errors). */
    readonly file: string,
    private readonly worker: Worker,
    readonly inputs: readonly TensorMeta[],
    readonly outputs: readonly TensorMeta[],
    readonly intraOpThreads: number,
  ) {
    worker.on('message', (m: WorkerReply) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if ('error' in m) p.reject(new XmrError('E_NATIVE', `onnxruntime: ${m.error}`, { file: this.file }));
      else p.resolve(m.result);
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', () => this.failAll(new Error('the onnxruntime worker exited')));
    worker.unref();
  }

  /** Loads a model on a new worker thread; a missing or unloadable file is an XmrError naming it. */
  static async open(file: string, options: OnnxSessionOptions = {}): Promise<OnnxSession> {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    const intraOpThreads = options.intraOpThreads === undefined ? 1 : positiveInteger(options.intraOpThreads, 'intraOpThreads');
    if (!existsSync(file)) throw new XmrError('E_MISSING', 'no such ONNX model file', { file });
    const worker = new Worker(new URL('./onnx-session-worker.js', import.meta.url), { workerData: { file, intraOpThreads } });
    const first = await new Promise<WorkerReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if ('loadError' in first) {
      await worker.terminate();
      throw new XmrError('E_PARSE', `onnxruntime cannot load this model: ${first.loadError}`, { file });
    }
    if (!('ready' in first)) throw new Error('unexpected first message from the onnxruntime worker');
    return new OnnxSession(file, worker, first.inputs, first.outputs, intraOpThreads);
  }

  /**
   * Opens `file` and hands the session to `build`; if `build` throws, the session is closed (its
   * worker ended) before the error goes on, so a failed load leaves no worker behind.
   */
  static async openFor<T>(file: string, options: OnnxSessionOptions, build: (session: OnnxSession) => Promise<T>): Promise<T> {
    const session = await OnnxSession.open(file, options);
    try {
      return await build(session);
    } catch (e) {
      await session.close();
      throw e;
    }
  }

  /** The input or output named `name`, or undefined. */
  input(name: string): TensorMeta | undefined {
    return this.inputs.find((m) => m.name === name);
  }
  output(name: string): TensorMeta | undefined {
    return this.outputs.find((m) => m.name === name);
  }

  /** Runs the model on `feeds` and returns the named outputs (queued behind earlier runs). */
  run(feeds: Record<string, TensorData>, outputs: string[]): Promise<Record<string, TensorData>> {
    if (this.closed) return Promise.reject(new Error(`the ONNX session of ${this.file} is closed`));
    const result = this.queue.then(
      () =>
        new Promise<Record<string, TensorData>>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          this.worker.ref();
          this.worker.postMessage({ id, feeds, outputs } satisfies WorkerRequest);
        }),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the worker; pending runs fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
