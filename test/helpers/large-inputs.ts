/**
 * Large synthetic inputs and the peak memory of reading them, for test/large-inputs-memory.test.ts
 * (scaled down) and scripts/large-inputs.mjs (5 million documents, 50 million run lines).
 *
 * The files are written in 4 MB slabs with plain writes (they are scratch inputs of a measurement);
 * they are read through the public API only (`loadBeir`, `readRun` of src/index.ts), in a child
 * process whose peak resident set size is /proc/self/status's VmHWM (the kernel's high-water mark:
 * nothing between two samples is missed).
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const WORDS = ['package', 'library', 'tool', 'the', 'for', 'and', 'data', 'server', 'client', 'python', 'module', 'files', 'support', 'network', 'development', 'documentation', 'plugin', 'font', 'kernel', 'image'];

/** Writes lines produced by `line(i)` for i < n to `file`, in slabs. */
function writeLines(file: string, n: number, line: (i: number) => string): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    let slab: string[] = [];
    let size = 0;
    for (let i = 0; i < n; i++) {
      const l = line(i);
      slab.push(l);
      size += l.length;
      if (size >= 1 << 22) {
        bytes += writeSync(fd, slab.join(''));
        slab = [];
        size = 0;
      }
    }
    bytes += writeSync(fd, slab.join(''));
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * A BEIR folder `dir` with `docs` documents of ~100 bytes (a 3-word title, a 12-word text: DDTP
 * descriptions' synopsis and first line are of that order), 10 queries and their qrels; returns the
 * corpus file's size in bytes.
 */
export function writeLargeBeir(dir: string, docs: number): number {
  mkdirSync(path.join(dir, 'qrels'), { recursive: true });
  const w = (i: number, j: number) => WORDS[(i * 7 + j * 13 + ((i >> 5) % 17)) % WORDS.length]!;
  const bytes = writeLines(path.join(dir, 'corpus.jsonl'), docs, (i) => `{"_id":"doc${i}","title":"${w(i, 0)} ${w(i, 1)} ${w(i, 2)}","text":"${Array.from({ length: 12 }, (_, j) => w(i, j + 3)).join(' ')}"}\n`);
  writeLines(path.join(dir, 'queries.jsonl'), 10, (q) => `{"_id":"q${q}","text":"${w(q, 0)} ${w(q, 5)}"}\n`);
  writeLines(path.join(dir, 'qrels', 'test.tsv'), 11, (i) => (i === 0 ? 'query-id\tcorpus-id\tscore\n' : `q${i - 1}\tdoc${(i - 1) * 97}\t1\n`));
  return bytes;
}

/** A TREC run of `lines` rows, 1,000 per query (a BEIR-style top-1000), docnos of ~10 bytes; returns its size. */
export function writeLargeRun(file: string, lines: number): number {
  return writeLines(file, lines, (i) => {
    const q = Math.floor(i / 1000);
    const r = i % 1000;
    return `q${q} Q0 doc${(q * 7919 + r * 104729) % 9_999_991} ${r + 1} ${1000 - r}.${(q * 31 + r) % 7}25 big\n`;
  });
}

export interface PeakMeasure {
  /** What was read: documents, or run rows. */
  items: number;
  /** VmHWM of the reading process, bytes. */
  peakBytes: number;
  /** VmHWM of the same process before reading (Node, the addon, the modules), bytes. */
  baseBytes: number;
  ms: number;
}

/** Reads `target` (a BEIR folder, or a run file) in a child process; its peak RSS. */
export async function measureRead(kind: 'beir' | 'run', target: string): Promise<PeakMeasure> {
  const index = JSON.stringify(new URL('../../src/index.js', import.meta.url).href);
  const script = `
    import { readFileSync } from 'node:fs';
    const hwm = () => 1024 * Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
    const api = await import(${index});
    const baseBytes = hwm();
    const t0 = performance.now();
    const items = ${kind === 'beir' ? `(await api.loadBeir(${JSON.stringify(target)})).corpus.ids.length` : `(await api.readRun(${JSON.stringify(target)})).length`};
    console.log(JSON.stringify({ items, peakBytes: hwm(), baseBytes, ms: Math.round(performance.now() - t0) }));`;
  // A script file, not `-e`: readRun's worker threads inherit the process's flags, and
  // --input-type (needed by -e) is refused in a worker.
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-measure-'));
  try {
    writeFileSync(path.join(dir, 'read.mjs'), script);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'read.mjs')], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as PeakMeasure;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
