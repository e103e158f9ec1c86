/**
 * Leak-free groups and seeded splits for the emoji test bed.
 *
 * Variants of one emoji must not straddle train and test, or a model is tested on what it saw.
 * Group key of an emoji (its code points, hex): drop the variation selector FE0F, the zero-width
 * joiner 200D, skin tones 1F3FB–1F3FF, and — inside a sequence — the gender signs 2640/2642 and
 * the hair components 1F9B0–1F9B3; map man/woman/person (1F468, 1F469, 1F9D1), boy/girl/child
 * (1F466, 1F467, 1F9D2) and old man/old woman/older person (1F474, 1F475, 1F9D3) to one code each.
 * So "woman technologist: dark skin tone" and "man technologist" share the key of "technologist".
 * Emoji linked by emoji-datasource's `obsoletes` / `obsoleted_by` join one group too (union-find).
 *
 * Split of a group: bucket = hash32(`${seed}:${smallest key}`) mod 100 (SHA-256, as the DDTP
 * split), test below TEST_PERCENT, validation below TEST_PERCENT + VAL_PERCENT, else train. Both
 * image styles of an emoji take its group's split.
 */
import { hash32 } from '../ddtp/split.js';

export const TEST_PERCENT = 20;
export const VAL_PERCENT = 10;

export type EmojiSplit = 'train' | 'val' | 'test';

const PEOPLE: Record<string, string> = { '1F468': '1F9D1', '1F469': '1F9D1', '1F466': '1F9D2', '1F467': '1F9D2', '1F474': '1F9D3', '1F475': '1F9D3' };
const SKIN = /^1F3F[B-F]$/;
const HAIR = /^1F9B[0-3]$/;

/** The variant-free key of an emoji's code points (`1F469-200D-1F4BB` → `1F9D1-1F4BB`). */
export function groupKey(unified: string): string {
  const cps = unified.toUpperCase().split('-').filter((c) => c !== 'FE0F');
  const sequence = cps.length > 1;
  const kept = cps
    .filter((c) => c !== '200D' && !SKIN.test(c) && !(sequence && (c === '2640' || c === '2642' || HAIR.test(c))))
    .map((c) => PEOPLE[c] ?? c);
  return kept.length > 0 ? kept.join('-') : cps.join('-');
}

/** Union-find over string keys; the representative is the smallest key (byte order). */
export class Groups {
  private parent = new Map<string, string>();

  find(k: string): string {
    let r = k;
    while (this.parent.has(r) && this.parent.get(r) !== r) r = this.parent.get(r)!;
    if (!this.parent.has(r)) this.parent.set(r, r);
    for (let x = k; x !== r; ) {
      const next = this.parent.get(x) ?? r;
      this.parent.set(x, r);
      x = next;
    }
    return r;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}

/** The split of a group, from the seed and its representative key. */
export function splitOfGroup(representative: string, seed: number): EmojiSplit {
  const bucket = hash32(`${seed}:${representative}`) % 100;
  return bucket < TEST_PERCENT ? 'test' : bucket < TEST_PERCENT + VAL_PERCENT ? 'val' : 'train';
}
