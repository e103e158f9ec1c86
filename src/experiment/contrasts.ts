/**
 * The study's contrast families, built from the systems' kinds (issue 13: "the contrasts that answer
 * the question are tested", each family with its own correction):
 *   vs-zero-shot      every system against the zero-shot baseline (the main table's markers);
 *   adv-over-cs       ML-CS + ADV against ML-CS with the same languages and lexicon source — does adversarial training
 *                     add anything on top of code-switching? (the project's central comparison);
 *   adv-vs-zero-shot  ADV against zero-shot — does adversarial training alone change anything?
 *   cs-over-adv       ML-CS + ADV against ADV at the same method and ε — does code-switching add
 *                     anything on top of adversarial training?
 *   lexicon-sources   each code-switching system against the systems of the same kind, languages
 *                     (and method and ε) built from another lexicon source — the later source in
 *                     LEXICON_SOURCES order (freedict, titles, clwe) against the earlier — does the
 *                     lexicon matter? (issue 14; Litschko et al. 2023 compare CLWE and title lexicons).
 * Translate-Test systems are left out of the last three (they change the queries, not the model).
 * A family with no contrast (a study without ML-CS, say) is left out. The image–text half builds its
 * families from its systems with the same function when they use the same kinds.
 */
import type { StudySystem } from './config.js';
import { LEXICON_SOURCES } from './lexicons.js';
import type { Contrast, ContrastFamily } from './stats.js';

type Kinded = Pick<StudySystem, 'id' | 'kind' | 'langs' | 'translateTest' | 'adv' | 'lexicon'>;

const sameLangs = (a: Kinded, b: Kinded) => JSON.stringify(a.langs ?? null) === JSON.stringify(b.langs ?? null);
const sameAdv = (a: Kinded, b: Kinded) => a.adv?.method === b.adv?.method && a.adv?.eps === b.adv?.eps;
const CODE_SWITCHING = new Set(['bl-cs', 'ml-cs', 'ml-cs+adv']);
/** A system's lexicon source's place in LEXICON_SOURCES (absent: FreeDict, the first). */
const sourceRank = (s: Kinded) => LEXICON_SOURCES.indexOf(s.lexicon ?? 'freedict');
const sameSource = (a: Kinded, b: Kinded) => sourceRank(a) === sourceRank(b);

/** The families of a study whose baseline is `baseline` (see the module comment), in report order. */
export function studyContrastFamilies(systems: readonly Kinded[], baseline: string): ContrastFamily[] {
  const model = systems.filter((s) => !s.translateTest);
  const pairs = (kind: string, referenceOf: (s: Kinded) => Kinded | undefined): Contrast[] =>
    model.filter((s) => s.kind === kind).flatMap((s) => {
      const r = referenceOf(s);
      return r ? [{ system: s.id, reference: r.id }] : [];
    });
  const base = systems.find((s) => s.id === baseline);
  const families: ContrastFamily[] = [
    { id: 'vs-zero-shot', title: `Every system against ${baseline}`, contrasts: systems.filter((s) => s.id !== baseline).map((s) => ({ system: s.id, reference: baseline })) },
    { id: 'adv-over-cs', title: 'ML-CS + ADV against ML-CS: does adversarial training add anything on top of code-switching?', contrasts: pairs('ml-cs+adv', (s) => model.find((r) => r.kind === 'ml-cs' && sameLangs(r, s) && sameSource(r, s))) },
    { id: 'adv-vs-zero-shot', title: `ADV against ${baseline}: does adversarial training alone change anything?`, contrasts: pairs('adv', () => base) },
    { id: 'cs-over-adv', title: 'ML-CS + ADV against ADV: does code-switching add anything on top of adversarial training?', contrasts: pairs('ml-cs+adv', (s) => model.find((r) => r.kind === 'adv' && sameAdv(r, s))) },
    {
      id: 'lexicon-sources',
      title: 'Code-switching lexicon sources against each other (same kind and languages): does the lexicon matter?',
      contrasts: model
        .filter((s) => CODE_SWITCHING.has(s.kind))
        .flatMap((s) => model.filter((r) => r.kind === s.kind && sameLangs(r, s) && sameAdv(r, s) && sourceRank(r) < sourceRank(s)).map((r) => ({ system: s.id, reference: r.id }))),
    },
  ];
  return families.filter((f) => f.contrasts.length > 0);
}
