/**
 * trec_eval's own test suite against `xmrbench eval`: every command of the Makefile's `quicktest`
 * target is run through what the eval command runs (in process: a CLI start per command would cost
 * seconds). Where xmrbench takes its measures and options, the output must be its `test/out.test*`
 * file byte for byte; and every value such a file holds for a measure xmrbench implements (per query
 * and `all`) must print the same to four decimals. The inputs include
 * `qrels.test.with-comments` (`#` comment lines) and `results.trunc` (text after the run tag).
 * The source tarball is `../shared/tools/trec_eval-src.tar.gz` (see ../shared/tools/README.md);
 * without it the test skips with a message.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluateFiles, runEval } from '../src/cli/eval.js';
import { fromTrecEvalName, parseMeasure, parseMeasures, summaryOnly } from '../src/eval/measures.js';
import { parseTrecEvalOutput, trecEvalFormat } from '../src/eval/trec-eval-output.js';
import { skipUnlessTool, toolsDir } from './helpers/reference-dir.js';

const TARBALL = 'trec_eval-src.tar.gz';
const skip = skipUnlessTool(TARBALL);

interface Command {
  line: string;
  qrels: string;
  results: string;
  expected: string;
  perQuery: boolean;
  complete: boolean;
  level: number;
  maxDocs: number;
  /** The -m arguments, in order (trec_eval's `official` set without any). */
  measures: string[];
  /** Why xmrbench cannot run this command at all, if so. */
  unsupported?: string;
}

/** The `./trec_eval ARGS | diff - test/OUT` lines of the quicktest target, with their options. */
function quicktestCommands(makefile: string): Command[] {
  const body = makefile.split(/^quicktest:.*$/m)[1]!.split(/\n\s*\n/)[0]!;
  const out: Command[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    const m = /^\.\/trec_eval (.*) \| diff - (\S+)$/.exec(line);
    if (m === null) continue;
    const words = m[1]!.split(/\s+/);
    const cmd: Command = { line, qrels: '', results: '', expected: m[2]!, perQuery: false, complete: false, level: 1, maxDocs: Infinity, measures: [] };
    const positional: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const value = (flag: string): string => (w.length > flag.length ? w.slice(flag.length) : words[++i]!);
      if (w === '-q') cmd.perQuery = true;
      else if (w === '-c') cmd.complete = true;
      else if (w.startsWith('-l')) cmd.level = Number(value('-l'));
      else if (w.startsWith('-M')) cmd.maxDocs = Number(value('-M'));
      else if (w.startsWith('-m')) cmd.measures.push(value('-m'));
      else if (w.startsWith('-R')) cmd.unsupported = `input format -R ${value('-R')} (preference / judgment-group files)`;
      else if (w.startsWith('-Z')) cmd.unsupported = `z-score normalisation (-Z ${value('-Z')})`;
      else if (w.startsWith('-')) throw new Error(`unexpected trec_eval option ${w} in: ${line}`);
      else positional.push(w);
    }
    assert.equal(positional.length, 2, line);
    [cmd.qrels, cmd.results] = positional as [string, string];
    out.push(cmd);
  }
  return out;
}

describe("trec_eval's quicktest through xmrbench eval", { skip }, () => {
  let dir = '';
  let commands: Command[] = [];
  before(() => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'xmr-trec-eval-'));
    execFileSync('tar', ['xzf', path.join(toolsDir, TARBALL), '-C', tmp]);
    dir = path.join(tmp, 'trec_eval');
    commands = quicktestCommands(readFileSync(path.join(dir, 'Makefile'), 'utf8'));
  });
  after(() => {
    if (dir !== '') rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('every command whose measures and options xmrbench takes prints the same bytes', async (t) => {
    const report: string[] = [];
    let same = 0;
    for (const cmd of commands) {
      const metrics = cmd.measures.length === 0 ? 'official' : cmd.measures.join(',');
      let reason = cmd.unsupported;
      try {
        parseMeasures(metrics);
      } catch (e) {
        reason ??= `measure parameters xmrbench does not take (${(e as Error).message.slice(0, 60)}…)`;
      }
      if (reason !== undefined) {
        report.push(`skipped (${reason}): ${cmd.line}`);
        continue;
      }
      const { text } = await runEval({
        qrels: path.join(dir, cmd.qrels),
        run: path.join(dir, cmd.results),
        metrics,
        'per-query': cmd.perQuery,
        format: 'trec',
        intersection: !cmd.complete,
        level: cmd.level,
        ...(Number.isFinite(cmd.maxDocs) ? { 'max-docs': cmd.maxDocs } : {}),
        'judged-only': false,
      });
      assert.equal(text, readFileSync(path.join(dir, cmd.expected), 'utf8'), cmd.line);
      same++;
      report.push(`identical: ${cmd.line}`);
    }
    for (const r of report) t.diagnostic(r);
    // the three official ones, the five all_trec ones (with -q, -c, -M 100, -l 2 and relstring.20)
    assert.equal(same, 8, report.join('\n'));
  });

  it('every command with measures xmrbench implements prints the same values', async (t) => {
    assert.ok(commands.length >= 15, `quicktest lists ${commands.length} commands`);
    const report: string[] = [];
    let total = 0;
    for (const cmd of commands) {
      if (cmd.unsupported !== undefined) {
        report.push(`skipped (${cmd.unsupported}): ${cmd.line}`);
        continue;
      }
      // measure → qid → value as printed by trec_eval
      const expected = parseTrecEvalOutput(readFileSync(path.join(dir, cmd.expected), 'utf8'), (m) => fromTrecEvalName(m, cmd.level, cmd.maxDocs));
      if (expected.size === 0) {
        report.push(`skipped (no measure xmrbench implements): ${cmd.line}`);
        continue;
      }
      // trec_eval without -c averages over qrels ∩ run (`xmrbench eval --intersection`)
      const ev = await evaluateFiles(path.join(dir, cmd.qrels), path.join(dir, cmd.results), [...expected.keys()], { queries: cmd.complete ? 'all' : 'intersection' });
      let checked = 0;
      for (const [name, byQuery] of expected) {
        for (const [qid, value] of byQuery) {
          const i = ev.queryIds.indexOf(qid);
          const ours = qid === 'all' ? ev.mean.get(name) : i < 0 ? undefined : ev.perQuery.get(name)![i];
          assert.equal(ours === undefined ? 'missing' : trecEvalFormat(name)(ours), value, `${cmd.line}: ${name} for ${qid}`);
          checked++;
        }
        // without -q only the `all` line is printed; with it, one line per query of the run as well
        // (but for num_q and gm_map, printed for `all` only)
        assert.ok(byQuery.has('all') && (!cmd.perQuery || byQuery.size > 1 || summaryOnly(parseMeasure(name).family)), `${cmd.expected}: ${name} lines`);
      }
      total += checked;
      report.push(`${checked} values of ${expected.size} measures: ${cmd.line}`);
    }
    t.diagnostic(`${total} values agree`);
    for (const r of report) t.diagnostic(r);
    // every command in trec_results/qrels format prints some measure xmrbench has
    assert.equal(report.filter((r) => !r.startsWith('skipped')).length, commands.filter((c) => c.unsupported === undefined).length);
  });
});
