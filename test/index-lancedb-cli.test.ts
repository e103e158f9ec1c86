// `xmrbench index build | search --backend lancedb` (issue 18): a LanceDB table built from an
// encoder over a BEIR corpus, or from a store, searched flat through the CLI, gives the store's
// exact run up to near-ties (LanceDB sums in another order); an IVF-PQ table built by the CLI,
// probed at every partition and refined, finds the exact top 10. Bad table paths, a store given as
// a table, dimension mismatches and store-only flags are refused with clear messages.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeIds, writeNpy } from '../src/data/npy.js';
import { randn } from '../src/random.js';
import { tinyBeir } from './helpers/tiny-beir.js';
import { tinyCheckpoint } from './helpers/tiny-checkpoint.js';
import { assertSameRanking, runArrays } from './helpers/same-ranking.js';
import { randomNpyCorpus } from './helpers/random-npy.js';
import { cli } from './helpers/cli.js';


test('a LanceDB table from an encoder or a store, searched flat by the CLI, gives the exact run up to near-ties; clear errors', async () => {
  const { root, dataset } = tinyBeir();
  after(() => rmSync(root, { recursive: true, force: true }));
  const en = path.join(dataset, 'en');
  const ckpt = await tinyCheckpoint(root, dataset);
  const encoder = ['--model', ckpt, '--dataset', en, '--no-progress'];
  const store = path.join(root, 'en.store');
  await cli(['index', 'build', ...encoder, '--out', store, '--shard-rows', '10']);
  const k = 10;
  const exact = path.join(root, 'exact.trec');
  await cli(['index', 'search', '--store', store, ...encoder, '--k', String(k + 1), '--out', exact]);
  const docIds = readFileSync(path.join(store, 'ids.txt'), 'utf8').trim().split('\n');
  const qids = [...new Set(readFileSync(exact, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]!))];
  const reference = runArrays(exact, qids, docIds, k);
  for (const [label, source] of [['encoder', encoder], ['store', ['--store', store]]] as const) {
    const table = path.join(root, `${label}.lance`);
    const b = await cli(['index', 'build', '--backend', 'lancedb', ...source, '--out', table]);
    assert.equal(b.stdout, `${table}: LanceDB table of ${docIds.length} rows of 6 float32, ip, no index (flat search)\n`);
    const flat = path.join(root, `${label}.flat.trec`);
    const s = await cli(['index', 'search', '--backend', 'lancedb', '--store', table, '--exact', ...encoder, '--k', String(k), '--out', flat]);
    assert.match(s.stdout, new RegExp(`^${flat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${qids.length} queries × ${k} over the LanceDB table \\(${docIds.length} rows, flat\\) in \\d+\\.\\d s\\n {2}RR@10 `));
    const got = runArrays(flat, qids, docIds, k);
    assertSameRanking(reference, { ids: got.ids, scores: Float32Array.from(got.scores) }, k, 1e-5, `lancedb flat from ${label}`);
  }

  // Errors.
  const refused = async (args: string[], stderr: string) => assert.rejects(cli(args), (e: { stderr: string }) => (assert.equal(e.stderr, stderr), true));
  const missing = path.join(root, 'nope');
  const noTable = (p: string) => `xmrbench: ${p}: no LanceDB table "vectors" here (write one with xmrbench index build --backend lancedb, or LanceVectorTable.build)\n`;
  await refused(['index', 'search', '--backend', 'lancedb', '--store', missing, ...encoder, '--out', path.join(root, 'x.trec')], noTable(missing));
  await refused(['index', 'search', '--backend', 'lancedb', '--store', store, ...encoder, '--out', path.join(root, 'x.trec')], noTable(store));
  const q4 = path.join(root, 'q4.npy');
  writeNpy(q4, randn(3 * 4, 1), 3, 4);
  writeIds(path.join(root, 'q4.ids.txt'), ['a', 'b', 'c']);
  await refused(['index', 'search', '--backend', 'lancedb', '--store', path.join(root, 'encoder.lance'), '--queries', q4, '--out', path.join(root, 'x.trec')], `xmrbench: ${q4}: queries have 4 dimensions, the LanceDB table 6\n`);
  await refused(['index', 'search', '--store', store, '--queries', q4, '--out', path.join(root, 'x.trec')], `xmrbench: ${q4}: queries have 4 dimensions, the store 6\n`);
  await refused(['index', 'search', '--backend', 'lancedb', '--store', path.join(root, 'encoder.lance'), '--queries', q4, '--shard', '0/2', '--out', path.join(root, 'x.trec')], 'xmrbench: --shard is for --backend store; a LanceDB table is searched whole\n');
  await refused(['index', 'build', '--backend', 'lancedb', '--store', store, '--index', 'ivf_pq', '--partitions', '2', '--out', path.join(root, 'y.lance')], 'xmrbench: --index ivf_pq needs --partitions and --sub-vectors\n');
});

test('an IVF-PQ table built by the CLI, probed at every partition and refined, finds the exact top 10', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'xmr-index-ivf-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const [n, m, dim] = [1000, 12, 16];
  const { docs, queries } = randomNpyCorpus(root, { n, m, dim, seeds: [21, 22], docPrefix: 'd' });
  const table = path.join(root, 'ivf.lance');
  const b = await cli(['index', 'build', '--backend', 'lancedb', '--npy', docs, '--out', table, '--index', 'ivf_pq', '--partitions', '4', '--sub-vectors', '4']);
  assert.equal(b.stdout, `${table}: LanceDB table of 1,000 rows of 16 float32, ip, ivf_pq index of 4 partitions\n`);
  const store = path.join(root, 'docs.store');
  await cli(['index', 'build', '--npy', docs, '--out', store]);
  const exact = path.join(root, 'exact.trec');
  await cli(['index', 'search', '--store', store, '--queries', queries, '--k', '10', '--out', exact]);
  const ann = path.join(root, 'ann.trec');
  await cli(['index', 'search', '--backend', 'lancedb', '--store', table, '--queries', queries, '--nprobes', '4', '--refine-factor', '20', '--k', '10', '--out', ann]);
  const top = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')).sort();
  assert.deepEqual(top(ann), top(exact));
});
