/**
 * The package as users get it: `npm pack` of this checkout, installed from the tarball into a
 * scratch folder (its install script compiles the addon with cmake-js: minutes, not seconds), then
 * `npx xmrbench --help`, `npx xmrbench bench --help` and a small top-k benchmark run from there.
 * This is what proves that everything the CLI needs ships: dist/src with the benchmark registry,
 * the native sources, and the competitor scripts of bench/ found relative to the installed module.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../src/native.js';

const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const skip = npmVersion.error || npmVersion.status !== 0 ? `npm is not available (${npmVersion.error?.message ?? npmVersion.stderr.trim()})` : false;

/** The environment without the npm_* variables of an enclosing `npm test` (a child npm would read them as its config). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  // onnxruntime-node's install script downloads CUDA files from a host this project cannot reach (.npmrc).
  return { ...env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.error, undefined, `${command} ${args.join(' ')}: ${r.error?.message}`);
  assert.equal(r.status, 0, `${command} ${args.join(' ')} exited with ${r.status} in ${cwd}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r;
}

const pythonHas = (module: string): boolean => spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

test('the packed package installs, and its xmrbench prints help and runs a benchmark', { skip, timeout: 40 * 60_000 }, () => {
  assert.ok(existsSync(path.join(packageRoot, 'dist', 'src', 'cli', 'main.js')), 'dist/ is missing: build with `npx tsc -p tsconfig.json` first');
  const scratch = mkdtempSync(path.join(tmpdir(), 'xmrbench-install-'));
  try {
    // --ignore-scripts: `prepare` would recompile dist/ while other test files import from it.
    const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], packageRoot).stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = new Set(packed[0]!.files.map((f) => f.path));
    const needed = ['bench/faiss_topk.py', 'bench/torch_dual_encoder.py', 'dist/src/bench/registry.js', 'dist/src/cli/bench.js', 'native/sources.cjs', 'test/fixtures/tokenizer/wordpiece-uncased.json'];
    for (const file of needed) {
      assert.ok(shipped.has(file), `${file} is not in the tarball`);
    }
    assert.deepEqual([...shipped].filter((f) => f.startsWith('dist/bench/') || f.startsWith('dist/test/')), [], 'compiled bench/ or test/ code in the tarball');

    // allowScripts: npm ≥ 11.? runs a dependency's install script (here cmake-js compiling the addon)
    // only when the project approves it, as `npm install-scripts approve xmrbench` would write.
    const project = { name: 'xmrbench-install-check', version: '1.0.0', private: true, allowScripts: { xmrbench: true } };
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify(project) + '\n');
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(scratch, packed[0]!.filename)], scratch);

    // The competitor scripts are found next to the installed module, not in this checkout.
    const installed = path.join(scratch, 'node_modules', 'xmrbench');
    const competitors = pathToFileURL(path.join(installed, 'dist', 'src', 'bench', 'competitors.js')).href;
    const scripts = JSON.parse(run(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify((await import('${competitors}')).COMPETITOR_SCRIPTS))`], scratch).stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(scripts).sort(), ['faiss', 'gensim', 'torch', 'torchClip', 'torchImageText']);
    for (const script of Object.values(scripts)) {
      assert.equal(path.dirname(script), path.join(installed, 'bench'));
      assert.ok(existsSync(script), `${script} is missing from the installed package`);
    }

    // `--no`: never fetch another package of that name; `--`: the flags after it are xmrbench's, not npx's.
    const xmrbench = (...args: string[]) => run('npx', ['--no', '--', 'xmrbench', ...args], scratch).stdout;
    const help = xmrbench('--help');
    assert.match(help, /xmrbench bench <workload>/);
    const benchHelp = xmrbench('bench', '--help');
    for (const workload of ['topk', 'tokenize', 'perturb', 'eval', 'significance', 'codeswitch', 'train']) assert.match(benchHelp, new RegExp(`xmrbench bench ${workload} `));

    const result = JSON.parse(xmrbench('bench', 'topk', '--docs', '2000', '--dim', '32', '--queries', '10', '--k', '5', '--time', '200', '--json')) as { workload: string; drivers: { driver: string }[]; ratios: Record<string, number>; faiss?: string };
    assert.equal(result.workload, 'topk');
    for (const ratio of ['bf16 / f32', 'f32 / typescript']) assert.ok(Number.isFinite(result.ratios[ratio]) && result.ratios[ratio]! > 0, `ratio ${ratio}: ${result.ratios[ratio]}`);
    if (pythonHas('faiss')) {
      // The competitor script was found next to the installed module, and its ratio reported.
      assert.ok(result.drivers.some((d) => d.driver.startsWith('faiss ')), `no FAISS driver: ${result.faiss}`);
      assert.ok(result.ratios['f32 / faiss']! > 0);
    } else {
      assert.match(result.faiss ?? '', /^not measured: /);
    }

    // The tokenize workload's competitors are devDependencies: an installed xmrbench says what to install.
    const tokenize = spawnSync('npx', ['--no', '--', 'xmrbench', 'bench', 'tokenize', '--texts', '10'], { cwd: scratch, env: cleanEnv(), encoding: 'utf8' });
    assert.equal(tokenize.status, 1, tokenize.stderr);
    assert.ok(
      tokenize.stderr.includes('xmrbench: bench tokenize compares with the npm packages tokenizers and @huggingface/tokenizers, which are not installed: run `npm install tokenizers @huggingface/tokenizers` beside xmrbench\n'),
      tokenize.stderr,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
