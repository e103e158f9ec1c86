/** Worker thread of `randomizationTestParallel`: counts hits over one range of sign assignments. */
import { parentPort, workerData } from 'node:worker_threads';
import { countHits, type SignFlipPlan } from './randomization.js';

const { plan, from, to } = workerData as { plan: SignFlipPlan; from: number; to: number };
parentPort?.postMessage(countHits(plan, from, to));
