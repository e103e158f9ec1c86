/**
 * Code-switching on several threads: `threads - 1` workers plus the calling thread. Texts are cut into
 * contiguous slices, one per thread, each carrying the collection index of its first text; since every
 * draw depends only on (seed, text index, token index), the output is byte-identical to the
 * single-threaded result whatever the thread count.
 */
import { Worker } from 'node:worker_threads';
import { addStats, codeSwitchBatch, createCodeSwitcher, emptyStats } from './codeswitch.js';
import type { CodeSwitchConfig, CodeSwitcher, CodeSwitchStats } from './codeswitch.js';
import { positiveInteger } from '../args.js';

interface Reply {
  id: number;
  texts?: string[];
  stats?: CodeSwitchStats;
  error?: string;
}

export class CodeSwitchPool {
  readonly threads: number;
  private readonly inline: CodeSwitcher;
  private readonly workers: Worker[] = [];
  private next = 0;
  /** The first failure of a worker thread; once set, every later call rethrows it. */
  private failed: Error | undefined;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  constructor(config: CodeSwitchConfig, threads: number) {
    this.threads = positiveInteger(threads, 'threads');
    this.inline = createCodeSwitcher(config);
    for (let i = 1; i < threads; i++) {
      const w = new Worker(new URL('./codeswitch-worker.js', import.meta.url), { workerData: config });
      w.on('message', (r: Reply) => {
        const p = this.pending.get(r.id);
        this.pending.delete(r.id);
        if (r.error !== undefined) p?.reject(new Error(r.error));
        else p?.resolve(r);
      });
      w.on('error', (e) => {
        this.failed ??= e;
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  private ask(w: Worker, texts: string[], start: number, salt: number, stats: boolean): Promise<Reply> {
    const id = this.next++;
    if (this.failed !== undefined) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, texts, start, salt, stats });
    });
  }

  /** Switches `texts`, the first having collection index `start`; adds to `stats` when given. */
  async run(texts: readonly string[], start = 0, stats?: CodeSwitchStats, salt = 0): Promise<string[]> {
    const per = Math.ceil(texts.length / this.threads);
    const jobs: Promise<Reply>[] = [];
    for (let i = 0; i < this.workers.length && (i + 1) * per < texts.length; i++) {
      jobs.push(this.ask(this.workers[i]!, texts.slice((i + 1) * per, (i + 2) * per), start + (i + 1) * per, salt, stats !== undefined));
    }
    // The calling thread takes the first slice while the workers run.
    const own = codeSwitchBatch(this.inline, this.workers.length === 0 ? texts : texts.slice(0, per), start, stats, salt);
    const replies = await Promise.all(jobs);
    if (stats !== undefined) for (const r of replies) addStats(stats, r.stats!);
    return own.concat(...replies.map((r) => r.texts!));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** One-shot helper: switches all texts on `threads` threads and returns them with the statistics. */
export async function codeSwitchTexts(config: CodeSwitchConfig, texts: readonly string[], threads = 1): Promise<{ texts: string[]; stats: CodeSwitchStats }> {
  const pool = new CodeSwitchPool(config, threads);
  const stats = emptyStats(config.lexicons.map((l) => l.lang));
  try {
    return { texts: await pool.run(texts, 0, stats), stats };
  } finally {
    await pool.close();
  }
}
