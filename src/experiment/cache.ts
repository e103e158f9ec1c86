/**
 * Content-addressed results: every expensive step (a trained model, a run) is stored under the hash
 * of everything it depends on — the bytes of the data and lexicons it reads, its parameters, its
 * seed, and the code version — so a re-run recomputes only what changed, and a run interrupted
 * half-way resumes where it stopped.
 *
 * Crash safety: an entry is built in `ENTRY.tmp-PID-N@HOST` and renamed into place only when complete,
 * so a killed process never leaves a half-written entry; the temporary folder a killed process leaves
 * behind is removed when a cache is next opened on the same host and that PID is no longer running
 * (another host's temporaries are left alone: whether their process lives cannot be told from here).
 * Several processes may share a cache — the shards of a study on a cluster's shared file system
 * (shard.ts): two that compute the same entry at once both build it (entries are deterministic), and
 * the one that renames second keeps the first's entry and drops its own. Each entry holds
 * `checksums.json` (size and SHA-256 of each of its files), verified whenever the entry is used: an
 * entry damaged on disk (a truncated model, a run that is no longer valid gzip) is recomputed with a
 * warning instead of failing the study later. Entries written before checksums existed (xmrbench
 * ≤ 0.1 without this file) cannot be told apart from damaged ones, so they are recomputed too, once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { removeOrphanedTemporaries, temporarySuffix, trackTemporary, writeFileAtomic } from '../atomic-write.js';

/** Bump when a change in the TypeScript pipeline changes what a cached step would produce. */
export const PIPELINE_VERSION = 2;

/** JSON with sorted keys, so equal values hash equally. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  return `{${Object.keys(v as object)
    .sort()
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

export function hashOf(v: unknown): string {
  return createHash('sha256').update(stableJson(v)).digest('hex');
}

/**
 * SHA-256 over the files under `dir` (relative path and bytes), in path order; with `subfolders`
 * false, over its own files only (for a folder without subfolders, the same hash).
 */
export function hashTree(dir: string, options: { subfolders?: boolean } = {}): string {
  const h = createHash('sha256');
  const files = options.subfolders === false ? readdirSync(dir).sort().filter((e) => !statSync(path.join(dir, e)).isDirectory()) : listFiles(dir);
  for (const rel of files) h.update(`${rel}\n`).update(sha256File(path.join(dir, rel))).update('\n');
  return h.digest('hex');
}

/** The folder of the entry `kind/key` in the cache folder `dir` (the key's first 24 hex digits name it). */
export function entryPath(dir: string, kind: string, key: string): string {
  return path.join(dir, kind, key.slice(0, 24));
}

/** The file in each entry that lists its other files' sizes and SHA-256. */
export const CHECKSUMS_FILE = 'checksums.json';

const sha256File = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Relative paths of the files under `dir`, in path order. */
function listFiles(dir: string, rel = ''): string[] {
  const abs = path.join(dir, rel);
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs)
    .sort()
    .flatMap((e) => listFiles(dir, rel ? `${rel}/${e}` : e));
}

/** Writes CHECKSUMS_FILE into a finished entry folder. */
function writeChecksums(dir: string): void {
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const rel of listFiles(dir)) {
    if (rel === CHECKSUMS_FILE) continue;
    const abs = path.join(dir, rel);
    files[rel] = { bytes: statSync(abs).size, sha256: sha256File(abs) };
  }
  writeFileAtomic(path.join(dir, CHECKSUMS_FILE), JSON.stringify({ files }, null, 1) + '\n');
}

/** Why the entry folder `dir` cannot be trusted, or null when every file matches its checksum. */
export function entryProblem(dir: string): string | null {
  let files: Record<string, { bytes: number; sha256: string }>;
  try {
    files = (JSON.parse(readFileSync(path.join(dir, CHECKSUMS_FILE), 'utf8')) as { files: typeof files }).files;
    if (files === null || typeof files !== 'object') throw new Error('no files');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `has no ${CHECKSUMS_FILE} (written by an older xmrbench, or damaged)` : `has an unreadable ${CHECKSUMS_FILE}`;
  }
  for (const [rel, want] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (!existsSync(abs)) return `is missing ${rel}`;
    const bytes = statSync(abs).size;
    if (bytes !== want.bytes) return `has ${rel} of ${bytes} bytes, expected ${want.bytes}`;
    if (sha256File(abs) !== want.sha256) return `has ${rel} failing its SHA-256 check`;
  }
  return null;
}

export class ResultCache {
  /** `warn` receives one message per damaged entry recomputed (default: a line on stderr). */
  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = (m) => process.stderr.write(`xmrbench: warning: ${m}\n`),
  ) {
    mkdirSync(dir, { recursive: true });
    this.removeStaleTemporaries();
  }

  /** The folder of the entry `kind/key`. */
  path(kind: string, key: string): string {
    return entryPath(this.dir, kind, key);
  }

  /** Whether the entry `kind/key` is present and sound (its checksums hold). */
  has(kind: string, key: string): boolean {
    const final = this.path(kind, key);
    return existsSync(final) && entryProblem(final) === null;
  }

  /** Removes this host's `kind/ENTRY.tmp-PID-N@HOST` folders whose process is gone (killed mid-step); returns their paths. */
  removeStaleTemporaries(): string[] {
    return removeOrphanedTemporaries(this.dir, 2);
  }

  /**
   * Returns the entry's folder, producing it first with `make(tmpDir)` when absent or damaged: `make`
   * writes its files into `tmpDir`, which gets its checksums and is renamed into place only when
   * `make` succeeds.
   */
  async ensure(kind: string, key: string, make: (tmpDir: string) => Promise<void>): Promise<{ path: string; cached: boolean }> {
    const final = this.path(kind, key);
    if (existsSync(final)) {
      const problem = entryProblem(final);
      if (problem === null) return { path: final, cached: true };
      this.warn(`cache entry ${final} ${problem}; recomputing it`);
    }
    const tmp = `${final}${temporarySuffix()}`;
    rmSync(tmp, { recursive: true, force: true });
    const untrack = trackTemporary(tmp);
    mkdirSync(tmp, { recursive: true });
    try {
      await make(tmp);
      writeChecksums(tmp);
      // A damaged entry goes only now (killed in between, the entry is merely absent next time) —
      // unless another process sharing the cache has put a sound one in place meanwhile.
      if (existsSync(final) && entryProblem(final) !== null) rmSync(final, { recursive: true, force: true });
      try {
        renameSync(tmp, final);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || entryProblem(final) !== null) throw e;
        // Another process finished the same entry first: the same bytes by construction; keep it.
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      untrack();
    }
    return { path: final, cached: false };
  }
}
