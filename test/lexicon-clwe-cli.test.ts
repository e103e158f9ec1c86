// `xmrbench lexicon clwe | bli | bli-table` end to end on a planted rotation written as .vec files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randn } from '../src/random.js';
import { jacobiSvd } from '../src/data/lexicons/svd.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/xmrbench.js'), 'lexicon', ...args], { cwd: ROOT, encoding: 'utf8' });

const vecText = (words: string[], d: number, v: Float32Array | Float64Array): string =>
  `${words.length} ${d}\n` + words.map((w, i) => `${w} ${Array.from(v.subarray(i * d, (i + 1) * d)).join(' ')}\n`).join('');

/** 400 source words and their rotated translations (targets in another order), plus a dictionary. */
function fixture(dir: string): { src: string; tgt: string; dict: string } {
  const n = 400;
  const d = 12;
  const x = randn(n * d, 31);
  const { u, v } = jacobiSvd(Float64Array.from(randn(d * d, 32)), d);
  const y = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let b = 0; b < d; b++) for (let a = 0; a < d; a++) for (let k = 0; k < d; k++) y[(n - 1 - i) * d + b]! += x[i * d + a]! * u[a * d + k]! * v[b * d + k]!;
  const src = join(dir, 'en.vec');
  const tgt = join(dir, 'xx.vec');
  writeFileSync(src, vecText(Array.from({ length: n }, (_, i) => `s${i}`), d, x));
  writeFileSync(tgt, vecText(Array.from({ length: n }, (_, i) => `t${n - 1 - i}`), d, y));
  // Every word has its true translation; every third also an out-of-vocabulary one; 20 words have no vector.
  const lines: string[] = [];
  for (let i = 0; i < n + 20; i++) {
    lines.push(`s${i} t${i}`);
    if (i % 3 === 0) lines.push(`s${i} unknown${i}`);
  }
  const dict = join(dir, 'en-xx.txt');
  writeFileSync(dict, lines.join('\n') + '\n');
  return { src, tgt, dict };
}

test('lexicon clwe aligns on the seed split, scores BLI on the test split, writes the lexicon and the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-clwe-'));
  try {
    const { src, tgt, dict } = fixture(dir);
    const out = join(dir, 'en-xx.clwe.txt');
    const report = join(dir, 'r', 'bli.json');
    let r = cli('clwe', '--src-vec', src, '--tgt-vec', tgt, '--dictionary', dict, '--out', out, '--report', report, '--translate-words', '300', '--max-test-words', '50', '--threads', '1');
    assert.equal(r.status, 0, r.stderr);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    assert.deepEqual(Object.keys(rep).slice(0, 12), ['pair', 'src', 'tgt', 'dictionary', 'seedPairs', 'seedWords', 'testWords', 'refine', 'bli', 'lexiconPairs', 'unusedTestWords', 'dim']);
    assert.equal(rep.seedWords + rep.testWords + rep.unusedTestWords, 400, 'every word with vectors is on one side or over the cap');
    assert.equal(rep.pair, 'en-xx');
    assert.deepEqual([rep.src, rep.tgt, rep.dictionary], [src, tgt, dict]);
    assert.equal(rep.testWords, 50);
    assert.equal(rep.seedPairs, rep.seedWords, 'one in-vocabulary translation per word');
    assert.ok(rep.seedWords > 250 && rep.unusedTestWords > 0);
    assert.deepEqual(rep.bli, { nn: { p1: 1, p5: 1 }, csls: { p1: 1, p5: 1 } });
    assert.equal(rep.refine, 0);
    assert.equal(rep.lexiconPairs, 300);
    const lex = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lex.length, 300);
    for (const line of lex) assert.equal(line.replace(/^s(\d+) t(\d+)$/, (_, a, b) => (a === b ? 'ok' : line)), 'ok');
    assert.match(r.stderr, /lexicon: split .*en-xx\.txt: \d+ seed words \(\d+ pairs\), 50 test words \(\d+ beyond --max-test-words unused\)/);

    // Refinement: the report gains the supervised scores and the criterion per iteration.
    const report2 = join(dir, 'bli2.json');
    r = cli('clwe', '--src-vec', src, '--tgt-vec', tgt, '--dictionary', dict, '--out', join(dir, 'l2.txt'), '--report', report2, '--refine', '2', '--refine-words', '400', '--pair', 'en-zz');
    assert.equal(r.status, 0, r.stderr);
    const rep2 = JSON.parse(readFileSync(report2, 'utf8'));
    assert.equal(rep2.pair, 'en-zz');
    assert.equal(rep2.refine, 2);
    assert.deepEqual(rep2.bliSupervised, { nn: { p1: 1, p5: 1 }, csls: { p1: 1, p5: 1 } });
    assert.deepEqual(rep2.refineIterations.map((it: { iteration: number }) => it.iteration), [0, 1, 2]);
    assert.equal(rep2.testWords + rep2.seedWords, 400, 'no cap by default below 1,500 test words');

    // lexicon bli scores the induced lexicon on the same held-out words: all right.
    const report3 = join(dir, 'bli3.json');
    r = cli('bli', '--lexicon', out, '--dictionary', dict, '--src-vec', src, '--tgt-vec', tgt, '--max-test-words', '50', '--report', report3);
    assert.equal(r.status, 0, r.stderr);
    const rep3 = JSON.parse(readFileSync(report3, 'utf8'));
    assert.equal(rep3.testWords, 50);
    assert.equal(rep3.p1Covered, 1);
    assert.equal(rep3.p1, rep3.covered / 50, 'an untranslated test word is a miss');
    assert.ok(rep3.covered > 20 && rep3.covered < 50, `${rep3.covered} covered (the lexicon has s0…s299)`);

    // bli-table: both kinds, precision in percent, MUSE's number or why not.
    r = cli('bli-table', report, report3);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\| pair \| seed pairs \| test words \| NN P@1 \| NN P@5 \| CSLS P@1 \| CSLS P@5 \| MUSE supervised P@1 \|\n/);
    assert.match(r.stdout, new RegExp(`\\| en-xx \\| ${rep.seedPairs} \\| 50 \\| 100\\.0 \\| 100\\.0 \\| 100\\.0 \\| 100\\.0 \\| not in Table 1 \\|`));
    assert.match(r.stdout, /\| pair \| lexicon \| pairs \| test words \| covered \| P@1 \| P@1 \(covered\) \| MUSE supervised P@1 \|/);
    assert.match(r.stdout, /Conneau et al\. 2018, Table 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lexicon clwe / bli / bli-table: errors name the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmr-clwe-'));
  try {
    const { src, tgt, dict } = fixture(dir);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 's1 t1\ns2 t2 extra\n');
    let r = cli('clwe', '--src-vec', src, '--tgt-vec', tgt, '--dictionary', bad, '--out', join(dir, 'o.txt'), '--report', join(dir, 'o.json'));
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.split('\n').at(-2), `xmrbench: ${bad}:2: expected "source target", got 3 fields`);
    const none = join(dir, 'none.vec');
    r = cli('clwe', '--src-vec', none, '--tgt-vec', tgt, '--dictionary', dict, '--out', join(dir, 'o.txt'), '--report', join(dir, 'o.json'));
    assert.equal(r.stderr, `xmrbench: ${none}: no such file\n`);
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'cat chat\n');
    r = cli('clwe', '--src-vec', src, '--tgt-vec', tgt, '--dictionary', other, '--out', join(dir, 'o.txt'), '--report', join(dir, 'o.json'));
    assert.equal(r.stderr.split('\n').at(-2), `xmrbench: ${other}: no test word: no dictionary source word in the source vectors has a translation in the target vectors, or --test-fraction is 0`);
    r = cli('bli', '--lexicon', dict, '--dictionary', dict, '--src-vec', src, '--report', join(dir, 'o.json'));
    // Targets are stored in reverse order, so the 100 most frequent words of the two sides share no pair.
    r = cli('clwe', '--src-vec', src, '--tgt-vec', tgt, '--dictionary', dict, '--out', join(dir, 'o.txt'), '--report', join(dir, 'o.json'), '--refine', '1', '--refine-words', '100');
    assert.equal(r.stderr.split('\n').at(-2), 'xmrbench: refinement iteration 1: no mutual CSLS nearest neighbours among the 100 most frequent words of each side; raise --refine-words');
    r = cli('bli', '--lexicon', dict, '--dictionary', dict, '--src-vec', src, '--report', join(dir, 'o.json'));
    assert.equal(r.stderr, 'xmrbench: give both --src-vec and --tgt-vec, or neither\n');
    r = cli('bli', '--lexicon', dict, '--dictionary', dict, '--report', join(dir, 'o.json'), '--test-fraction', '2');
    assert.equal(r.stderr, 'xmrbench: test-fraction must be in [0, 1], got 2\n');
    const notReport = join(dir, 'x.json');
    writeFileSync(notReport, '{"pair": "en-de"}');
    r = cli('bli-table', notReport);
    assert.equal(r.stderr, `xmrbench: ${notReport}: not a BLI report (expected "bli": {"nn", "csls"} of "lexicon clwe" or "p1" of "lexicon bli")\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
