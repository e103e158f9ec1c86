// The trainer learns a small synthetic cross-vocabulary retrieval task through the TypeScript API:
// documents are bags of "source" words, queries bags of their "target" translations, so a random
// model is at chance; after training the loss has fallen and held-out MRR@10 is far above chance.
// Every adversarial mode trains too, and the same seed gives the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualEncoder, DualEncoderTrainer, topKSync, type TrainerOptions } from '../src/index.js';

const DOCS = 400;
const TRAIN = 300;
function task(seed: number): { ids: Int32Array; offsets: Uint32Array } {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const ids: number[] = [];
  const offsets = [0];
  for (let i = 0; i < DOCS; i++) {
    for (let k = 0; k < 8; k++) ids.push(Math.floor(next() * 100));
    offsets.push(ids.length);
  }
  for (let i = 0; i < DOCS; i++) {
    for (let k = 0; k < 4; k++) ids.push(100 + ids[offsets[i]! + Math.floor(next() * 8)]!);
    offsets.push(ids.length);
  }
  return { ids: Int32Array.from(ids), offsets: Uint32Array.from(offsets) };
}

function heldOutMrr(model: DualEncoder, pool: { ids: Int32Array; offsets: Uint32Array }): number {
  const enc = model.encodeSync(pool, { threads: 2 });
  const d = model.outDim;
  const docs = enc.subarray(TRAIN * d, DOCS * d);
  const queries = enc.subarray((DOCS + TRAIN) * d, 2 * DOCS * d);
  const r = topKSync(queries, docs, { dim: d, k: 10 });
  let sum = 0;
  for (let i = 0; i < DOCS - TRAIN; i++) {
    for (let j = 0; j < 10; j++) if (r.ids[i * 10 + j] === i) sum += 1 / (j + 1);
  }
  return sum / (DOCS - TRAIN);
}

async function run(options: TrainerOptions, epochs: number): Promise<{ model: DualEncoder; first: number; last: number; before: number; after: number }> {
  const pool = task(5);
  const model = DualEncoder.create({ vocabSize: 200, dim: 32, outDim: 0, seed: 1, initStd: 0.1 });
  const before = heldOutMrr(model, pool);
  const trainer = new DualEncoderTrainer(model, { lr: 0.02, tau: 0.1, threads: 2, ...options });
  let first = 0;
  let last = 0;
  for (let e = 0; e < epochs; e++) {
    const perm = Int32Array.from({ length: TRAIN }, (_, i) => i);
    let z = (e + 1) * 2654435761;
    for (let i = TRAIN - 1; i > 0; i--) {
      z = (Math.imul(z, 1664525) + 1013904223) >>> 0;
      const j = Math.floor((z / 4294967296) * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const q = perm.map((p) => DOCS + p);
    const st = await trainer.train(pool, { queries: q, positives: perm, batch: 30 });
    const mean = st.loss.reduce((a, b) => a + b, 0) / st.loss.length;
    if (e === 0) first = mean;
    last = mean;
  }
  return { model, first, last, before, after: heldOutMrr(model, pool) };
}

test('InfoNCE training learns the synthetic task (loss falls, MRR@10 ≫ chance)', async () => {
  const r = await run({}, 40);
  assert.ok(r.before < 0.15, `before: ${r.before}`);
  assert.ok(r.last < 0.5 * r.first, `loss ${r.first} → ${r.last}`);
  assert.ok(r.after > 0.5, `after: ${r.after}`);
});

for (const adv of [
  { adv: 'fgsm', eps: 0.05 },
  { adv: 'l2', eps: 0.2 },
  { adv: 'pgd', eps: 0.05, pgdSteps: 2 },
  { adv: 'pgd', eps: 0.2, pgdSteps: 2, pgdNorm: 'l2', freelb: true },
] as TrainerOptions[]) {
  test(`adversarial training (${JSON.stringify(adv)}) still learns the task`, async () => {
    const r = await run(adv, 40);
    assert.ok(r.after > 0.4, `after: ${r.after}`);
  });
}

test('the same seed and thread count give the same model (sync and async calls alike)', async () => {
  const a = await run({ adv: 'pgd', eps: 0.05, seed: 9 }, 3);
  const b = await run({ adv: 'pgd', eps: 0.05, seed: 9 }, 3);
  assert.deepEqual(a.model.embeddings(), b.model.embeddings());
  assert.deepEqual(a.model.projection(), b.model.projection());
});
