/**
 * The study's bilingual lexicons: a folder of MUSE-format files, `en-<x>.txt` (for code-switching
 * English into x) and `<x>-en.txt` (for Translate-Test), each read on first use.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readMuse, type Lexicon } from '../data/lexicons/muse.js';
import { XmrError } from '../errors.js';

/** Lexicons by language, read on first use: `en-<x>.txt` (for code-switching) and `<x>-en.txt`. */
export class Lexicons {
  private readonly cache = new Map<string, Lexicon>();
  constructor(readonly dir: string) {}

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
}
