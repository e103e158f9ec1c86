#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm ci` (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error(`xmrbench: ${main} is missing; run \`npm run build\` (or \`npm ci\`) in the package folder first.`);
  process.exit(1);
}
const { run } = await import(main);
await run(process.argv.slice(2));
