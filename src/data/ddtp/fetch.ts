/**
 * Fetching and locating DDTP `Translation-<lang>` indexes.
 *
 * They are fetched with apt itself into a private state directory, so the system's package lists are
 * untouched and the files are signed-checked by apt against the suite's InRelease. `Acquire::GzipIndexes=false`
 * makes apt store them uncompressed (Debian's Docker images default to lz4-compressed lists, which Node
 * cannot read without an extra tool).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../atomic-write.js';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { XmrError } from '../../errors.js';

export const DDTP_MIRROR = 'http://deb.debian.org/debian';
export const DDTP_SUITE = 'bookworm';
export const DDTP_COMPONENT = 'main';

/** The apt-get argv that fetches the indexes of `langs` into `stateDir/lists` (see datasets/README.md). */
export function aptFetchArgs(stateDir: string, langs: readonly string[]): string[] {
  return [
    'update',
    `-o`, `Dir::Etc::SourceList=${join(stateDir, 'sources.list')}`,
    `-o`, `Dir::Etc::SourceParts=${join(stateDir, 'sources.list.d')}`,
    `-o`, `Dir::State::Lists=${join(stateDir, 'lists')}`,
    `-o`, `Dir::Cache=${join(stateDir, 'cache')}`,
    `-o`, `Acquire::Languages=${langs.join(',')}`,
    `-o`, `Acquire::GzipIndexes=false`,
    `-o`, `Acquire::IndexTargets::deb::Packages::DefaultEnabled=false`,
  ];
}

/** Runs apt-get to fetch the indexes; returns the lists directory. Progress goes to stderr. */
export function fetchIndexes(stateDir: string, langs: readonly string[]): string {
  for (const d of ['lists/partial', 'cache', 'sources.list.d']) mkdirSync(join(stateDir, d), { recursive: true });
  writeFileAtomic(join(stateDir, 'sources.list'), `deb ${DDTP_MIRROR} ${DDTP_SUITE} ${DDTP_COMPONENT}\n`);
  const args = aptFetchArgs(stateDir, langs);
  process.stderr.write(`ddtp: apt-get ${args.join(' ')}\n`);
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error !== undefined) throw new XmrError('E_IO', `cannot run apt-get: ${r.error.message}`);
  if (r.status !== 0) throw new XmrError('E_IO', `apt-get update exited with status ${r.status}; is ${DDTP_MIRROR} reachable?`);
  return join(stateDir, 'lists');
}

/** Where an index was read from and what it was, for the provenance manifest. */
export interface IndexSource {
  lang: string;
  file: string;
  bytes: number;
  sha256: string;
}

function listsDirOf(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new XmrError('E_MISSING', 'no such directory', { file: dir });
  const sub = join(dir, 'lists');
  return existsSync(sub) && statSync(sub).isDirectory() ? sub : dir;
}

/**
 * Reads the `Translation-<lang>` index from a directory of apt lists (or a state directory holding `lists/`).
 * Accepts apt's name (`…_dists_bookworm_main_i18n_Translation-de`) or a bare `Translation-de`, plain or `.gz`.
 */
export function readIndex(dir: string, lang: string): { text: string; source: IndexSource } {
  const lists = listsDirOf(dir);
  const names = readdirSync(lists).sort();
  const suffix = `_dists_${DDTP_SUITE}_${DDTP_COMPONENT}_i18n_Translation-${lang}`;
  for (const ext of ['', '.gz']) {
    const name = names.find((n) => n === `Translation-${lang}${ext}` || n.endsWith(suffix + ext));
    if (name === undefined) continue;
    const file = join(lists, name);
    const raw = readFileSync(file);
    let data: Buffer;
    try {
      data = ext === '.gz' ? gunzipSync(raw) : raw;
    } catch (e) {
      throw new XmrError('E_PARSE', `not a valid gzip file (${(e as Error).message})`, { file });
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    return { text: data.toString('utf8'), source: { lang, file: name, bytes: data.length, sha256 } };
  }
  const other = names.find((n) => n.includes(`Translation-${lang}.`));
  const hint = other === undefined ? '' : ` (found ${other}: fetch uncompressed with -o Acquire::GzipIndexes=false)`;
  throw new XmrError('E_MISSING', `no Translation-${lang} index${hint}`, { file: lists });
}

/** What the suite's InRelease says: its date and version, and the SHA-256 of each uncompressed i18n index. */
export interface ReleaseInfo {
  file: string;
  date: string;
  version: string;
  sha256: Map<string, { bytes: number; sha256: string }>;
}

/** Reads `…_dists_bookworm_InRelease` from the lists directory, or returns undefined when there is none. */
export function readRelease(dir: string): ReleaseInfo | undefined {
  const lists = listsDirOf(dir);
  const name = readdirSync(lists).sort().find((n) => n.endsWith(`_dists_${DDTP_SUITE}_InRelease`) || n === 'InRelease');
  if (name === undefined) return undefined;
  const text = readFileSync(join(lists, name), 'utf8');
  const field = (f: string): string => new RegExp(`^${f}: (.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  const sha256 = new Map<string, { bytes: number; sha256: string }>();
  const section = /^SHA256:\n((?: .*\n)*)/m.exec(text)?.[1] ?? '';
  for (const line of section.split('\n')) {
    const m = /^ ([0-9a-f]{64})\s+(\d+)\s+(\S+)$/.exec(line);
    if (m !== null) sha256.set(m[3]!, { bytes: Number(m[2]), sha256: m[1]! });
  }
  return { file: name, date: field('Date'), version: field('Version'), sha256 };
}

/** Throws when an index does not match the checksum the InRelease gives for it. */
export function verifyIndex(release: ReleaseInfo, source: IndexSource): void {
  const want = release.sha256.get(`${DDTP_COMPONENT}/i18n/Translation-${source.lang}`);
  if (want === undefined) throw new XmrError('E_MISSING', `InRelease lists no ${DDTP_COMPONENT}/i18n/Translation-${source.lang}`, { file: release.file });
  if (want.sha256 !== source.sha256) {
    throw new XmrError('E_PARSE', `SHA-256 ${source.sha256} differs from InRelease's ${want.sha256}`, { file: source.file });
  }
}
