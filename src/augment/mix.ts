/**
 * Mixed-language (MLIR) sets from parallel data (Litschko et al. 2023, §4 "MLIR"): every query (or
 * document) keeps its id but appears in one language drawn per id, uniformly among the requested
 * languages that have it. The draw hashes (seed, id), so it does not depend on order or on the other ids.
 */
import { XmrError } from '../errors.js';
import { checkSeed } from '../args.js';
import { draw, hashString, textKey } from '../random.js';

export interface MixedRecord {
  _id: string;
  text: string;
  lang: string;
}

/**
 * `sets` maps a language to its id → text map (parallel: the same id means the same item). Every id present
 * in at least one of `langs` is emitted, in code-unit order of id. With `requireAll`, only ids present in
 * every language are kept (so each language is equally likely for every id).
 */
export function mixLanguages(
  sets: ReadonlyMap<string, ReadonlyMap<string, string>>,
  opts: { langs: readonly string[]; seed: number; requireAll?: boolean },
): MixedRecord[] {
  checkSeed(opts.seed);
  if (opts.langs.length === 0) throw new RangeError('langs must name at least one language');
  for (const l of opts.langs) if (!sets.has(l)) throw new XmrError('E_MISSING', `no set for language ${JSON.stringify(l)}`);
  const ids = new Set<string>();
  for (const l of opts.langs) for (const id of sets.get(l)!.keys()) ids.add(id);
  const out: MixedRecord[] = [];
  for (const id of [...ids].sort()) {
    const have = opts.langs.filter((l) => sets.get(l)!.has(id));
    if (opts.requireAll === true && have.length !== opts.langs.length) continue;
    const lang = have[Math.floor(draw(textKey(opts.seed, hashString(id), 0), 0, 1) * have.length)]!;
    out.push({ _id: id, text: sets.get(lang)!.get(id)!, lang });
  }
  return out;
}
