/**
 * report.md and its figures: the main table (systems × settings, RR@10 mean ± sd over seeds, with
 * markers for significant differences from the zero-shot baseline and the test named), the contrast
 * families that answer the question (contrasts.ts; a table each, with p, adjusted p, direction and
 * d_z), the robustness probes, robustness and per-language RR@10 against the adversarial training ε,
 * realised code-switch ratios, time per stage and the machine — and a short answer to the study's
 * question computed from those numbers, whatever they say ("no effect detected" and "hurts" included).
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import path from 'node:path';
import { lineChartSvg } from '../eval/plots/line-chart.js';
import { resultsContrasts, type Results } from './results.js';
import type { CellStats, TableStats } from './stats.js';
import { cell, CONTRASTS_INTRO, contrastAnswer, f3, familySection, fp, marker, meanSd, table } from './report-format.js';
import { imageTextSection } from './image-text/report.js';
import { sweepGroups, trainEpsSection } from './train-eps.js';
import { lexiconSourcesSection } from './lexicon-report.js';

function settingLabel(r: Results, id: string): string {
  const s = r.settings.find((x) => x.id === id)!;
  const unseen = [...s.queries, ...s.docs].some((l) => r.config.languages.unseen.includes(l));
  return `${id}${unseen ? ' †' : ''}`;
}

/** Sentences answering the question from the table: per system, where it differs significantly from zero-shot. */
function answer(r: Results): string[] {
  const t = r.tables.main;
  const lines: string[] = [];
  if (r.runs.length === 0) return ['- The text half did not run (config `halves`): its tables below are empty; the image–text half is reported further down.'];
  for (const s of r.systems) {
    if (s.id === t.baseline) continue;
    const cs = t.cells.filter((c) => c.system === s.id && c.measure === 'RR@10' && c.test);
    const better = cs.filter((c) => c.test!.significant && c.test!.direction === 'better').map((c) => c.setting);
    const worse = cs.filter((c) => c.test!.significant && c.test!.direction === 'worse').map((c) => c.setting);
    const byFamily = ['moir', 'clir', 'mlir']
      .map((fam) => {
        const ids = r.settings.filter((x) => x.family === fam).map((x) => x.id);
        const deltas = ids.map((id) => (cell(t, s.id, id, 'RR@10')?.mean ?? NaN) - (cell(t, t.baseline, id, 'RR@10')?.mean ?? NaN)).filter(Number.isFinite);
        return deltas.length ? `${fam.toUpperCase()} ${deltas.reduce((a, b) => a + b, 0) / deltas.length >= 0 ? '+' : ''}${f3(deltas.reduce((a, b) => a + b, 0) / deltas.length)}` : '';
      })
      .filter(Boolean)
      .join(', ');
    lines.push(
      `- **${s.id}** vs ${t.baseline}: mean ΔRR@10 by family ${byFamily}; significantly better in ${better.length ? better.join(', ') : 'no setting'}` +
        `; significantly worse in ${worse.length ? worse.join(', ') : 'no setting'}.`,
    );
  }
  return lines;
}

function probeFigure(r: Results, kind: 'cs' | 'fgsm', file: string, title: string, xLabel: string, values: number[]): string {
  const systems = [...new Set(r.tables.probes.cells.map((c) => c.system))];
  const svg = lineChartSvg({
    title,
    xLabel,
    yLabel: 'RR@10',
    x: values,
    series: systems.map((s) => ({ name: s, y: values.map((v) => cell(r.tables.probes, s, `${kind}=${v}`, 'RR@10')?.mean ?? NaN) })),
  });
  writeFileAtomic(file, svg);
  return systems
    .map((s) => `| ${s} | ${values.map((v) => `${f3(cell(r.tables.probes, s, `${kind}=${v}`, 'RR@10')?.mean ?? NaN)}${marker(cell(r.tables.probes, s, `${kind}=${v}`, 'RR@10'))}`).join(' | ')} |`)
    .join('\n');
}

/** A section per contrast family: its test and correction, the RR@10 table, and the other measures' findings. */
function contrastSection(contrasts: NonNullable<Results['contrasts']>, r: Results): string[] {
  const md: string[] = ['## Contrasts, tested family by family', ''];
  md.push(CONTRASTS_INTRO, '');
  for (const [where, families] of [['main', contrasts.main], ['probes', contrasts.probes]] as const) {
    const onProbes = where === 'probes';
    for (const f of families)
      // The main table already marks every system against zero-shot: its long form is folded.
      md.push(...familySection(f, 'RR@10', (id) => (onProbes ? id : settingLabel(r, id)), { suffix: onProbes ? ` — under the probes on \`${r.config.probes.setting}\`` : '', fold: f.id === 'vs-zero-shot' && !onProbes }));
  }
  return md;
}

export function writeReport(out: string, r: Results): void {
  const figures = path.join(out, 'figures');
  mkdirSync(figures, { recursive: true });
  const t = r.tables.main;
  const settings = r.settings.map((s) => s.id);
  const md: string[] = [];
  md.push(`# xmrbench study: code-switching and adversarial training for zero-shot cross-lingual retrieval`, '');
  md.push(
    `Plan \`${r.config.plan}\` · seeds ${r.config.seeds.join(', ')} · dataset \`${r.config.dataset}\` (sha256 ${r.inputs.dataset.slice(0, 12)}) · lexicons \`${r.config.lexicons}\` (sha256 ${r.inputs.lexicons.slice(0, 12)}) · ${r.createdAt}`,
    '',
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, kernels on the ${r.machine.isa} path, Node ${r.machine.node}.`,
    '',
  );
  const contrasts = resultsContrasts(r);
  md.push('## The answer, as measured', '');
  md.push(
    'The contrasts that answer the question, each family tested on its own (a finding is "better" or "hurts" only where the family-corrected test is significant; "no effect detected" otherwise):',
    '',
    ...contrastAnswer(contrasts.main, 'across settings'),
    ...contrastAnswer(contrasts.probes, `under the probes on \`${r.config.probes.setting}\``),
    '',
    `Every system against ${t.baseline} (the main table's family):`,
    '',
    ...answer(r),
    '',
  );
  md.push(
    `Markers: ▲/▼ = significantly better/worse than **${t.baseline}** in that setting (${t.testDescription} on seed-averaged per-query RR@10, ` +
      `${t.correction === 'none' ? 'no correction' : `${t.correction} correction over all ${t.cells.filter((c) => c.test && c.measure === 'RR@10').length} comparisons of the table`}, α = ${t.alpha}). ` +
      `Values: mean over seeds of mean RR@10 ± sd across seeds. † = the setting involves a language no lexicon was used for in training (${r.config.languages.unseen.join(', ')}).`,
    '',
  );
  md.push('## Main table: RR@10', '');
  md.push(table(['system', ...settings.map((s) => settingLabel(r, s))], r.systems.map((s) => [s.id, ...settings.map((id) => `${meanSd(cell(t, s.id, id, 'RR@10'))}${marker(cell(t, s.id, id, 'RR@10'))}`)])), '');
  md.push('Adjusted p-values against the baseline (RR@10):', '');
  md.push(table(['system', ...settings], r.systems.filter((s) => s.id !== t.baseline).map((s) => [s.id, ...settings.map((id) => fp(cell(t, s.id, id, 'RR@10')?.test?.pAdjusted ?? NaN))])), '');
  for (const m of r.measures.filter((x) => x !== 'RR@10')) {
    md.push(`### ${m}`, '');
    md.push(table(['system', ...settings], r.systems.map((s) => [s.id, ...settings.map((id) => `${meanSd(cell(t, s.id, id, m))}${marker(cell(t, s.id, id, m))}`)])), '');
  }
  md.push(...contrastSection(contrasts, r), '');
  if (r.runs.length > 0) md.push(...lexiconSourcesSection('## Lexicon sources', r.lexiconSources ?? [], r.systems, contrasts.main, 'RR@10'));
  const xen = r.settings.filter((s) => s.family === 'clir' && s.docs.length === 1 && s.docs[0] === 'en' && s.queries.length === 1);
  if (xen.length > 1) {
    writeFileAtomic(
      path.join(figures, 'rr10-by-language.svg'),
      lineChartSvg({ title: 'RR@10, X→EN, by query language', xLabel: 'query language', yLabel: 'RR@10', x: xen.map((s) => s.queries[0]!), series: r.systems.map((s) => ({ name: s.id, y: xen.map((x) => cell(t, s.id, x.id, 'RR@10')?.mean ?? NaN) })) }),
    );
    md.push('![RR@10 by query language](figures/rr10-by-language.svg)', '');
  }
  const pt = r.tables.probes;
  if (pt.cells.length > 0) {
    md.push('## Robustness probes', '');
    md.push(`On \`${r.config.probes.setting}\`. Markers compare with ${pt.baseline} at the same probe value (${pt.correction} over the probe table).`, '');
    md.push(`### Code-switched queries (ML-CS into ${r.config.languages.seen.join(', ')} at rate p)`, '');
    const cs = r.config.probes.csRates;
    const csRows = probeFigure(r, 'cs', path.join(figures, 'rr10-vs-cs-rate.svg'), 'RR@10 against the query code-switching rate p', 'p', cs);
    md.push(`| system | ${cs.map((p) => `p = ${p}`).join(' | ')} |`, `|---|${cs.map(() => '---:').join('|')}|`, csRows, '', '![RR@10 against p](figures/rr10-vs-cs-rate.svg)', '');
    const ratios = cs.map((p) => {
      const rs = r.runs.filter((x) => x.probe?.kind === 'cs' && x.probe.value === p && x.notes.switchRatio !== undefined);
      return `p = ${p}: ${rs.length ? f3(rs[0]!.notes.switchRatio!) : '–'}`;
    });
    md.push(`Realised switch ratio of the probe queries (switched / non-stopword tokens): ${ratios.join(', ')}.`, '');
    md.push(`### FGSM on the query embedding (ε relative to 1/√dim, against the relevant document's score)`, '');
    const eps = r.config.probes.eps;
    const fgRows = probeFigure(r, 'fgsm', path.join(figures, 'rr10-vs-eps.svg'), 'RR@10 against the FGSM step ε', 'ε (× 1/√dim)', eps);
    md.push(`| system | ${eps.map((e) => `ε = ${e}`).join(' | ')} |`, `|---|${eps.map(() => '---:').join('|')}|`, fgRows, '', '![RR@10 against ε](figures/rr10-vs-eps.svg)', '');
  }
  md.push(
    ...trainEpsSection('## Adversarial training strength', {
      groups: sweepGroups(r.systems, t.baseline, r.config.train.adv),
      unit: r.config.train.adv.epsRelative ? ' (× mean embedding norm)' : '',
      measure: 'RR@10',
      measureLabel: 'RR@10',
      probeTable: pt,
      probes: [
        { kind: 'fgsm', what: 'FGSM probe on the query embedding', values: r.config.probes.eps },
        { kind: 'cs', what: 'code-switched queries', values: r.config.probes.csRates },
      ],
      probeNote: `Robustness against the training ε: mean RR@10 under each probe over its values above 0, on \`${r.config.probes.setting}\`; ε = 0 is the same system without adversarial training (zero-shot for ADV, ML-CS for ML-CS + ADV). The probes run on English documents only, so these figures are not per language; the per-language view is RR@10 in each X→EN setting below.`,
      mainTable: t,
      settings: xen.map((x) => ({ id: x.id, label: settingLabel(r, x.id) })),
      settingsTitle: 'RR@10, X→EN,',
      figures,
      robustnessFile: (kind) => `robustness-${kind}-vs-train-eps.svg`,
      settingsFile: (i) => `rr10-by-language-vs-train-eps-${i}.svg`,
    }),
  );
  // Translate-Test systems reuse their base system's models: list each trained model once.
  const translateTest = new Set(r.systems.filter((s) => s.translateTest).map((s) => s.id));
  const trained = r.models.filter((m) => m.train && !translateTest.has(m.system));
  if (trained.length > 0) {
    md.push('## Training', '');
    md.push(
      table(
        ['system', 'seed', 'pairs', 'seconds', 'pairs/s', 'final loss', 'switch ratio', 'ε (absolute)'],
        trained.map((m) => [m.system, String(m.seed), String(m.train!.pairs), m.train!.seconds.toFixed(1), m.train!.pairsPerSecond.toFixed(0), f3(m.train!.finalLoss), m.train!.switchRatio === null ? '–' : f3(m.train!.switchRatio), m.train!.epsAbsolute === null ? '–' : m.train!.epsAbsolute.toPrecision(3)]),
      ),
      '',
    );
  }
  const tt = r.runs.filter((x) => x.probe === null && x.notes.tokens !== undefined);
  if (tt.length > 0) {
    const tok = tt.reduce((a, x) => a + x.notes.tokens!, 0);
    const tr = tt.reduce((a, x) => a + x.notes.translatedTokens!, 0);
    md.push(`Translate-Test translated ${tr} of ${tok} query tokens (${f3(tr / Math.max(1, tok))}); queries in languages without an X→EN lexicon stay as they are.`, '');
  }
  if (r.imageText) md.push(...imageTextSection(r, r.imageText, figures));
  md.push('## Time', '');
  md.push(table(['stage', 'seconds'], Object.entries(r.seconds).map(([k, v]) => [k, v.toFixed(1)])), '');
  md.push('## Systems', '', ...r.systems.map((s) => `- **${s.id}**: ${s.description}`), '');
  md.push('## Settings', '', ...r.settings.map((s) => `- **${s.id}** (${s.family.toUpperCase()}): queries in ${s.queries.join('+')}, documents in ${s.docs.join('+')}; ${s.queryCount} queries, ${s.documentCount} documents`), '');
  md.push(
    '## How to read this',
    '',
    '- Each trained system is trained once per seed; its score in a setting is the mean over seeds of the mean per-query value, ± the standard deviation across seeds. No seed is picked.',
    '- Tests pair queries: each query\'s value is averaged over the system\'s seeds, then compared with the baseline\'s; all comparisons of a table are corrected together (per measure).',
    '- Each contrast family (ML-CS + ADV against ML-CS, ADV against zero-shot, ML-CS + ADV against ADV, lexicon sources against each other) is corrected on its own, per measure, over its contrasts × settings: a smaller family than the whole table, asking one question.',
    '- Every per-query value is in `results.json` (schema in docs/results-schema.md); every run is in `runs/`.',
    '',
  );
  writeFileAtomic(path.join(out, 'report.md'), md.join('\n'));
}
