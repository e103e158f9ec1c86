/**
 * `xmrbench data emoji`: builds the emoji image–text test bed (src/data/emoji/build.ts) from the
 * pinned npm packages, fetched with `npm pack` into a cache folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { positiveInteger, nonNegativeInteger } from '../args.js';
import { buildEmoji, EMOJI_LANGS } from '../data/emoji/build.js';
import { fetchEmojiPackages } from '../data/emoji/fetch.js';

interface EmojiArgs {
  out: string;
  cache: string;
  size: number;
  seed: number;
  langs: string[];
  'skin-tones': boolean;
}

export const emojiDataCommand: CommandModule<object, EmojiArgs> = {
  command: 'emoji',
  describe: 'Build the emoji image–text test bed (Noto and Twemoji images, CLDR names and keywords in 9 languages)',
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', demandOption: true, describe: 'Output directory (replaced)' })
      .option('cache', { type: 'string', default: join(homedir(), '.cache', 'xmrbench', 'emoji-npm'), describe: 'Where `npm pack` puts the package tarballs (reused when present)' })
      .option('size', { type: 'number', default: 32, describe: 'Image side in pixels (divides 64: 64, 32, 16 …)' })
      .option('seed', { type: 'number', default: 0, describe: 'Seed of the group split' })
      .option('langs', { type: 'array', string: true, default: [...EMOJI_LANGS], describe: 'CLDR locales for the captions' })
      .option('skin-tones', { type: 'boolean', default: false, describe: 'Also each skin-tone variant as an image (in its base emoji\'s split)' })
      .example('$0 data emoji --out datasets/emoji', 'rebuild the committed snapshot (fetches ~150 MB of packages once)')
      .example('$0 eval-images --captions datasets/emoji/noto.json --split test --images noto.npy --texts captions.npy', 'then evaluate a model on it') as unknown as Argv<EmojiArgs>,
  handler: (a) => {
    const m = buildEmoji({
      tarballs: fetchEmojiPackages(a.cache),
      out: a.out,
      size: positiveInteger(a.size, '--size'),
      seed: nonNegativeInteger(a.seed, '--seed'),
      langs: a.langs.map(String),
      skinTones: a['skin-tones'],
    });
    process.stdout.write(JSON.stringify(m.counts, null, 2) + '\n');
  },
};
