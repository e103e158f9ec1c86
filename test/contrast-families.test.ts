// Contrast families (src/experiment/contrasts.ts, stats.ts contrastStats) on hand-made per-query
// values: the study's families come from the systems' kinds and sweeps; each contrast is the paired
// test of seed-averaged per-query values (scipy's ttest_rel where /usr/bin/python3 has scipy, and the
// library's own t-test and d_z), corrected with Holm within its family and measure only; a
// results.json written without contrasts gets the same ones recomputed from its tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { expandSystems, type SystemConfig } from '../src/experiment/config.js';
import { studyContrastFamilies } from '../src/experiment/contrasts.js';
import { resultsContrasts, tableContrasts, type Results } from '../src/experiment/results.js';
import { contrastStats, seedAverage, tableStats, type CellInput } from '../src/experiment/stats.js';
import { adjustPValues, cohensDz, pairedTTest } from '../src/eval/significance/index.js';
import { rng } from '../src/random.js';

const entries: SystemConfig[] = [
  { id: 'zs', kind: 'zero-shot' },
  { id: 'ml-cs', kind: 'ml-cs' },
  { id: 'adv', kind: 'adv', adv: { eps: [0.01, 0.1] } },
  { id: 'ml-cs+adv', kind: 'ml-cs+adv', adv: { eps: [0.01, 0.1] } },
  { id: 'tt-ml-cs', kind: 'ml-cs', translateTest: true },
];
const systems = expandSystems(entries, { method: 'fgsm', eps: 0.5 });
const SETTINGS = ['en-en', 'de-en', 'ru-en'];
const MEASURES = ['RR@10', 'nDCG@10'];
const QUERIES = 30;

// Per system a shift of the per-query values (ml-cs+adv at ε 0.1 clearly better than ml-cs; adv at
// ε 0.01 slightly worse than zero-shot), noise per seed, clipped to [0, 1] like a retrieval measure.
const SHIFT: Record<string, number> = { zs: 0, 'ml-cs': 0.08, 'adv-fgsm-0.01': -0.03, 'adv-fgsm-0.1': 0.01, 'ml-cs+adv-fgsm-0.01': 0.09, 'ml-cs+adv-fgsm-0.1': 0.2, 'tt-ml-cs': 0.05 };
const u = rng(42);
const base = new Map(SETTINGS.map((s) => [s, Array.from({ length: QUERIES }, () => u())]));
const inputs: CellInput[] = systems.flatMap((sys) =>
  SETTINGS.map((setting) => ({
    system: sys.id,
    setting,
    queryIds: Array.from({ length: QUERIES }, (_, i) => `q${i}`),
    perSeed: new Map(MEASURES.map((m, k) => [m, [0, 1].map(() => Float64Array.from(base.get(setting)!, (v) => Math.min(1, Math.max(0, v * (1 - 0.2 * k) + SHIFT[sys.id]! + 0.15 * (u() - 0.5)))))])),
  })),
);
const table = tableStats(inputs, MEASURES, { baseline: 'zs', test: 't', correction: 'holm', alpha: 0.05 });
const families = studyContrastFamilies(systems, 'zs');
const seedAvg = (system: string, setting: string, m: string) => seedAverage(inputs.find((i) => i.system === system && i.setting === setting)!.perSeed.get(m)!);

test('the families come from the kinds: ML-CS + ADV vs ML-CS, ADV vs zero-shot, ML-CS + ADV vs ADV at the same ε', () => {
  assert.deepEqual(systems.map((s) => s.id), ['zs', 'ml-cs', 'adv-fgsm-0.01', 'adv-fgsm-0.1', 'ml-cs+adv-fgsm-0.01', 'ml-cs+adv-fgsm-0.1', 'tt-ml-cs']);
  const byId = Object.fromEntries(families.map((f) => [f.id, f.contrasts.map((c) => `${c.system} vs ${c.reference}`)]));
  assert.deepEqual(Object.keys(byId), ['vs-zero-shot', 'adv-over-cs', 'adv-vs-zero-shot', 'cs-over-adv']);
  assert.equal(byId['vs-zero-shot']!.length, systems.length - 1);
  assert.deepEqual(byId['adv-over-cs'], ['ml-cs+adv-fgsm-0.01 vs ml-cs', 'ml-cs+adv-fgsm-0.1 vs ml-cs']);
  assert.deepEqual(byId['adv-vs-zero-shot'], ['adv-fgsm-0.01 vs zs', 'adv-fgsm-0.1 vs zs']);
  assert.deepEqual(byId['cs-over-adv'], ['ml-cs+adv-fgsm-0.01 vs adv-fgsm-0.01', 'ml-cs+adv-fgsm-0.1 vs adv-fgsm-0.1']);
  // Without ML-CS there is no ML-CS + ADV vs ML-CS family.
  assert.deepEqual(studyContrastFamilies(systems.filter((s) => s.id !== 'ml-cs'), 'zs').map((f) => f.id), ['vs-zero-shot', 'adv-vs-zero-shot', 'cs-over-adv']);
});

test('each contrast is the paired t-test of seed-averaged values, Holm-corrected within its family and measure', () => {
  for (const family of families) {
    const st = contrastStats(table, family);
    assert.equal(st.cells.length, family.contrasts.length * SETTINGS.length * MEASURES.length);
    for (const m of MEASURES) {
      const cells = st.cells.filter((c) => c.measure === m);
      assert.equal(st.familySize[m], cells.length);
      const raw = cells.map((c) => {
        const a = seedAvg(c.reference, c.setting, m);
        const b = seedAvg(c.system, c.setting, m);
        const t = pairedTTest(a, b);
        assert.equal(c.test.pValue, t.pValue, `${c.system} ${c.setting} ${m}`);
        assert.equal(c.test.dz, cohensDz(a, b));
        assert.equal(c.test.direction, c.delta > 0 ? 'better' : 'worse');
        return t.pValue;
      });
      assert.deepEqual(cells.map((c) => c.test.pAdjusted), adjustPValues(raw, 'holm'));
      for (const c of cells) assert.equal(c.test.significant, c.test.pAdjusted < 0.05);
    }
  }
  // The family of the question is smaller than the main table's: its adjusted p-values are smaller.
  const own = contrastStats(table, families.find((f) => f.id === 'adv-vs-zero-shot')!);
  const inTable = (c: (typeof own.cells)[number]) => table.cells.find((x) => x.system === c.system && x.setting === c.setting && x.measure === c.measure)!.test!;
  for (const c of own.cells) {
    assert.equal(c.test.pValue, inTable(c).pValue);
    assert.ok(c.test.pAdjusted <= inTable(c).pAdjusted, `${c.system} ${c.setting}`);
  }
  assert.ok(own.cells.some((c) => c.test.pAdjusted < inTable(c).pAdjusted));
  // The hand-made effect is found: ML-CS + ADV at ε 0.1 beats ML-CS everywhere.
  const central = contrastStats(table, families.find((f) => f.id === 'adv-over-cs')!);
  assert.ok(central.cells.filter((c) => c.system === 'ml-cs+adv-fgsm-0.1' && c.measure === 'RR@10').every((c) => c.test.significant && c.test.direction === 'better'));
});

let scipy = true;
try {
  execFileSync('/usr/bin/python3', ['-c', 'import scipy'], { stdio: 'ignore' });
} catch {
  scipy = false;
}

test('p-values agree with scipy.stats.ttest_rel, adjusted by Holm', { skip: scipy ? false : 'scipy not available under /usr/bin/python3' }, () => {
  const family = families.find((f) => f.id === 'adv-over-cs')!;
  const st = contrastStats(table, family, { measures: ['RR@10'] });
  const pairs = st.cells.map((c) => [Array.from(seedAvg(c.reference, c.setting, 'RR@10')), Array.from(seedAvg(c.system, c.setting, 'RR@10'))]);
  // Holm (1979) step-down, written out: p̃(i) = min(1, max_{j ≤ i} (m − j + 1) p(j)).
  const script = `
import json, sys
from scipy.stats import ttest_rel
pairs = json.load(sys.stdin)
p = [float(ttest_rel(b, a).pvalue) for a, b in pairs]
m = len(p); order = sorted(range(m), key=lambda i: p[i]); adj = [0.0] * m; run = 0.0
for j, i in enumerate(order):
    run = max(run, (m - j) * p[i]); adj[i] = min(1.0, run)
print(json.dumps({"p": p, "adj": adj}))`;
  const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' })) as { p: number[]; adj: number[] };
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1e-300) || Math.abs(a - b) < 1e-15;
  st.cells.forEach((c, i) => {
    assert.ok(close(c.test.pValue, ref.p[i]!), `${c.system} ${c.setting}: ${c.test.pValue} vs scipy ${ref.p[i]}`);
    assert.ok(close(c.test.pAdjusted, ref.adj[i]!), `${c.system} ${c.setting}: adjusted ${c.test.pAdjusted} vs ${ref.adj[i]}`);
  });
});

test('a results.json without contrasts gets the same ones recomputed from its tables', () => {
  const probes = tableStats(inputs.map((i) => ({ ...i, perSeed: new Map([['RR@10', i.perSeed.get('RR@10')!]]) })), ['RR@10'], { baseline: 'zs', test: 't', correction: 'holm', alpha: 0.05 });
  const written = tableContrasts(systems.map((s) => ({ ...s, description: '' })), { main: table, probes });
  const old = JSON.parse(JSON.stringify({ systems: systems.map((s) => ({ ...s, description: '' })), tables: { main: table, probes } }, (_, v) => (v instanceof Float64Array ? Array.from(v) : v))) as Results;
  assert.equal(old.contrasts, undefined);
  assert.deepEqual(resultsContrasts(old), written);
  assert.equal(resultsContrasts({ ...old, contrasts: written }), written);
});
