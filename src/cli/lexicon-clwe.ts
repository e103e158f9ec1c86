/**
 * `xmrbench lexicon clwe | bli | bli-table`: CLWE lexicons from two `.vec` files and a dictionary, with
 * bilingual lexicon induction (BLI) scored as MUSE scores it (data/lexicons/bli.ts), and any lexicon
 * scored on the same held-out words.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import { XmrError } from '../errors.js';
import { nonNegativeInteger, positiveInteger, probability } from '../args.js';
import { evaluateBli, splitDictionary } from '../data/lexicons/bli.js';
import type { BliScores } from '../data/lexicons/bli.js';
import { bliTableRows, CLWE_TABLE_HEADER, LEXICON_TABLE_HEADER, readBliReport } from '../data/lexicons/bli-report.js';
import type { ClweReport, LexiconBliReport } from '../data/lexicons/bli-report.js';
import { cslsRadius, induceLexicon, mapSpace, precisionAt1, procrustes, toSpace } from '../data/lexicons/induction.js';
import type { Space } from '../data/lexicons/induction.js';
import { readMuse, readMusePairs, writeMuse } from '../data/lexicons/muse.js';
import { refineProcrustes } from '../data/lexicons/refine.js';
import { readVec } from '../data/lexicons/vec.js';
import { table } from '../experiment/report-format.js';

const log = (msg: string): void => void process.stderr.write(`lexicon: ${msg}\n`);

/** The language pair a dictionary file names (`en-de.txt` → `en-de`), unless --pair says otherwise. */
const pairName = (pair: string | undefined, dictionary: string): string => pair ?? basename(dictionary).replace(/\.[^.]*$/, '');

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

function loadSpace(file: string, maxWords: number): Space {
  const t = performance.now();
  const space = toSpace(readVec(file, maxWords));
  log(`${space.words.length} × ${space.dim} vectors from ${file} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  return space;
}

interface SplitArgs {
  dictionary: string;
  testFraction: number;
  maxTestWords: number;
  seed: number;
  pair?: string;
}

/** The options every BLI split shares, so `clwe` and `bli` hold out the same words. */
function splitOptions<T>(y: Argv<T>): Argv<T & SplitArgs> {
  return y
    .option('dictionary', { type: 'string', demandOption: true, describe: 'Bilingual dictionary (MUSE format), split by source word into seed and test parts' })
    .option('test-fraction', { type: 'number', default: 0.2, describe: 'Share of the source words held out for BLI' })
    .option('max-test-words', { type: 'number', default: 1500, describe: 'At most this many test words (MUSE: 1,500); 0 = no cap' })
    .option('seed', { type: 'number', default: 0, describe: 'Seed of the split' })
    .option('pair', { type: 'string', describe: 'Pair name in the report (default: the dictionary file name, e.g. en-de)' }) as unknown as Argv<T & SplitArgs>;
}

function checkSplit(a: SplitArgs): { testFraction: number; maxTestWords: number | undefined; seed: number } {
  const testFraction = probability(a.testFraction, 'test-fraction');
  const cap = nonNegativeInteger(a.maxTestWords, 'max-test-words');
  return { testFraction, maxTestWords: cap === 0 ? undefined : cap, seed: nonNegativeInteger(a.seed, 'seed') };
}

interface ClweArgs extends SplitArgs {
  srcVec: string;
  tgtVec: string;
  out: string;
  report: string;
  refine: number;
  refineWords: number;
  maxWords: number;
  translateWords: number;
  method: 'nn' | 'csls';
  knn: number;
  threads: number;
}

const pct = (s: BliScores): string => `NN P@1 ${(100 * s.nn.p1).toFixed(1)} P@5 ${(100 * s.nn.p5).toFixed(1)}, CSLS P@1 ${(100 * s.csls.p1).toFixed(1)} P@5 ${(100 * s.csls.p5).toFixed(1)}`;

const clwe: CommandModule<object, ClweArgs> = {
  command: 'clwe',
  describe: 'Align two .vec spaces on a dictionary\'s seed split (Procrustes, optional MUSE refinement), score BLI on its test split, write the induced lexicon',
  builder: (y: Argv) =>
    splitOptions(
      y
        .option('src-vec', { type: 'string', demandOption: true, describe: 'Source .vec (most frequent word first)' })
        .option('tgt-vec', { type: 'string', demandOption: true, describe: 'Target .vec (most frequent word first)' })
        .option('out', { type: 'string', demandOption: true, describe: 'Induced lexicon (MUSE format, one translation per source word)' })
        .option('report', { type: 'string', demandOption: true, describe: 'BLI report (JSON)' })
        .option('refine', { type: 'number', default: 0, describe: 'MUSE refinement iterations after the supervised Procrustes' })
        .option('refine-words', { type: 'number', default: 15000, describe: 'Refinement dictionary: mutual CSLS neighbours among this many most frequent words per side' })
        .option('max-words', { type: 'number', default: 50000, describe: 'Read at most this many (most frequent) vectors per language' })
        .option('translate-words', { type: 'number', default: 20000, describe: 'Translate this many most frequent source words into the lexicon' })
        .option('method', { choices: ['nn', 'csls'] as const, default: 'csls' as const, describe: 'Retrieval for the written lexicon (the report has both)' })
        .option('knn', { type: 'number', default: 10, describe: 'CSLS neighbourhood size K' })
        .option('threads', { type: 'number', default: 2 }),
    )
      .example('$0 lexicon clwe --src-vec en.vec --tgt-vec de.vec --dictionary datasets/lexicons/en-de.txt --out en-de.clwe.txt --report en-de.bli.json', 'Procrustes on the 80% seed part of the dictionary, BLI on up to 1,500 held-out source words')
      .example('$0 lexicon clwe --src-vec en.vec --tgt-vec it.vec --dictionary datasets/lexicons/en-it.txt --refine 5 --out en-it.clwe.txt --report en-it.bli.json', 'then five MUSE refinement iterations') as unknown as Argv<ClweArgs>,
  handler: (a) => {
    const split = checkSplit(a);
    const knn = positiveInteger(a.knn, 'knn');
    const threads = positiveInteger(a.threads, 'threads');
    const refine = nonNegativeInteger(a.refine, 'refine');
    const translateWords = positiveInteger(a.translateWords, 'translate-words');
    const src = loadSpace(a.srcVec, positiveInteger(a.maxWords, 'max-words'));
    const tgt = loadSpace(a.tgtVec, a.maxWords);
    const { seed, seedWords, test, unusedWords } = splitDictionary(readMusePairs(a.dictionary), { ...split, srcVocab: src.index, tgtVocab: tgt.index });
    if (test.size === 0) throw new XmrError('E_EMPTY', 'no test word: no dictionary source word in the source vectors has a translation in the target vectors, or --test-fraction is 0', { file: a.dictionary });
    log(`split ${a.dictionary}: ${seedWords} seed words (${seed.length} pairs), ${test.size} test words${unusedWords > 0 ? ` (${unusedWords} beyond --max-test-words unused)` : ''}`);
    const sup = procrustes(src, tgt, seed);
    log(`Procrustes on ${sup.pairs} seed pairs`);
    const score = (w: Float64Array): { mapped: Space; radius: Float32Array; scores: BliScores } => {
      const mapped = mapSpace(src, w);
      const radius = cslsRadius(tgt, mapped, knn, threads);
      return { mapped, radius, scores: evaluateBli(mapped, tgt, test, { knn, threads, radius }) };
    };
    let final = score(sup.w);
    log(`BLI on ${test.size} test words: ${pct(final.scores)}`);
    let refined: Pick<ClweReport, 'bliSupervised' | 'refineIterations' | 'refineBest'> = {};
    if (refine > 0) {
      const r = refineProcrustes(src, tgt, sup.w, sup.pairs, {
        iterations: refine,
        refineWords: positiveInteger(a.refineWords, 'refine-words'),
        knn,
        threads,
        onIteration: (it) => log(`refinement ${it.iteration}: ${it.pairs} pairs, mean cosine ${it.criterion.toFixed(4)}`),
      });
      const supervised = final.scores;
      if (r.best !== 0) final = score(r.w);
      log(`kept iteration ${r.best}; BLI ${pct(final.scores)}`);
      refined = { bliSupervised: { nn: supervised.nn, csls: supervised.csls }, refineIterations: r.iterations, refineBest: r.best };
    }
    const lex = induceLexicon(final.mapped, tgt, { method: a.method, knn, threads, radius: final.radius, words: src.words.slice(0, translateWords) });
    writeMuse(a.out, lex);
    const report: ClweReport = {
      pair: pairName(a.pair, a.dictionary),
      src: a.srcVec,
      tgt: a.tgtVec,
      dictionary: a.dictionary,
      seedPairs: sup.pairs,
      seedWords,
      testWords: test.size,
      refine,
      bli: { nn: final.scores.nn, csls: final.scores.csls },
      lexiconPairs: lex.size,
      ...refined,
      unusedTestWords: unusedWords,
      dim: src.dim,
      srcWords: src.words.length,
      tgtWords: tgt.words.length,
      testFraction: split.testFraction,
      maxTestWords: split.maxTestWords ?? null,
      seed: split.seed,
      knn,
      method: a.method,
    };
    writeJson(a.report, report);
    log(`${lex.size} pairs → ${a.out}; report → ${a.report}`);
  },
};

interface BliArgs extends SplitArgs {
  lexicon: string;
  report: string;
  srcVec?: string;
  tgtVec?: string;
  maxWords: number;
}

const bli: CommandModule<object, BliArgs> = {
  command: 'bli',
  describe: 'Score an existing lexicon (P@1, one translation per word) on the test split of a dictionary, as `lexicon clwe` splits it',
  builder: (y: Argv) =>
    splitOptions(
      y
        .option('lexicon', { type: 'string', demandOption: true, describe: 'Lexicon to score (MUSE format; the first translation of each word counts)' })
        .option('report', { type: 'string', demandOption: true, describe: 'Report (JSON)' })
        .option('src-vec', { type: 'string', describe: 'Restrict the split to these source vectors\' words, as `lexicon clwe` does (give both or neither)' })
        .option('tgt-vec', { type: 'string', describe: 'Target vectors for the same restriction' })
        .option('max-words', { type: 'number', default: 50000, describe: 'With --src-vec/--tgt-vec: as `lexicon clwe --max-words`' }),
    )
      .example('$0 lexicon bli --lexicon en-de.dice.txt --dictionary datasets/lexicons/en-de.txt --src-vec en.vec --tgt-vec de.vec --report en-de.dice.bli.json', 'the titles (Dice) lexicon on the held-out words of `lexicon clwe`') as unknown as Argv<BliArgs>,
  handler: (a) => {
    const split = checkSplit(a);
    if ((a.srcVec === undefined) !== (a.tgtVec === undefined)) throw new XmrError('E_USAGE', 'give both --src-vec and --tgt-vec, or neither');
    const maxWords = positiveInteger(a.maxWords, 'max-words');
    const vocab = a.srcVec === undefined ? {} : { srcVocab: loadSpace(a.srcVec, maxWords).index, tgtVocab: loadSpace(a.tgtVec!, maxWords).index };
    const lex = readMuse(a.lexicon);
    const { test } = splitDictionary(readMusePairs(a.dictionary), { ...split, ...vocab });
    if (test.size === 0) throw new XmrError('E_EMPTY', 'no test word in the split', { file: a.dictionary });
    const { evaluated, hits, p1 } = precisionAt1(lex, test);
    const report: LexiconBliReport = {
      pair: pairName(a.pair, a.dictionary),
      lexicon: a.lexicon,
      dictionary: a.dictionary,
      lexiconPairs: lex.size,
      testWords: test.size,
      covered: evaluated,
      p1: hits / test.size,
      p1Covered: p1,
      testFraction: split.testFraction,
      maxTestWords: split.maxTestWords ?? null,
      seed: split.seed,
    };
    writeJson(a.report, report);
    log(`${a.lexicon}: ${evaluated} of ${test.size} test words translated, P@1 ${(100 * report.p1).toFixed(1)} (${(100 * p1).toFixed(1)} over the translated); report → ${a.report}`);
  },
};

const NOTE =
  'MUSE: Conneau et al. 2018, Table 1 (Procrustes + CSLS, fastText vectors trained on full Wikipedia, test words of frequency rank 5,000–6,500); ' +
  'ours: vectors trained on the DDTP descriptions, test words drawn from all frequencies of a FreeDict dictionary, so the numbers are not comparable in absolute terms.';

const blitable: CommandModule<object, { reports: string[] }> = {
  command: 'bli-table <reports..>',
  describe: 'Markdown table of BLI reports (`lexicon clwe` and `lexicon bli`) beside MUSE\'s published supervised P@1',
  builder: (y: Argv) =>
    y
      .positional('reports', { type: 'string', array: true, demandOption: true, describe: 'Report JSON files' })
      .example('$0 lexicon bli-table en-de.bli.json en-it.bli.json en-de.dice.bli.json', 'one table per kind of report, precision in %') as unknown as Argv<{ reports: string[] }>,
  handler: (a) => {
    const { clwe: rows, lexicons } = bliTableRows(a.reports.map(readBliReport));
    const parts: string[] = [];
    if (rows.length > 0) parts.push(table(CLWE_TABLE_HEADER, rows));
    if (lexicons.length > 0) parts.push(table(LEXICON_TABLE_HEADER, lexicons));
    process.stdout.write(parts.join('\n\n') + '\n\n' + NOTE + '\n');
  },
};

export const clweCommands = [clwe, bli, blitable] as unknown as CommandModule[];
