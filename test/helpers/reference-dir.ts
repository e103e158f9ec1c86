/**
 * Where the independent reference values live: `../shared/reference` next to the package folder,
 * or `$XMR_REFERENCE_DIR`. Tests that need them skip with this message when the folder is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/native.js';

export const referenceDir = process.env['XMR_REFERENCE_DIR'] ?? path.resolve(packageRoot, '../shared/reference');

/** `false` when the folder exists, else the skip message (node:test prints it). */
export function skipUnlessReference(sub: string): string | false {
  const dir = path.join(referenceDir, sub);
  return existsSync(dir) ? false : `reference values not found: looked in ${dir} (set XMR_REFERENCE_DIR)`;
}
