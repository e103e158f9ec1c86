/**
 * readKarpathy streams: a synthetic dataset_coco.json of 100,000 sentences (~22 MB, shaped like
 * Karpathy's: tokens, raw, imgid, sentid, sentids, cocoid; 5 or 6 captions per image; every 20th
 * image in the test split, as 5k of 123k are) is read for its test split in a child process whose
 * heap grows by well under the file's size. Reading the whole text and JSON.parse-ing it grows the
 * heap by ~2.5× the file (the text, then the tree). The young generation is held at 1 MB
 * (--max-semi-space-size) so the measure is what survives, not allocation churn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Writes the file; returns the number of test-split sentences. */
function writeSyntheticKarpathy(file: string, sentences: number): number {
  const words = ['a', 'man', 'riding', 'horse', 'on', 'the', 'beach', 'with', 'dog', 'two', 'people', 'standing', 'next', 'to', 'red', 'bus', 'street', 'kitchen', 'table', 'plate', 'of', 'food'];
  const parts = ['{"images": ['];
  let s = 0;
  let kept = 0;
  for (let i = 0; s < sentences; i++) {
    const sents = [];
    const split = i % 20 === 0 ? 'test' : 'train';
    for (let j = 0; j < 5 + (i % 7 === 0 ? 1 : 0) && s < sentences; j++, s++) {
      const tokens = Array.from({ length: 9 + ((s * 7) % 5) }, (_, t) => words[(s * 31 + t * 17) % words.length]!);
      sents.push({ tokens, raw: `${tokens.join(' ')}.`, imgid: i, sentid: s });
      if (split === 'test') kept++;
    }
    const id = 100000 + i;
    parts.push((i > 0 ? ', ' : '') + JSON.stringify({ filepath: 'val2014', sentids: sents.map((x) => x.sentid), filename: `COCO_val2014_000000${id}.jpg`, imgid: i, split, sentences: sents, cocoid: id }));
  }
  parts.push('], "dataset": "coco"}');
  writeFileSync(file, parts.join(''));
  return kept;
}

test('readKarpathy reads a 100,000-sentence file with heap growth well below its size', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'xmr-karpathy-big-')), 'dataset_coco.json');
  const kept = writeSyntheticKarpathy(file, 100_000);
  const size = statSync(file).size;
  const reader = fileURLToPath(new URL('../src/data/image-text/karpathy.js', import.meta.url));
  const child = `
    const { readKarpathy } = await import(${JSON.stringify(reader)});
    globalThis.gc();
    const before = process.memoryUsage();
    const set = readKarpathy(${JSON.stringify(file)}, { splits: ['test'] });
    const after = process.memoryUsage();
    console.log(JSON.stringify({ heapGrowth: after.heapTotal - before.heapTotal, captions: set.captions.length, images: set.images.length }));`;
  const { stdout } = await run(process.execPath, ['--max-semi-space-size=1', '--expose-gc', '--input-type=module', '-e', child]);
  const r = JSON.parse(stdout) as { heapGrowth: number; captions: number; images: number };
  assert.deepEqual([r.captions, r.images], [kept, 973]);
  assert.ok(size > 20e6, `the file is ${size} bytes`);
  assert.ok(r.heapGrowth < size / 4, `heap grew by ${r.heapGrowth} bytes for a file of ${size}`);
});
