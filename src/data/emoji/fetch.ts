/**
 * Fetches the pinned emoji and CLDR packages with `npm pack` into a cache folder (each image
 * package is ~70 MB of sprite sheets we do not use, so they are fetched for a rebuild only and never
 * installed as dependencies). npm checks each tarball against the registry's integrity hash.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { XmrError } from '../../errors.js';
import { EMOJI_PACKAGES, type EmojiPackage } from './build.js';

/** The tarball path of each pinned package in `cache`, fetching the ones not there yet. */
export function fetchEmojiPackages(cache: string): Record<EmojiPackage, string> {
  mkdirSync(cache, { recursive: true });
  const out = {} as Record<EmojiPackage, string>;
  for (const [key, p] of Object.entries(EMOJI_PACKAGES) as [EmojiPackage, { name: string; version: string }][]) {
    const file = path.join(cache, `${p.name}-${p.version}.tgz`);
    if (!existsSync(file)) {
      try {
        execFileSync('npm', ['pack', `${p.name}@${p.version}`, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (e) {
        throw new XmrError('E_IO', `npm pack ${p.name}@${p.version} failed: ${(e as { stderr?: Buffer }).stderr?.toString().trim() ?? (e as Error).message}`, { file });
      }
    }
    out[key] = file;
  }
  return out;
}
