// The streaming JSONL commands: codeswitch, translate, mix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/xmrbench.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

test('codeswitch streams JSONL, switches several fields, and is identical on 1 and 2 threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-cli-'));
  try {
    const input = join(dir, 'train.jsonl');
    const recs = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: i, query: `the dog and cat ${i}`, passage: `A house, a tree. Dog ${i}!` }));
    writeFileSync(input, recs.join('\n') + '\n');
    const run = (threads: string, out: string) =>
      cli('codeswitch', '--in', input, '--out', out, '--lexicon', 'de=datasets/lexicons/en-de.txt', '--field', 'query', '--field', 'passage', '--p', '0.5', '--seed', '3', '--threads', threads, '--batch', '700');
    const one = run('1', join(dir, 'one.jsonl'));
    const two = run('2', join(dir, 'two.jsonl'));
    assert.equal(one.status, 0, one.stderr);
    assert.equal(two.status, 0, two.stderr);
    const a = readFileSync(join(dir, 'one.jsonl'), 'utf8');
    assert.equal(a, readFileSync(join(dir, 'two.jsonl'), 'utf8'));
    const lines = a.trim().split('\n').map((l) => JSON.parse(l) as { id: number; query: string; passage: string });
    assert.equal(lines.length, 3000);
    assert.equal(lines[7]!.id, 7);
    assert.ok(lines.some((l) => l.query.includes('hund')) && lines.some((l) => l.passage.includes('haus')));
    const stats = JSON.parse(one.stderr.trim().split('\n').at(-1)!) as { ratio: number; coveredRatio: number; tokens: number };
    assert.equal(stats.tokens, 3000 * (5 + 6), 'numbers are tokens too');
    assert.ok(Math.abs(stats.coveredRatio - 0.5) < 0.03);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input to the commands gives one clear line and exit status 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-cli-'));
  try {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text":"a dog"}\n{oops\n');
    let r = cli('codeswitch', '--in', bad, '--out', join(dir, 'o.jsonl'), '--lexicon', 'de=datasets/lexicons/en-de.txt');
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^xmrbench: ${bad}:2: invalid JSON: `));
    r = cli('codeswitch', '--in', bad, '--lexicon', `de=${join(dir, 'none.txt')}`);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `xmrbench: ${join(dir, 'none.txt')}: no such file\n`);
    r = cli('codeswitch', '--in', bad, '--lexicon', 'datasets/lexicons/en-de.txt');
    assert.equal(r.stderr, 'xmrbench: --lexicon must be LANG=FILE, got "datasets/lexicons/en-de.txt"\n');
    writeFileSync(bad, '{"query":"a dog"}\n');
    r = cli('translate', '--in', bad, '--lexicon', 'datasets/lexicons/de-en.txt');
    assert.equal(r.stderr, `xmrbench: ${bad}: record 1 has no string field "text"\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('translate and mix write JSONL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-cli-'));
  try {
    const out = join(dir, 't.jsonl');
    let r = cli('translate', '--in', 'datasets/ddtp-mini/de/queries.jsonl', '--out', out, '--lexicon', 'datasets/lexicons/de-en.txt');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 500);
    r = cli('mix', '--set', 'de=datasets/ddtp-mini/de/queries.jsonl', '--set', 'it=datasets/ddtp-mini/it/queries.jsonl', '--out', join(dir, 'm.jsonl'), '--seed', '4');
    assert.equal(r.status, 0, r.stderr);
    const mixed = readFileSync(join(dir, 'm.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { lang: string });
    assert.ok(mixed.length >= 500);
    assert.deepEqual([...new Set(mixed.map((m) => m.lang))].sort(), ['de', 'it']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
