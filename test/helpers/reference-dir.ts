/**
 * Where the independent reference values live: `../shared/reference` next to the package folder,
 * or `$XMR_REFERENCE_DIR`; the reference tools' sources: `../shared/tools`, or `$XMR_TOOLS_DIR`.
 * Tests that need them skip with these messages when the folder is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/native.js';
import { toolsDir } from '../../src/bench/trec-eval.js';

export { toolsDir };

export const referenceDir = process.env['XMR_REFERENCE_DIR'] ?? path.resolve(packageRoot, '../shared/reference');

/** `false` when the folder exists, else the skip message (node:test prints it). */
export function skipUnlessReference(sub: string): string | false {
  const dir = path.join(referenceDir, sub);
  return existsSync(dir) ? false : `reference values not found: looked in ${dir} (set XMR_REFERENCE_DIR)`;
}

/** `false` when the tool's file exists in the tools folder, else the skip message. */
export function skipUnlessTool(file: string): string | false {
  const p = path.join(toolsDir, file);
  return existsSync(p) ? false : `reference tool not found: looked for ${p} (set XMR_TOOLS_DIR)`;
}
