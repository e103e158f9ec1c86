/**
 * `xmrbench lexicon …`: bilingual lexicons in MUSE format (`source target` per line).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { ddtpParallelSynopses } from '../data/ddtp/build.js';
import { readDictd } from '../data/lexicons/dictd.js';
import { freedictCandidates, freedictLexicon } from '../data/lexicons/freedict.js';
import { induceLexicon, mapSpace, precisionAt1, procrustes, toSpace } from '../data/lexicons/induction.js';
import { invertLexicon, readMuse, readMuseGold, readMusePairs, writeMuse } from '../data/lexicons/muse.js';
import { readVec } from '../data/lexicons/vec.js';
import { diceLexicon } from '../data/lexicons/titles-dice.js';
import { clweCommands } from './lexicon-clwe.js';

const freedict: CommandModule<object, { dict: string; reverse?: string; dir: string; out: string }> = {
  command: 'freedict',
  describe: 'One translation per word from a FreeDict dictionary (dictd format)',
  builder: (y: Argv) =>
    y
      .option('dict', { type: 'string', demandOption: true, describe: 'Dictionary name, e.g. eng-deu' })
      .option('reverse', { type: 'string', describe: 'Reverse dictionary for round-trip agreement, e.g. deu-eng' })
      .option('dir', { type: 'string', default: '/usr/share/dictd', describe: 'Where freedict-<name>.index and .dict.dz are' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output lexicon file' })
      .example('$0 lexicon freedict --dict eng-deu --reverse deu-eng --out datasets/lexicons/en-de.txt', 'the committed EN→DE lexicon') as unknown as Argv<{
      dict: string;
      reverse?: string;
      dir: string;
      out: string;
    }>,
  handler: (a) => {
    const load = (name: string) => freedictCandidates(readDictd(join(a.dir, `freedict-${name}`)));
    const lex = freedictLexicon(load(a.dict), a.reverse === undefined ? undefined : load(a.reverse));
    writeMuse(a.out, lex);
    process.stderr.write(`lexicon: ${lex.size} pairs → ${a.out}\n`);
  },
};

const invert: CommandModule<object, { in: string; out: string }> = {
  command: 'invert',
  describe: 'Swap source and target (first source in code-unit order wins a shared target)',
  builder: (y: Argv) =>
    y
      .option('in', { type: 'string', demandOption: true })
      .option('out', { type: 'string', demandOption: true })
      .example('$0 lexicon invert --in datasets/lexicons/en-ru.txt --out datasets/lexicons/ru-en.txt', 'RU→EN for Translate-Test') as unknown as Argv<{ in: string; out: string }>,
  handler: (a) => {
    const lex = invertLexicon(readMuse(a.in));
    writeMuse(a.out, lex);
    process.stderr.write(`lexicon: ${lex.size} pairs → ${a.out}\n`);
  },
};

interface TitlesArgs {
  from: string;
  lang: string;
  out: string;
  minCount: number;
  minPair: number;
  minDice: number;
  mutual: boolean;
}

const titles: CommandModule<object, TitlesArgs> = {
  command: 'titles',
  describe: 'EN→L lexicon from aligned DDTP synopses of training packages, by Dice association (Wiki-CS analogue)',
  builder: (y: Argv) =>
    y
      .option('from', { type: 'string', demandOption: true, describe: 'Directory of apt lists with the Translation indexes' })
      .option('lang', { type: 'string', demandOption: true, describe: 'Target language' })
      .option('out', { type: 'string', demandOption: true })
      .option('min-count', { type: 'number', default: 3, describe: 'Minimum synopses containing each word' })
      .option('min-pair', { type: 'number', default: 3, describe: 'Minimum synopsis pairs containing both words' })
      .option('min-dice', { type: 'number', default: 0.3 })
      .option('mutual', { type: 'boolean', default: true, describe: 'Keep only mutual best pairs' })
      .example('$0 lexicon titles --from /tmp/ddtp-apt/lists --lang de --out /tmp/en-de.dice.txt', 'EN→DE from training synopses') as unknown as Argv<TitlesArgs>,
  handler: (a) => {
    const lex = diceLexicon(ddtpParallelSynopses(a.from, a.lang, 'train'), { minCount: a.minCount, minPair: a.minPair, minDice: a.minDice, mutual: a.mutual });
    writeMuse(a.out, lex);
    process.stderr.write(`lexicon: ${lex.size} pairs → ${a.out}\n`);
  },
};

interface InduceArgs {
  srcVec: string;
  tgtVec: string;
  seedLexicon?: string;
  gold?: string;
  method: 'nn' | 'csls';
  knn: number;
  maxWords: number;
  words?: string;
  threads: number;
  out: string;
}

const induce: CommandModule<object, InduceArgs> = {
  command: 'induce',
  describe: 'EN→L lexicon from cross-lingual word embeddings (Procrustes alignment, NN or CSLS) — the CLWE-CS lexicons',
  builder: (y: Argv) =>
    y
      .option('src-vec', { type: 'string', demandOption: true, describe: 'Source fastText .vec' })
      .option('tgt-vec', { type: 'string', demandOption: true, describe: 'Target fastText .vec' })
      .option('seed-lexicon', { type: 'string', describe: 'Seed pairs (MUSE format) to align the spaces; omit when they are aligned already' })
      .option('gold', { type: 'string', describe: 'Held-out gold lexicon: report precision@1 on it' })
      .option('method', { choices: ['nn', 'csls'] as const, default: 'csls' as const })
      .option('knn', { type: 'number', default: 10, describe: 'CSLS neighbourhood size' })
      .option('max-words', { type: 'number', default: 200000, describe: 'Read at most this many (most frequent) vectors per language' })
      .option('words', { type: 'string', describe: 'File of source words to translate, one per line (default: the whole source vocabulary)' })
      .option('threads', { type: 'number', default: 1 })
      .option('out', { type: 'string', demandOption: true })
      .example('$0 lexicon induce --src-vec wiki.en.vec --tgt-vec wiki.de.vec --seed-lexicon en-de.0-5000.txt --gold en-de.5000-6500.txt --words vocab.txt --out en-de.clwe.txt', 'align, translate by CSLS, report P@1') as unknown as Argv<InduceArgs>,
  handler: (a) => {
    const src = toSpace(readVec(a.srcVec, a.maxWords));
    const tgt = toSpace(readVec(a.tgtVec, a.maxWords));
    let mapped = src;
    if (a.seedLexicon !== undefined) {
      const { w, pairs } = procrustes(src, tgt, readMusePairs(a.seedLexicon));
      process.stderr.write(`lexicon: Procrustes on ${pairs} seed pairs\n`);
      mapped = mapSpace(src, w);
    }
    if (a.words !== undefined && !existsSync(a.words)) throw new XmrError('E_MISSING', 'no such file', { file: a.words });
    const words = a.words === undefined ? undefined : readFileSync(a.words, 'utf8').split('\n').map((w) => w.trim()).filter((w) => w !== '');
    const gold = a.gold === undefined ? undefined : readMuseGold(a.gold);
    const lex = induceLexicon(mapped, tgt, { method: a.method, knn: a.knn, threads: a.threads, words: words ?? (gold === undefined ? undefined : [...gold.keys()]) });
    if (gold !== undefined) process.stderr.write(JSON.stringify({ method: a.method, ...precisionAt1(lex, gold) }) + '\n');
    writeMuse(a.out, lex);
    process.stderr.write(`lexicon: ${lex.size} pairs → ${a.out}\n`);
  },
};

export const lexiconCommand: CommandModule = {
  command: 'lexicon',
  describe: 'Build bilingual lexicons (FreeDict, parallel titles, cross-lingual embeddings)',
  builder: (y: Argv) =>
    y
      .command(freedict as unknown as CommandModule)
      .command(titles as unknown as CommandModule)
      .command(invert as unknown as CommandModule)
      .command(induce as unknown as CommandModule)
      .command(clweCommands)
      .demandCommand(1)
      .example('$0 lexicon freedict --dict eng-ita --reverse ita-eng --out en-it.txt', 'EN→IT from FreeDict'),
  handler: () => {},
};
