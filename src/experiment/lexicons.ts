/**
 * The study's bilingual lexicons: a folder of MUSE-format files, `en-<x>.txt` (for code-switching
 * English into x) and `<x>-en.txt` (for Translate-Test), each read on first use — and the
 * code-switching lexicon sources (issue 14, Litschko et al. 2023 compare CLWE and Wiki-title
 * lexicons): each source is a folder of `en-<x>.txt` (`lexiconSources` in the config, relative to
 * `lexicons`), read the same way.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readMuse, type Lexicon } from '../data/lexicons/muse.js';
import { XmrError } from '../errors.js';
import { hashOf, hashTree } from './cache.js';

/** Where a code-switching system's lexicon comes from (config `systems[].lexicon`). */
export const LEXICON_SOURCES = ['freedict', 'titles', 'clwe'] as const;
export type LexiconSource = (typeof LEXICON_SOURCES)[number];
export type LexiconSourceFolders = Record<LexiconSource, string>;

/** The default folders, relative to `lexicons` (datasets/README.md documents the layout). */
export const DEFAULT_LEXICON_SOURCES: LexiconSourceFolders = { freedict: '.', titles: 'titles', clwe: 'clwe' };

/** A source's folder: as given when absolute, else under `lexicons`. */
export function sourceFolder(lexicons: string, folders: LexiconSourceFolders, source: LexiconSource): string {
  const f = folders[source];
  return path.isAbsolute(f) ? f : path.join(lexicons, f);
}

/** Lexicons by language, read on first use: `en-<x>.txt` (for code-switching) and `<x>-en.txt`. */
export class Lexicons {
  private readonly cache = new Map<string, Lexicon>();
  private readonly sources = new Map<string, Lexicons>();
  /** `folders`: the code-switching sources' folders, relative ones under `dir` (default: DEFAULT_LEXICON_SOURCES). */
  constructor(
    readonly dir: string,
    private readonly folders: LexiconSourceFolders = DEFAULT_LEXICON_SOURCES,
  ) {}

  private read(file: string): Lexicon {
    let lex = this.cache.get(file);
    if (!lex) {
      const p = path.join(this.dir, file);
      if (!existsSync(p)) throw new XmrError('E_MISSING', 'no such lexicon', { file: p });
      lex = readMuse(p);
      this.cache.set(file, lex);
    }
    return lex;
  }

  /** EN→lang, for code-switching English text into `lang`. */
  fromEnglish(lang: string): Lexicon {
    return this.read(`en-${lang}.txt`);
  }

  /** lang→EN, for Translate-Test; undefined when there is none. */
  toEnglish(lang: string): Lexicon | undefined {
    return existsSync(path.join(this.dir, `${lang}-en.txt`)) ? this.read(`${lang}-en.txt`) : undefined;
  }

  /** The lexicons of a code-switching source (undefined: freedict), read on first use like these. */
  source(source: LexiconSource | undefined): Lexicons {
    const dir = sourceFolder(this.dir, this.folders, source ?? 'freedict');
    if (path.resolve(dir) === path.resolve(this.dir)) return this;
    let lex = this.sources.get(dir);
    if (!lex) this.sources.set(dir, (lex = new Lexicons(dir)));
    return lex;
  }
}

/** How each source's `en-<lang>.txt` is built (datasets/README.md has the full commands). */
const BUILT_BY: Record<LexiconSource, (lang: string, file: string) => string> = {
  freedict: (_lang, file) => `xmrbench lexicon freedict --dict eng-<ISO 639-3 code> --out ${file}`,
  titles: (lang, file) => `xmrbench lexicon titles --from ~/.cache/xmrbench/ddtp-apt/lists --lang ${lang} --out ${file}`,
  clwe: (lang, file) => `xmrbench lexicon clwe --src-vec en.vec --tgt-vec ${lang}.vec --dictionary <FreeDict en-${lang}.txt> --out ${file} --report en-${lang}.bli.json\` on vectors from \`xmrbench embed train`,
};

/**
 * What the lexicon files a code-switching system reads hold, for its models' cache keys: undefined
 * when they are in `lexicons` itself (whose own files every key hashes already, plan.ts
 * studyInputs), else SHA-256 over each language's file (hashed once per plan, in `known`). Checks,
 * when the plan is built, that every file exists.
 * @throws XmrError naming the missing file, the system and the command that builds the file.
 */
export function lexiconContent(lexicons: string, folders: LexiconSourceFolders, use: { system: string; source: LexiconSource; langs: readonly string[] }, known: Map<string, string>): string | undefined {
  const dir = sourceFolder(lexicons, folders, use.source);
  const files = use.langs.map((lang) => {
    const file = path.join(dir, `en-${lang}.txt`);
    if (!existsSync(file))
      throw new XmrError('E_MISSING', `no ${use.source} lexicon en→${lang} for system "${use.system}" (lexicon "${use.source}", lexiconSources.${use.source}); build it with \`${BUILT_BY[use.source](lang, file)}\``, { file });
    return [lang, file] as const;
  });
  if (path.resolve(dir) === path.resolve(lexicons)) return undefined;
  return hashOf(files.map(([lang, file]) => {
    let h = known.get(file);
    if (h === undefined) known.set(file, (h = hashTree(file)));
    return [lang, h];
  }));
}
