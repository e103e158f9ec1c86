#!/usr/bin/env node
// Times one training step of the default study (`xmrbench experiment`), through the same code the
// step runs (trainDenseModel in src/experiment/dense-models.ts) with the default plan's settings:
// the shared vocabulary of datasets/ddtp-mini, 20,000 pairs × 10 epochs, d = 256, batch 64, 2 threads.
// Prints one JSON line: wall seconds, seconds in native training steps, CPU seconds (user + system)
// and their ratio to the wall time (utilisation, 2.0 = both cores), and a hash of the trained
// embeddings (equal hashes = bit-identical models). Writes only to a temporary folder.
// `--models N --threads T` trains N models at once (seeds seed … seed + N − 1), T threads each, as
// the study trains its models side by side (src/experiment/execute.ts); the line then gives the
// wall time of all N and one hash per model.
//
//   node scripts/time-study-model.mjs [system id, default zs] [seed, default 1] [--root PACKAGE_DIR] [--models N] [--threads T]
// Compare two builds side by side by alternating --root between their folders (see README, Performance).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const at = args.indexOf('--root');
const root = at >= 0 ? path.resolve(args.splice(at, 2)[1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : undefined;
};
const models = option('--models') ?? 1;
const threadsOption = option('--threads');
const [systemId = 'zs', seedArg = '1'] = args;
const load = (p) => import(path.join(root, 'dist/src', p));
const { loadConfig } = await load('experiment/config.js');
const { trainSpec } = await load('experiment/systems.js');
const { buildSharedVocab, trainDenseModel } = await load('experiment/dense-models.js');
const { Lexicons } = await load('experiment/lexicons.js');
const { loadDualEncoder } = await load('encoders/dual-encoder-model.js');

const config = loadConfig({});
const system = config.systems.find((s) => s.id === systemId);
const spec = system && trainSpec(system, config);
if (!spec) throw new Error(`no dense system "${systemId}" in the default plan (${config.systems.map((s) => s.id).join(', ')})`);
const dataset = path.join(root, config.dataset);
const lexicons = new Lexicons(path.join(root, config.lexicons));
const tmp = mkdtempSync(path.join(tmpdir(), 'xmr-time-model-'));
try {
  const vocabFile = path.join(tmp, 'vocab.txt');
  await buildSharedVocab(dataset, lexicons, config.languages.seen, vocabFile);
  const threads = threadsOption ?? config.threads;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const seeds = Array.from({ length: models }, (_, i) => Number(seedArg) + i);
  const reports = await Promise.all(seeds.map((seed) => trainDenseModel({ spec, seed, dataset, lexicons, vocabFile, threads, outFile: path.join(tmp, `model${seed}.xde`) })));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const hashes = seeds.map((seed) => {
    const E = loadDualEncoder(path.join(tmp, `model${seed}.xde`)).model.embeddings();
    return createHash('sha256').update(new Uint8Array(E.buffer, E.byteOffset, E.byteLength)).digest('hex').slice(0, 16);
  });
  const r3 = (x) => Math.round(x * 1000) / 1000;
  const nativeSeconds = reports.map((r) => r3((r.pairs * r.epochs) / r.pairsPerSecond));
  console.log(JSON.stringify({ system: systemId, seeds, threads, root, wallSeconds: r3(wall), nativeSeconds, cpuSeconds: r3(cpuSeconds), utilisation: r3(cpuSeconds / wall), finalLoss: reports.map((r) => r.finalLoss), embeddingsSha256: hashes }));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
