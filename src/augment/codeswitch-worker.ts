/** Worker side of CodeSwitchPool: builds the switcher once from workerData, then serves slices. */
import { parentPort, workerData } from 'node:worker_threads';
import { codeSwitchBatch, createCodeSwitcher, emptyStats } from './codeswitch.js';
import type { CodeSwitchConfig } from './codeswitch.js';

const config = workerData as CodeSwitchConfig;
const sw = createCodeSwitcher(config);
parentPort!.on('message', (m: { id: number; texts: string[]; start: number; salt: number; stats: boolean }) => {
  try {
    const stats = m.stats ? emptyStats(config.lexicons.map((l) => l.lang)) : undefined;
    parentPort!.postMessage({ id: m.id, texts: codeSwitchBatch(sw, m.texts, m.start, stats, m.salt), stats });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
