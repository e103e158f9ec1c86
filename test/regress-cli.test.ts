/**
 * `xmrbench regress` exit status, as a CI step sees it: 0 when nothing regressed, 1 on a
 * regression, 2 on a usage error (with the reason on stderr). Accuracy on TREC files here; the
 * performance rounds are tested with a stand-in for the child processes in regress-rounds.test.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/native.js';

const BIN = path.join(packageRoot, 'bin', 'xmrbench.js');
const xmr = (...args: string[]) => spawnSync(process.execPath, [BIN, 'regress', '--quiet', ...args], { encoding: 'utf8' });

let dir = '';
const file = (name: string) => path.join(dir, name);

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'xmr-regress-cli-'));
  const qrels: string[] = [];
  const good: string[] = [];
  const bad: string[] = [];
  for (let q = 0; q < 60; q++) {
    qrels.push(`q${q} 0 rel${q} 1`);
    // A finds the relevant document at rank 1 + q % 3; B misses it for two queries in three.
    for (let r = 1; r <= 5; r++) {
      const doc = r === 1 + (q % 3) ? `rel${q}` : `d${q}-${r}`;
      good.push(`q${q} Q0 ${doc} ${r} ${10 - r} a`);
      bad.push(`q${q} Q0 ${q % 3 === 0 ? doc : `x${q}-${r}`} ${r} ${10 - r} b`);
    }
  }
  writeFileSync(file('qrels.txt'), qrels.join('\n') + '\n');
  writeFileSync(file('good.run'), good.join('\n') + '\n');
  writeFileSync(file('copy.run'), good.join('\n') + '\n');
  writeFileSync(file('bad.run'), bad.join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('xmrbench regress exit status', () => {
  it('0 when B is a copy of A', () => {
    const r = xmr('--accuracy', '--qrels', file('qrels.txt'), '--a', file('good.run'), '--b', file('copy.run'), '--metrics', 'RR@10');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /good · RR@10 +0\.6111 +0\.6111 .* no worse/);
  });

  it('1 when B is worse, with the table on stdout and every comparison in --out', () => {
    const out = file('gate.json');
    const r = xmr('--accuracy', '--qrels', file('qrels.txt'), '--a', file('good.run'), '--b', file('bad.run'), '--metrics', 'RR@10,nDCG@10', '--format', 'markdown', '--out', out);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^\| System · measure \| A \| B \|/);
    assert.match(r.stdout, /\| good · RR@10 \| 0\.6111 \| 0\.3333 \| .* \| WORSE \|/);
    const gate = JSON.parse(spawnSync('cat', [out], { encoding: 'utf8' }).stdout);
    assert.equal(gate.kind, 'accuracy');
    assert.equal(gate.rows.length, 2);
  });

  it('2 on usage errors, with the reason', () => {
    const cases: [string[], RegExp][] = [
      [['--accuracy', '--a', file('good.run')], /--accuracy needs --a and --b: two results\.json, or with --qrels, run files/],
      [['--accuracy', '--qrels', file('qrels.txt'), '--a', file('good.run'), '--b', file('bad.run'), file('copy.run')], /--a and --b must list as many runs \(paired by position\), got 1 and 2/],
      [['--a', dir, '--record', '--out', file('x.json')], /give exactly one of --a DIR \(two builds\), --baseline FILE \(a saved result\) or --record/],
      [['--record'], /--record needs --out FILE to save the measurements/],
      [['--a', dir], /--a .*: no bin\/xmrbench\.js there \(give a checkout or an installed package folder\)/],
      [['--a', packageRoot, '--workload', 'nosuch --docs 5'], /--workload "nosuch --docs 5" must start with a bench workload: topk, tokenize, perturb, eval, significance, codeswitch, train/],
      [['--baseline', file('qrels.txt')], /qrels\.txt: not JSON/],
      [['--a', dir, '--format', 'xml'], /Invalid values/],
    ];
    for (const [args, message] of cases) {
      const r = xmr(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: status ${r.status}, stderr ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
