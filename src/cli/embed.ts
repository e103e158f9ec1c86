/**
 * `xmrbench embed train`: monolingual word vectors (skip-gram with negative sampling) from one
 * language's DDTP train-family text or a text file, written as a `.vec` file (most frequent word first).
 */
import type { Argv, CommandModule } from 'yargs';
import { XmrError } from '../errors.js';
import { writeVec } from '../data/lexicons/vec.js';
import { ddtpSentences, textFileSentences } from '../wordvec/corpus.js';
import { trainSkipgram, type SkipgramOptions } from '../wordvec/skipgram.js';

/** The command's flags: the input, the output and every training option (all defaulted by yargs). */
interface TrainArgs extends Required<Pick<SkipgramOptions, 'dim' | 'epochs' | 'window' | 'negative' | 'minCount' | 'sample' | 'lr' | 'threads' | 'seed'>> {
  from?: string;
  text?: string;
  lang?: string;
  out: string;
}

const train: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train skip-gram word vectors (word2vec, negative sampling) and write a .vec file',
  builder: (y: Argv) =>
    y
      .option('from', { type: 'string', describe: 'Directory of apt lists with the DDTP Translation indexes (train families only)' })
      .option('text', { type: 'string', describe: 'A text file, one sentence per line, instead of --from' })
      .option('lang', { type: 'string', describe: 'Language of the DDTP text (with --from)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output .vec file' })
      .option('dim', { type: 'number', default: 100, describe: 'Vector size' })
      .option('epochs', { type: 'number', default: 5 })
      .option('window', { type: 'number', default: 5, describe: 'Maximal window (each centre word draws 1..window)' })
      .option('negative', { type: 'number', default: 5, describe: 'Negative samples per pair' })
      .option('min-count', { type: 'number', default: 3, describe: 'Drop words seen fewer times' })
      .option('sample', { type: 'number', default: 1e-4, describe: 'Subsampling threshold of frequent words (0: off)' })
      .option('lr', { type: 'number', default: 0.025, describe: 'Starting learning rate (decays linearly to lr·1e-4)' })
      .option('threads', { type: 'number', default: 2, describe: 'Worker threads (results are bit-identical for the same seed and threads)' })
      .option('seed', { type: 'number', default: 0 })
      .conflicts('from', 'text')
      .check((a) =>
        a.from === undefined && a.text === undefined ? 'give --from (with --lang) or --text' : a.from !== undefined && a.lang === undefined ? '--from needs --lang' : true,
      )
      .example('$0 embed train --from /root/.cache/xmrbench/ddtp-apt/lists --lang de --out de.vec', 'German vectors from the DDTP train families (100 d, 5 epochs, 2 threads)')
      .example('$0 embed train --text corpus.txt --out my.vec --dim 50 --min-count 1 --threads 1', 'Vectors from a text file, one sentence per line') as unknown as Argv<TrainArgs>,
  handler: async (a) => {
    const sentences = a.text !== undefined ? textFileSentences(a.text) : ddtpSentences(a.from!, a.lang!);
    if (sentences.length === 0) throw new XmrError('E_EMPTY', 'no sentences with words', { file: a.text ?? a.from });
    const { embeddings, stats } = await trainSkipgram(sentences, {
      dim: a.dim,
      epochs: a.epochs,
      window: a.window,
      negative: a.negative,
      minCount: a.minCount,
      sample: a.sample,
      lr: a.lr,
      threads: a.threads,
      seed: a.seed,
      onEpoch: (p) =>
        process.stderr.write(
          `embed: epoch ${p.epoch}/${p.epochs}  ${p.words.toLocaleString('en')} words (${p.effectiveWords.toLocaleString('en')} after subsampling) in ${p.seconds.toFixed(1)} s: ${Math.round(p.words / p.seconds).toLocaleString('en')} words/s\n`,
        ),
    });
    writeVec(a.out, embeddings);
    process.stderr.write(
      `embed: ${stats.sentences.toLocaleString('en')} sentences, ${stats.tokens.toLocaleString('en')} tokens, vocabulary ${stats.vocabulary.toLocaleString('en')} (min-count ${a.minCount}), ${embeddings.dim} d → ${a.out}\n`,
    );
  },
};

export const embedCommand: CommandModule = {
  command: 'embed',
  describe: 'Monolingual word embeddings (skip-gram with negative sampling) for lexicon induction',
  builder: (y: Argv) =>
    y
      .command(train as unknown as CommandModule)
      .demandCommand(1)
      .example('$0 embed train --from /root/.cache/xmrbench/ddtp-apt/lists --lang it --out it.vec', 'Italian vectors from DDTP'),
  handler: () => {},
};
