/**
 * trec_eval 10, built from the source tarball in the reference tools folder (`../shared/tools` next
 * to the package, or `$XMR_TOOLS_DIR`; see that folder's README) into a cache folder the first time
 * (plain C, a few seconds), for `bench eval` to time side by side. Where the tarball, `make` or a C
 * compiler is missing the benchmark skips the comparison with the reason.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../native.js';
import { trecEvalName, type Measure } from '../eval/measures.js';

export const toolsDir = process.env['XMR_TOOLS_DIR'] ?? path.resolve(packageRoot, '../shared/tools');
export const TREC_EVAL_TARBALL = 'trec_eval-src.tar.gz';

/** The trec_eval binary, built once per tarball (cached by its SHA-256), or why it is not available. */
export function trecEvalBinary(): { path: string } | { skip: string } {
  const tarball = path.join(toolsDir, TREC_EVAL_TARBALL);
  if (!existsSync(tarball)) return { skip: `trec_eval unavailable: ${tarball} not found (set XMR_TOOLS_DIR)` };
  const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16);
  const cacheRoot = path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'xmrbench');
  const dir = path.join(cacheRoot, `trec_eval-${sha}`);
  const binary = path.join(dir, 'trec_eval', 'trec_eval');
  if (existsSync(binary)) return { path: binary };
  mkdirSync(cacheRoot, { recursive: true });
  const tmp = mkdtempSync(path.join(cacheRoot, 'trec_eval-build-'));
  try {
    execFileSync('tar', ['xzf', tarball, '-C', tmp], { stdio: 'pipe' });
    execFileSync('make', ['-C', path.join(tmp, 'trec_eval')], { stdio: 'pipe' });
    renameSync(tmp, dir); // atomic: a half-built folder is never taken for a build
    return { path: binary };
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const why = (e.stderr?.toString() ?? '').trim().split('\n').slice(-1)[0] || e.message;
    return { skip: `trec_eval unavailable: building it from ${tarball} failed (needs tar, make and a C compiler): ${why}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * trec_eval's `-m` arguments for measures (`ndcg_cut.10`, `recip_rank`, `recall.100`, `map`, `P.10`):
 * its measure name with the cutoff as the parameter. Measures at a relevance level other than 1 or
 * with a cutoff trec_eval only applies to every measure at once (`RR@k` is `-M k`) have none: a RangeError.
 */
export function trecEvalMeasureArgs(measures: readonly Measure[]): string[] {
  return measures.flatMap((m) => {
    const name = trecEvalName(m);
    if (m.rel !== 1 || name.includes(' ')) throw new RangeError(`measure ${m.name} has no trec_eval -m form in one run (${name})`);
    return ['-m', name.replace(/_(\d+)$/, '.$1')];
  });
}
