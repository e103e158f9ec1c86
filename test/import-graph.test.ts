/**
 * The house rule on dependencies, checked on the compiled code (what an installed package runs):
 * nothing in src/ imports bench/ or test/ (neither ships, or they must not be needed), and the
 * top-level folders of src/ import each other without cycles (data/augment ← encoders ←
 * rankers/train ← eval ← experiment ← cli: a cycle means two folders are one module in two places).
 *
 * The walk starts from every src/**\/*.ts source (not every file in dist/, which may hold stale
 * output of deleted sources) and reads its compiled dist/src/**\/*.js. A dependency is a relative
 * specifier in a static `import … from` / `export … from` / `import '…'` at the start of a line, a
 * dynamic `import('…')`, or a worker script `new URL('…', import.meta.url)`, outside comment lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/native.js';

const SRC = path.join(packageRoot, 'src');
const DIST_SRC = path.join(packageRoot, 'dist', 'src');

/** Every compiled module of src/, as a path relative to dist/src with a .js extension. */
function compiledModules(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path.relative(SRC, full).replace(/\.ts$/, '.js'));
    }
  };
  walk(SRC);
  return out.sort();
}

const STATIC = /^[ \t]*(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"]+)\1/gm;
const BARE = /^[ \t]*import\s*(['"])([^'"]+)\1/gm;
const DYNAMIC = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;
const WORKER_URL = /\bnew URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/** The relative specifiers a compiled module depends on. */
function relativeSpecifiers(code: string): string[] {
  const lines = code
    .split('\n')
    .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l))
    .join('\n');
  const found: string[] = [];
  for (const re of [STATIC, BARE, DYNAMIC, WORKER_URL]) for (const m of lines.matchAll(re)) found.push(m[2]!);
  return found.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

interface Edge {
  from: string;
  to: string;
}

/** Edges between files, as paths relative to dist/src (a target outside it starts with `../`). */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of compiledModules()) {
    const compiled = path.join(DIST_SRC, file);
    assert.ok(existsSync(compiled), `${compiled} is missing: build with \`npx tsc -p tsconfig.json\` first`);
    for (const spec of relativeSpecifiers(readFileSync(compiled, 'utf8'))) {
      edges.push({ from: file, to: path.relative(DIST_SRC, path.resolve(path.dirname(compiled), spec)) });
    }
  }
  return edges;
}

/** The node of the folder-level graph: a top-level folder of src/ (`rankers/`), or a file at its root (`native.js`). */
function topLevel(file: string): string {
  const [first, ...rest] = file.split(path.sep);
  return rest.length > 0 ? `${first}/` : first!;
}

/** Strongly connected components with more than one node (Tarjan 1972): each is a set of folders on a cycle. */
function cycles(nodes: Set<string>, next: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return found;
}

test('the walk finds the compiled imports it checks (the CLI imports each command)', () => {
  const fromMain = importEdges()
    .filter((e) => e.from === path.join('cli', 'main.js'))
    .map((e) => e.to);
  for (const command of ['bench.js', 'eval.js', 'experiment.js']) assert.ok(fromMain.includes(path.join('cli', command)), `cli/main.js → cli/${command} not found in ${fromMain.join(', ')}`);
});

test('nothing in src/ imports bench/ or test/', () => {
  const wrongWay = importEdges().filter((e) => /^\.\.[\\/](\.\.[\\/])?(bench|test)([\\/]|$)/.test(e.to));
  assert.deepEqual(
    wrongWay.map((e) => `src/${e.from} → ${path.relative(packageRoot, path.resolve(DIST_SRC, e.to))}`),
    [],
    'src/ must not depend on bench/ or test/: neither is the library, and an installed package may not have them',
  );
});

test('the top-level folders of src/ import each other without cycles', () => {
  const edges = importEdges().filter((e) => !e.to.startsWith('..'));
  const nodes = new Set<string>();
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [topLevel(from), topLevel(to)];
    nodes.add(a).add(b);
    if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const report = cycles(nodes, next).map((component) => {
    const members = new Set(component);
    const crossing = edges.filter((e) => members.has(topLevel(e.from)) && members.has(topLevel(e.to)) && topLevel(e.from) !== topLevel(e.to));
    return `cycle between ${component.join(', ')}:\n${crossing.map((e) => `  src/${e.from} → src/${e.to}`).join('\n')}`;
  });
  assert.deepEqual(report, [], `the folders of src/ must form a DAG; found:\n${report.join('\n')}`);
});
