/**
 * The image–text section of report.md (report.ts calls it): per protocol and direction the main
 * tables (R@5 with McNemar markers, MRR with the paired test's), the contrast families that answer the
 * question (rendered as the text half's, report-format.ts), the probes with their figures (R@5 against p and against ε), robustness against the adversarial training ε (train-eps.ts, as the text half), and the training. The
 * protocol each table uses is named; when held-out recall is near chance for every system, the
 * section says so and puts the seen-image protocol first.
 */
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import { lineChartSvg } from '../../eval/plots/line-chart.js';
import { cell, CONTRASTS_INTRO, contrastAnswer, f3, familySection, marker, meanSd, table } from '../report-format.js';
import type { Results } from '../results.js';
import type { ImageTextProtocol } from './config.js';
import type { ImageTextResults, ImageTextTable } from './score.js';
import { sweepGroups, trainEpsSection } from '../train-eps.js';
import { lexiconSourcesSection } from '../lexicon-report.js';

/** The measure of the tables and figures: XTD10's headline measure (text→image R@5). */
const HEADLINE = 'R@5';
/** Held-out recall "near chance": below this multiple of chance (k / images) for every system and setting. */
const NEAR_CHANCE = 2;

const PROTOCOL_TEXT: Record<ImageTextProtocol, string> = {
  'held-out': 'held-out images (the style’s test split: images never seen in training, XTD10’s protocol)',
  'seen-images': 'seen images, other-language captions (the training split: the image tower saw these images, with English captions only — isolates the cross-lingual text side)',
};

const tableOf = (t: ImageTextTable, measure: string) => (measure === 'RR' ? t.rr : t.recall);

function label(r: Results, it: ImageTextResults, id: string): string {
  const s = it.settings.find((x) => x.id === id)!;
  const unseen = s.captions.some((l) => r.config.languages.unseen.includes(l));
  return `${id}${unseen ? ' †' : ''}${s.style !== r.config.imageText.trainStyle ? ' ‡' : ''}`;
}

/** Per system, the settings × directions where it is significantly better / worse than the table's baseline. */
function significance(t: ImageTextTable, measure: string, settingsOf: (c: string) => boolean): string[] {
  const tab = tableOf(t, measure);
  const systems = [...new Set(tab.cells.map((c) => c.system))].filter((s) => s !== tab.baseline);
  return systems.map((s) => {
    const cs = tab.cells.filter((c) => c.system === s && c.measure === measure && c.test && settingsOf(c.setting));
    const list = (dir: 'better' | 'worse') => cs.filter((c) => c.test!.significant && c.test!.direction === dir).map((c) => c.setting);
    const better = list('better');
    const worse = list('worse');
    const delta = cs.reduce((a, c) => a + c.mean - (cell(tab, tab.baseline, c.setting, measure)?.mean ?? NaN), 0) / Math.max(1, cs.length);
    return `- **${s}** vs ${tab.baseline} (${measure}): mean Δ ${delta >= 0 ? '+' : ''}${f3(delta)} over ${cs.length} cells; significantly better in ${better.length ? better.join(', ') : 'none'}; significantly worse in ${worse.length ? worse.join(', ') : 'none'}.`;
  });
}

function probeRows(it: ImageTextResults, kind: 'cs' | 'fgsm', values: number[], figure: string, title: string, xLabel: string): string[] {
  const t = it.tables.probes.recall;
  const systems = [...new Set(t.cells.map((c) => c.system))];
  writeFileAtomic(figure, lineChartSvg({ title, xLabel, yLabel: `text→image ${HEADLINE}`, x: values, series: systems.map((s) => ({ name: s, y: values.map((v) => cell(t, s, `${kind}=${v}`, HEADLINE)?.mean ?? NaN) })) }));
  return [
    `| system | ${values.map((v) => `${kind === 'cs' ? 'p' : 'ε'} = ${v}`).join(' | ')} |`,
    `|---|${values.map(() => '---:').join('|')}|`,
    ...systems.map((s) => `| ${s} | ${values.map((v) => `${meanSd(cell(t, s, `${kind}=${v}`, HEADLINE))}${marker(cell(t, s, `${kind}=${v}`, HEADLINE))}`).join(' | ')} |`),
  ];
}

export function imageTextSection(r: Results, it: ImageTextResults, figures: string): string[] {
  const c = r.config.imageText;
  const main = it.tables.main;
  const md: string[] = ['# Image–text retrieval', ''];
  md.push(
    `Test bed \`${c.dataset}\` (emoji images, CLDR names and keywords as captions), towers trained on the \`${c.trainStyle}\` style's training split; seeds ${c.seeds.join(', ')}. ` +
      `The zero-shot model is English CLIP trained from scratch (image tower ${c.side}×${c.side} px, patch ${c.tower.patch}, hidden ${c.tower.hidden}; text tower d = ${c.clip.dim}; symmetric InfoNCE, τ = ${c.clip.tau}, ${c.clip.epochs} epochs) on the English captions only, ` +
      `followed — like every system — by a LiT stage (${c.lit.epochs} epochs, image tower locked) on the same English captions, with the system's augmentation (none for ${main.recall.baseline}). Systems therefore differ from ${main.recall.baseline} only by their augmentation.`,
    '',
    `Markers: ▲/▼ = significantly better/worse than **${main.recall.baseline}** in that cell: ${main.recall.testDescription} for R@k (a query counts as a hit when at least half the seeds hit it), ${main.rr.testDescription} on seed-averaged per-query RR; ` +
      `${main.recall.correction} correction over all comparisons of the table per measure, α = ${main.recall.alpha}. Values: mean over seeds ± sd across seeds. † = captions in a language no lexicon was used for in training; ‡ = domain shift (the other image style). Directions: t2i = text→image (one query per caption), i2t = image→text (one query per image, any of its captions counts).`,
    '',
  );
  const heldOut = it.settings.filter((s) => s.protocol === 'held-out');
  const chanceRatio = Math.max(
    ...heldOut.flatMap((s) => main.recall.cells.filter((x) => x.setting === `${s.id} t2i` && x.measure === HEADLINE).map((x) => x.mean / (5 / Math.max(1, s.queries.i2t)))),
  );
  const nearChance = heldOut.length > 0 && chanceRatio < NEAR_CHANCE;
  const protocols: ImageTextProtocol[] = nearChance ? ['seen-images', 'held-out'] : ['held-out', 'seen-images'];
  if (nearChance)
    md.push(`**Held-out-image recall is near chance for every system** (text→image R@5 at most ${chanceRatio.toFixed(1)}× chance, 5 / images): the seen-image protocol comes first.`, '');
  md.push('## The answer, as measured (image–text)', '');
  for (const p of protocols) {
    const ids = new Set(it.settings.filter((s) => s.protocol === p).map((s) => s.id));
    const inP = (setting: string) => ids.has(setting.replace(/ (t2i|i2t)$/, ''));
    md.push(`Protocol: ${PROTOCOL_TEXT[p]}.`, '', ...significance(main, HEADLINE, inP), ...significance(main, 'RR', inP), '');
  }
  md.push(
    'The contrasts that answer the question, each family tested on its own (a finding is "better" or "hurts" only where the family-corrected test is significant; "no effect detected" otherwise):',
    '',
    ...contrastAnswer(it.tables.contrasts.recall, 'across settings and directions'),
    ...contrastAnswer(it.tables.contrasts.rr, 'across settings and directions'),
    '',
  );
  for (const p of protocols) {
    const settings = it.settings.filter((s) => s.protocol === p);
    for (const dir of ['t2i', 'i2t'] as const) {
      for (const m of [HEADLINE, 'RR']) {
        const tab = tableOf(main, m);
        md.push(`## ${m === 'RR' ? 'MRR' : m}, ${dir}: ${p}`, '', `Protocol: ${PROTOCOL_TEXT[p]}. Queries per setting: ${settings.map((s) => `${s.id} ${s.queries[dir]}`).join(', ')}.`, '');
        md.push(table(['system', ...settings.map((s) => label(r, it, s.id))], it.systems.map((s) => [s.id, ...settings.map((x) => `${meanSd(cell(tab, s.id, `${x.id} ${dir}`, m))}${marker(cell(tab, s.id, `${x.id} ${dir}`, m))}`)])), '');
      }
    }
  }
  md.push('## Image–text contrasts, tested family by family', '', CONTRASTS_INTRO, '');
  const settingName = (id: string) => id.replace(/^(.*) (t2i|i2t)$/, (_, setting: string, dir: string) => `${label(r, it, setting)} ${dir}`);
  it.tables.contrasts.recall.forEach((f, i) => {
    // The main tables already mark every system against zero-shot: that family's long form is folded.
    const fold = f.id === 'vs-zero-shot';
    md.push(...familySection(f, HEADLINE, settingName, { suffix: ' — R@k', fold }), ...familySection(it.tables.contrasts.rr[i]!, 'RR', settingName, { suffix: ' — MRR', fold }));
  });
  md.push(...lexiconSourcesSection('## Image–text: lexicon sources', r.lexiconSources ?? [], it.systems, it.tables.contrasts.recall, HEADLINE));
  if (it.tables.probes.recall.cells.length > 0) {
    const probe = it.settings.find((s) => s.id === c.probes.setting)!;
    md.push('## Image–text robustness probes (text→image)', '', `On \`${probe.id}\` (${PROTOCOL_TEXT[probe.protocol]}), its English captions. Markers compare with ${main.recall.baseline} at the same probe value (McNemar, ${main.recall.correction} over the probe table).`, '');
    md.push(`### Code-switched captions (ML-CS into ${r.config.languages.seen.join(', ')} at rate p): ${HEADLINE}`, '', ...probeRows(it, 'cs', c.probes.csRates, path.join(figures, 'it-r5-vs-cs-rate.svg'), `Text→image ${HEADLINE} against the caption code-switching rate p`, 'p'), '', `![${HEADLINE} against p](figures/it-r5-vs-cs-rate.svg)`, '');
    const ratios = c.probes.csRates.map((p) => `p = ${p}: ${f3(it.runs.find((x) => x.probe?.kind === 'cs' && x.probe.value === p)?.notes.switchRatio ?? NaN)}`);
    md.push(`Realised switch ratio of the probe captions (switched / non-stopword tokens): ${ratios.join(', ')}.`, '');
    md.push(`### FGSM on the caption embedding (ε relative to 1/√dim, against the relevant image's score): ${HEADLINE}`, '', ...probeRows(it, 'fgsm', c.probes.eps, path.join(figures, 'it-r5-vs-eps.svg'), `Text→image ${HEADLINE} against the FGSM step ε`, 'ε (× 1/√dim)'), '', `![${HEADLINE} against ε](figures/it-r5-vs-eps.svg)`, '');
  }
  md.push(
    ...trainEpsSection('## Image–text: adversarial training strength', {
      groups: sweepGroups(it.systems, main.recall.baseline, r.config.train.adv),
      unit: r.config.train.adv.epsRelative ? ' (× mean embedding norm)' : '',
      measure: HEADLINE,
      measureLabel: `text→image ${HEADLINE}`,
      probeTable: it.tables.probes.recall,
      probes: [
        { kind: 'fgsm', what: 'FGSM probe on the caption embedding', values: c.probes.eps },
        { kind: 'cs', what: 'code-switched captions', values: c.probes.csRates },
      ],
      probeNote: `Robustness against the training ε: mean text→image ${HEADLINE} under each probe over its values above 0, on \`${c.probes.setting}\`; ε = 0 is the same system without adversarial training (zero-shot for ADV, ML-CS for ML-CS + ADV). The per-language view is text→image ${HEADLINE} in each single-language setting of the training style below.`,
      mainTable: main.recall,
      settings: it.settings.filter((s) => s.captions.length === 1 && s.style === c.trainStyle).map((s) => ({ id: `${s.id} t2i`, label: label(r, it, s.id) })),
      settingsTitle: `Text→image ${HEADLINE} per caption setting,`,
      figures,
      robustnessFile: (kind) => `it-robustness-${kind}-vs-train-eps.svg`,
      settingsFile: (i) => `it-r5-by-setting-vs-train-eps-${i}.svg`,
    }),
  );
  const clips = [...new Map(it.models.filter((m) => m.clip).map((m) => [m.seed, m.clip!])).entries()];
  md.push('## Image–text training', '');
  md.push(table(['model', 'seed', 'pairs/epoch', 'seconds', 'pairs/s', 'final loss', 'switch ratio', 'ε (absolute)'], [
    ...clips.map(([seed, t]) => ['English CLIP', String(seed), String(t.pairs), t.seconds.toFixed(1), t.pairsPerSecond.toFixed(0), f3(t.finalLoss), '–', '–']),
    ...it.models.filter((m) => m.lit && !it.systems.find((s) => s.id === m.system)?.translateTest).map((m) => [`LiT ${m.system}`, String(m.seed), String(m.lit!.pairs), m.lit!.seconds.toFixed(1), m.lit!.pairsPerSecond.toFixed(0), f3(m.lit!.finalLoss), m.lit!.switchRatio === null ? '–' : f3(m.lit!.switchRatio), m.lit!.epsAbsolute === null ? '–' : m.lit!.epsAbsolute.toPrecision(3)]),
  ]), '');
  md.push('Image–text systems:', '', ...it.systems.map((s) => `- **${s.id}**: ${s.description}`), '');
  md.push('Image–text settings:', '', ...it.settings.map((s) => `- **${s.id}**: ${s.protocol}, style ${s.style}, captions in ${s.captions.join('+')}${s.captions.length > 1 ? ' (one language drawn per image)' : ''}; ${s.queries.t2i} captions, ${s.queries.i2t} images`), '');
  return md;
}
