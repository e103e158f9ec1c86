/**
 * Content-addressed results: every expensive step (a trained model, a run) is stored under the hash
 * of everything it depends on — the bytes of the data and lexicons it reads, its parameters, its
 * seed, and the code version — so a re-run recomputes only what changed, and a run interrupted
 * half-way resumes where it stopped (entries are written to a temporary name and renamed, so a
 * killed process never leaves a half-written entry).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

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

/** SHA-256 over the files under `dir` (relative path and bytes), in path order. */
export function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    if (statSync(abs).isDirectory()) {
      for (const e of readdirSync(abs).sort()) walk(rel ? `${rel}/${e}` : e);
    } else {
      h.update(`${rel}\n`).update(createHash('sha256').update(readFileSync(abs)).digest('hex')).update('\n');
    }
  };
  walk('');
  return h.digest('hex');
}

/** The folder of the entry `kind/key` in the cache folder `dir` (the key's first 24 hex digits name it). */
export function entryPath(dir: string, kind: string, key: string): string {
  return path.join(dir, kind, key.slice(0, 24));
}

export class ResultCache {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The folder of the entry `kind/key`. */
  path(kind: string, key: string): string {
    return entryPath(this.dir, kind, key);
  }

  /**
   * Returns the entry's folder, producing it first with `make(tmpDir)` when absent: `make` writes
   * its files into `tmpDir`, which is renamed into place only when it succeeds.
   */
  async ensure(kind: string, key: string, make: (tmpDir: string) => Promise<void>): Promise<{ path: string; cached: boolean }> {
    const final = this.path(kind, key);
    if (existsSync(final)) return { path: final, cached: true };
    const tmp = `${final}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      await make(tmp);
      renameSync(tmp, final);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return { path: final, cached: false };
  }
}
