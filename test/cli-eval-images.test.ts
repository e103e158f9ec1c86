/**
 * `xmrbench eval-images` end to end on the CLIP_benchmark reference embeddings: the recall table in
 * JSON with per-query values equal to CLIP_benchmark's, CSV, runs that `xmrbench compare --test
 * mcnemar` reads, and a wrong .npy refused with the file named.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readNpy, writeNpy } from '../src/data/npy.js';
import { mcnemarTest } from '../src/eval/significance/index.js';
import { packageRoot } from '../src/native.js';
import { cli } from './helpers/cli.js';
import { referenceDir, skipUnlessReference } from './helpers/reference-dir.js';

const skip = skipUnlessReference('image-text/expected.json');

describe('xmrbench eval-images', { skip }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xmr-eval-images-'));
  const ref = path.join(referenceDir, 'image-text');
  const expected = skip ? undefined : JSON.parse(readFileSync(path.join(ref, 'expected.json'), 'utf8'));
  // The reference as a Karpathy file (image i has the captions whose texts_image_index is i), as the README uses it.
  const captions = path.join(packageRoot, 'test', 'fixtures', 'image-text', 'clip-reference.karpathy.json');
  if (!skip) {
    // A second "model": the reference images with a deterministic perturbation.
    const m = readNpy(path.join(ref, 'images.npy'));
    writeNpy(path.join(dir, 'other.npy'), m.data.map((v, i) => v + 0.05 * Math.sin(i * 12.9898)), m.rows, m.cols);
  }
  const base = ['--captions', captions, '--texts', path.join(ref, 'texts.npy')];

  it('uses a captions file that encodes texts_image_index', () => {
    const doc = JSON.parse(readFileSync(captions, 'utf8')) as { images: { sentences: { sentid: number }[] }[] };
    const index: number[] = [];
    doc.images.forEach((img, i) => img.sentences.forEach((s) => (index[s.sentid] = i)));
    assert.deepEqual(index, expected.texts_image_index);
  });

  it('prints CLIP_benchmark recall and per-query values as JSON, and writes runs', async () => {
    const { stdout } = await cli(['eval-images', ...base, '--images', path.join(ref, 'images.npy'), '--format', 'json', '--per-query', '--runs', path.join(dir, 'a')]);
    const out = JSON.parse(stdout);
    const [en] = out.results;
    assert.deepEqual([en.lang, en.images, en.captions, en.t2i.queries, en.i2t.queries], ['en', 300, 1259, 1259, 300]);
    for (const k of [1, 5, 10]) {
      assert.equal(Math.fround(en.t2i[`R@${k}`]), expected.metrics[`image_retrieval_recall@${k}`]);
      assert.equal(Math.fround(en.i2t[`R@${k}`]), expected.metrics[`text_retrieval_recall@${k}`]);
      assert.deepEqual(en.t2i.perQuery[`R@${k}`], expected.per_query[`t2i@${k}`]);
      assert.deepEqual(en.i2t.perQuery[`R@${k}`], expected.per_query[`i2t@${k}`]);
    }
    assert.equal(en.t2i.perQuery.ids[0], '0');
    assert.equal(en.i2t.perQuery.ids[0], 'img000.jpg');
  });

  it('compare --test mcnemar reads the runs of two models', async () => {
    const { stdout: b } = await cli(['eval-images', ...base, '--images', path.join(dir, 'other.npy'), '--format', 'json', '--per-query', '--runs', path.join(dir, 'b')]);
    const { stdout: a } = await cli(['eval-images', ...base, '--images', path.join(ref, 'images.npy'), '--format', 'json', '--per-query']);
    const { stdout } = await cli(['compare', '--qrels', path.join(dir, 'a', 'en.i2t.qrels'), '--runs', path.join(dir, 'a', 'en.i2t.run'), path.join(dir, 'b', 'en.i2t.run'), '--metrics', 'Success@1,Success@5,Success@10', '--test', 'mcnemar', '--format', 'json', '--resamples', '0']);
    const cmp = JSON.parse(stdout);
    // compare lists queries in byte order of their ids; McNemar only counts, so order does not matter.
    const pa = JSON.parse(a).results[0].i2t;
    const pb = JSON.parse(b).results[0].i2t;
    for (const k of [1, 5, 10]) {
      const row = cmp.comparisons.find((c: { measure: string }) => c.measure === `Success@${k}`);
      assert.equal(row.pValue, mcnemarTest(pa.perQuery[`R@${k}`], pb.perQuery[`R@${k}`]).pValue);
      assert.equal(row.meanA, pa[`R@${k}`]);
      assert.equal(row.meanB, pb[`R@${k}`]);
    }
  });

  it('prints CSV and the table', async () => {
    const { stdout } = await cli(['eval-images', ...base, '--images', path.join(ref, 'images.npy'), '--format', 'csv', '--k', '1,5']);
    const lines = stdout.trim().split('\n');
    assert.equal(lines[0], 'lang,direction,queries,R@1,R@5,RR,MedR,MeanR');
    assert.match(lines[1]!, /^en,t2i,1259,0\.043685464654487687,0\.14932486100079428,/);
    const { stdout: table } = await cli(['eval-images', ...base, '--images', path.join(ref, 'images.npy'), '--no-ranks']);
    assert.match(table, /^lang\s+direction\s+queries\s+R@1\s+R@5\s+R@10\n/);
    assert.match(table, /\nen\s+text→image\s+1259\s+0\.0437\s+0\.1493\s+0\.2295\n/);
  });

  it('refuses embeddings whose rows do not match the captions, naming the file', async () => {
    const bad = path.join(dir, 'bad.npy');
    writeNpy(bad, new Float32Array(64 * 10), 10, 64);
    await assert.rejects(cli(['eval-images', ...base, '--images', bad]), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.equal(e.stderr, `xmrbench: ${bad}: 10 rows for the 300 images of the captions file (without ids, row i is the i-th image); give ids beside the .npy\n`);
      return true;
    });
  });
});
