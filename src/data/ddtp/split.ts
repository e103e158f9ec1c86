/**
 * Leak-free, deterministic train/test split of DDTP descriptions.
 *
 * Unit of splitting: a *family* of descriptions. Two descriptions (keyed by Description-md5) are in one
 * family when, in any language, they share the synopsis or the long description verbatim, or when their
 * English long descriptions open with the same first paragraph of at least FAMILY_MIN_PARAGRAPH
 * characters (Debian package families such as `foo`, `foo-data`, `libfoo-dev` reuse one boilerplate
 * paragraph). A family goes wholly to one split, so no test text — in any language — occurs in
 * training, and near-duplicate siblings do not straddle the split. The builder links families over a
 * fixed set of languages (build.ts, DDTP_LANGS), so the split does not depend on which languages a
 * build asks for.
 *
 * Split of a family: bucket = first 4 bytes (big-endian) of SHA-256 of the family's smallest package
 * name (byte order), modulo 100; buckets [0, TEST_BUCKETS) are test, the rest train.
 */
import { createHash } from 'node:crypto';
import type { DdtpRecord } from './parse.js';

export const FAMILY_MIN_PARAGRAPH = 80;
export const TEST_BUCKETS = 50;

export type Split = 'test' | 'train';

/** A stable 32-bit hash of a string: the first 4 bytes of its SHA-256 (UTF-8), big-endian. */
export function hash32(s: string): number {
  return createHash('sha256').update(s, 'utf8').digest().readUInt32BE(0);
}

/** The split of a family from its smallest package name. */
export function splitOf(familyKey: string): Split {
  return hash32(familyKey) % 100 < TEST_BUCKETS ? 'test' : 'train';
}

/** Records of one language, keyed by md5 (first stanza wins), with every package name seen per md5. */
export interface LanguageIndex {
  byMd5: Map<string, DdtpRecord>;
  packages: Map<string, string[]>;
}

export function indexRecords(records: DdtpRecord[]): LanguageIndex {
  const byMd5 = new Map<string, DdtpRecord>();
  const packages = new Map<string, string[]>();
  for (const r of records) {
    if (!byMd5.has(r.md5)) byMd5.set(r.md5, r);
    const p = packages.get(r.md5);
    if (p === undefined) packages.set(r.md5, [r.package]);
    else p.push(r.package);
  }
  return { byMd5, packages };
}

/**
 * Assigns every English md5 to a split. `langs` maps a language code to its index; 'en' is required.
 * Returns md5 → split and md5 → family key (the family's smallest package name).
 */
export function assignSplits(langs: Map<string, LanguageIndex>): { split: Map<string, Split>; family: Map<string, string> } {
  const en = langs.get('en');
  if (en === undefined) throw new RangeError('langs must include "en"');
  const ids = [...en.byMd5.keys()].sort();
  const pos = new Map(ids.map((k, i) => [k, i]));
  const parent = ids.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      const up = parent[parent[x]!]!;
      parent[x] = up;
      x = up;
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstSeen = new Map<string, number>();
  const link = (key: string, i: number): void => {
    const f = firstSeen.get(key);
    if (f === undefined) firstSeen.set(key, i);
    else union(f, i);
  };
  for (const [lang, index] of [...langs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const [md5, r] of index.byMd5) {
      const i = pos.get(md5);
      if (i === undefined) continue; // a translation of a description no longer in the English index
      link(`${lang}\0s\0${r.synopsis}`, i);
      if (r.long !== '') link(`${lang}\0l\0${r.long}`, i);
      if (lang === 'en') {
        const first = r.long.split('\n', 1)[0]!;
        if (first.length >= FAMILY_MIN_PARAGRAPH) link(`en\0p\0${first}`, i);
      }
    }
  }
  const key = new Map<number, string>();
  for (let i = 0; i < ids.length; i++) {
    const root = find(i);
    for (const p of en.packages.get(ids[i]!)!) {
      const k = key.get(root);
      if (k === undefined || p < k) key.set(root, p);
    }
  }
  const split = new Map<string, Split>();
  const family = new Map<string, string>();
  for (let i = 0; i < ids.length; i++) {
    const k = key.get(find(i))!;
    family.set(ids[i]!, k);
    split.set(ids[i]!, splitOf(k));
  }
  return { split, family };
}
