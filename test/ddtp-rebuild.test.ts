// Rebuilding the committed snapshot from Debian's indexes gives identical bytes. Needs the archive (or
// XMR_DDTP_LISTS pointing at already-fetched apt lists); skips with a message otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDdtp } from '../src/data/ddtp/build.js';
import { fetchIndexes, readIndex } from '../src/data/ddtp/fetch.js';

const DIR = fileURLToPath(new URL('../../datasets/ddtp-mini/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as {
  params: { langs: string[]; docs: number; queries: number; train: number };
  indexes: { path: string; sha256: string }[];
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('xmrbench data ddtp rebuilds datasets/ddtp-mini byte for byte', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'xmr-ddtp-'));
  try {
    let lists = process.env.XMR_DDTP_LISTS;
    if (lists === undefined) {
      try {
        lists = fetchIndexes(join(work, 'apt'), manifest.params.langs);
      } catch (e) {
        t.skip(`Debian's archive is unreachable (${(e as Error).message}); set XMR_DDTP_LISTS to fetched lists to run offline`);
        return;
      }
    }
    for (const { path, sha256 } of manifest.indexes) {
      const lang = path.replace(/^.*Translation-/, '');
      if (readIndex(lists, lang).source.sha256 !== sha256) {
        t.skip(`${path} changed in the archive since the snapshot was built; rebuild it and update datasets/README.md`);
        return;
      }
    }
    const out = join(work, 'out');
    buildDdtp({ from: lists, out, langs: manifest.params.langs, docs: manifest.params.docs, queries: manifest.params.queries, train: manifest.params.train });
    const want = files(DIR).map((f) => relative(DIR, f)).sort();
    assert.deepEqual(files(out).map((f) => relative(out, f)).sort(), want);
    for (const f of want) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(DIR, f))), `${f} differs`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
