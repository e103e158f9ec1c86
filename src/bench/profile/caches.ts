/**
 * The machine's caches and CPU flags as the OS reports them: Linux sysfs
 * (/sys/devices/system/cpu/cpu0/cache/index*: level, type, size, shared_cpu_list) first; where a
 * container or VM hides sysfs, glibc's `getconf -a` (LEVEL1_DCACHE_SIZE …, read from CPUID). Flags
 * come from /proc/cpuinfo. Each answer says where it came from.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface CacheLevel {
  level: number;
  /** Data, Instruction or Unified */
  type: string;
  bytes: number;
  /** logical CPUs sharing it, when sysfs says */
  sharedBy: number | null;
}

export interface CacheInfo {
  source: 'sysfs' | 'getconf' | 'none';
  levels: CacheLevel[];
  /** the last level's size in bytes (0 when unknown) */
  lastLevelBytes: number;
}

/** sysfs sizes: "48K", "1024K", "32M". */
export function parseSize(text: string): number {
  const m = /^(\d+)\s*([KMG]?)/i.exec(text.trim());
  if (!m) return 0;
  return Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[m[2]!.toUpperCase()]!;
}

/** Number of CPUs in a list like "0-3,8,10-11". */
export function cpuListLength(text: string): number {
  return text
    .trim()
    .split(',')
    .filter(Boolean)
    .reduce((n, part) => {
      const [a, b] = part.split('-').map(Number);
      return n + (b === undefined ? 1 : b! - a! + 1);
    }, 0);
}

function fromSysfs(dir: string): CacheLevel[] {
  if (!existsSync(dir)) return [];
  const read = (d: string, f: string) => readFileSync(path.join(dir, d, f), 'utf8').trim();
  return readdirSync(dir)
    .filter((d) => /^index\d+$/.test(d))
    .sort()
    .map((d) => ({
      level: Number(read(d, 'level')),
      type: read(d, 'type'),
      bytes: parseSize(read(d, 'size')),
      sharedBy: existsSync(path.join(dir, d, 'shared_cpu_list')) ? cpuListLength(read(d, 'shared_cpu_list')) : null,
    }));
}

/** Parses `getconf -a` output for LEVELn_{I,D,}CACHE_SIZE. */
export function parseGetconf(text: string): CacheLevel[] {
  const out: CacheLevel[] = [];
  for (const m of text.matchAll(/^LEVEL(\d)_(ICACHE|DCACHE|CACHE)_SIZE\s+(\d+)\s*$/gm)) {
    const bytes = Number(m[3]);
    if (bytes > 0) out.push({ level: Number(m[1]), type: m[2] === 'ICACHE' ? 'Instruction' : m[2] === 'DCACHE' ? 'Data' : 'Unified', bytes, sharedBy: null });
  }
  return out;
}

export function readCaches(sysfs = '/sys/devices/system/cpu/cpu0/cache'): CacheInfo {
  let levels = fromSysfs(sysfs);
  let source: CacheInfo['source'] = 'sysfs';
  if (levels.length === 0) {
    source = 'getconf';
    try {
      levels = parseGetconf(execFileSync('getconf', ['-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      levels = [];
    }
  }
  if (levels.length === 0) source = 'none';
  const data = levels.filter((l) => l.type !== 'Instruction');
  const last = data.reduce((best, l) => (l.level > (best?.level ?? 0) ? l : best), undefined as CacheLevel | undefined);
  return { source, levels, lastLevelBytes: last?.bytes ?? 0 };
}

/** The SIMD-related flags of /proc/cpuinfo (the ones the kernels' paths depend on). */
export function cpuFlags(cpuinfo = '/proc/cpuinfo'): string[] {
  try {
    const line = /^flags\s*:\s*(.*)$/m.exec(readFileSync(cpuinfo, 'utf8'))?.[1] ?? '';
    return line
      .split(/\s+/)
      .filter((f) => /^(sse4_2|avx|avx2|fma|f16c|avx512\w*|amx\w*|avx_vnni\w*)$/.test(f))
      .sort();
  } catch {
    return [];
  }
}
