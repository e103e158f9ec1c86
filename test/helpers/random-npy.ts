import path from 'node:path';
import { writeIds, writeNpy } from '../../src/data/npy.js';
import { randn } from '../../src/random.js';

/**
 * A random n×dim corpus and m×dim queries as `.npy` files with their id files (`docs.npy` with
 * `docs.ids.txt`, ids `${docPrefix}0`…; `q.npy` with `q.ids.txt`, ids `q0`…) in `root`, drawn from
 * the seeds given: the input of the `index build --npy` / `index search --queries` CLI tests.
 */
export function randomNpyCorpus(root: string, o: { n: number; m: number; dim: number; seeds: [number, number]; docPrefix: string }): { docs: string; queries: string } {
  const docs = path.join(root, 'docs.npy');
  writeNpy(docs, randn(o.n * o.dim, o.seeds[0]), o.n, o.dim);
  writeIds(path.join(root, 'docs.ids.txt'), Array.from({ length: o.n }, (_, i) => `${o.docPrefix}${i}`));
  const queries = path.join(root, 'q.npy');
  writeNpy(queries, randn(o.m * o.dim, o.seeds[1]), o.m, o.dim);
  writeIds(path.join(root, 'q.ids.txt'), Array.from({ length: o.m }, (_, i) => `q${i}`));
  return { docs, queries };
}
