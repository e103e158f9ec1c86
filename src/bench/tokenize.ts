/**
 * Workload `tokenize`: DDTP descriptions (all languages of datasets/ddtp-mini, interleaved)
 * tokenized from JavaScript strings to usable ids, side by side:
 * - xmrbench: Tokenizer.encodeBatchSync (native, `threads` threads) → one flat Int32Array;
 * - tokenizers (Rust, its Node binding): `await encodeBatch` then `getIds()` per text, with
 *   RAYON_NUM_THREADS = `threads` (set before its thread pool starts);
 * - @huggingface/tokenizers (pure JavaScript): `encode(text).ids` per text, one thread.
 * For a BERT-uncased WordPiece, a Unigram/Metaspace, a RoBERTa byte-level BPE and a CLIP BPE
 * tokenizer (test/fixtures/tokenizer), or the group `tokenizers` names. Ids are checked against
 * the Rust tokenizer before anything is timed; the pure-JavaScript tokenizer is timed only where
 * it loads the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Tokenizer } from '../index.js';
import { packageRoot } from '../native.js';
import { XmrError } from '../errors.js';
import { machineStamp } from './machine.js';
import { measure, type Timing } from './measure.js';
import { defineWorkload, type BenchResult, type DriverResult } from './workload.js';
import { ddtpTextsByLanguage } from '../data/ddtp/settings.js';

const DDTP_MINI = path.join(packageRoot, 'datasets', 'ddtp-mini');

export interface TokenizeBenchOptions {
  texts: number;
  threads: number;
  timeMs: number;
  /** Which fixtures: all of them, the two BPE ones, the WordPiece and Unigram ones, or the two Unigram ones (NFKC, and sentencepiece's Precompiled). */
  tokenizers: TokenizerGroup;
}

/** The fixtures (test/fixtures/tokenizer/NAME.json) of each value of `tokenizers`. */
const TOKENIZER_GROUPS = {
  all: ['wordpiece-uncased', 'unigram-metaspace', 'unigram-precompiled', 'roberta-bytelevel', 'clip-bpe'],
  bpe: ['roberta-bytelevel', 'clip-bpe'],
  'wordpiece-unigram': ['wordpiece-uncased', 'unigram-metaspace'],
  // the same Unigram model behind NFKC and behind XLM-R's Precompiled nmt_nfkc charsmap
  sentencepiece: ['unigram-metaspace', 'unigram-precompiled'],
} as const;
type TokenizerGroup = keyof typeof TOKENIZER_GROUPS;

interface TokenizeDriver extends DriverResult {
  textsPerSecond: number;
  tokensPerSecond: number;
  timing: Timing;
}

interface HfEncoding {
  getIds(): number[];
}
interface HfTokenizer {
  encodeBatch(texts: string[]): Promise<HfEncoding[]>;
}
interface JsTokenizer {
  encode(text: string): { ids: number[] };
}

const require = createRequire(import.meta.url);

/** n texts, taking one from each language in turn (so every script is in the mix). */
function interleaved(n: number): string[] {
  const lists = [...ddtpTextsByLanguage(DDTP_MINI, ['corpus']).entries()].filter(([lang]) => lang !== 'train').map(([, t]) => t);
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    let any = false;
    for (const l of lists) {
      if (i < l.length && out.length < n) {
        out.push(l[i]!);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

/**
 * The two npm tokenizers compared with (devDependencies: a clone of the repository has them, an
 * installed xmrbench not). Without the Rust one the ids cannot be checked, so the workload stops.
 */
async function competitors(): Promise<[{ Tokenizer: { fromString(s: string): HfTokenizer } }, { Tokenizer: new (json: object, config: object) => JsTokenizer }]> {
  try {
    return [require('tokenizers') as { Tokenizer: { fromString(s: string): HfTokenizer } }, (await import('@huggingface/tokenizers')) as unknown as { Tokenizer: new (json: object, config: object) => JsTokenizer }];
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND' && (e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new XmrError('E_MISSING', 'bench tokenize compares with the npm packages tokenizers and @huggingface/tokenizers, which are not installed: run `npm install tokenizers @huggingface/tokenizers` beside xmrbench');
  }
}

export async function benchTokenize(o: TokenizeBenchOptions): Promise<BenchResult> {
  process.env.RAYON_NUM_THREADS = String(o.threads);
  const [hf, js] = await competitors();
  const texts = interleaved(o.texts);
  const drivers: TokenizeDriver[] = [];
  const ratios: Record<string, number> = {};
  const agreement: Record<string, number> = {};
  for (const name of TOKENIZER_GROUPS[o.tokenizers]) {
    const json = readFileSync(path.join(packageRoot, 'test', 'fixtures', 'tokenizer', `${name}.json`), 'utf8');
    const mine = Tokenizer.fromJson(json, `${name}.json`);
    const rust = hf.Tokenizer.fromString(json);
    let pure: JsTokenizer | undefined;
    try {
      pure = new js.Tokenizer(JSON.parse(json) as object, {});
    } catch (e) {
      agreement[`${name}: @huggingface/tokenizers cannot load it`] = 0;
    }

    const got = mine.encodeBatchSync(texts, { threads: o.threads });
    const ref = await rust.encodeBatch(texts);
    let at = 0;
    let jsSame = 0;
    for (let i = 0; i < texts.length; i++) {
      const ids = ref[i]!.getIds();
      const len = got.lengths[i]!;
      if (len !== ids.length || ids.some((x, k) => x !== got.ids[at + k])) throw new Error(`${name}: xmrbench and tokenizers disagree on text ${i}`);
      const p = pure?.encode(texts[i]!).ids;
      if (p && p.length === ids.length && p.every((x, k) => x === ids[k])) jsSame++;
      at += len;
    }
    const tokens = got.ids.length;
    if (pure) agreement[`${name}: @huggingface/tokenizers = tokenizers`] = jsSame / texts.length;

    const timings = await measure(
      {
        [`xmrbench ${name}`]: () => mine.encodeBatchSync(texts, { threads: o.threads }).ids,
        [`tokenizers ${name}`]: async () => (await rust.encodeBatch(texts)).map((e) => e.getIds()),
      },
      { timeMs: o.timeMs },
    );
    const pureTimings = pure ? await measure({ [`@huggingface/tokenizers ${name}`]: () => texts.map((t) => pure.encode(t).ids) }, { timeMs: o.timeMs, iterations: 2 }) : [];
    for (const t of [...timings, ...pureTimings]) {
      drivers.push({
        driver: t.name,
        textsPerSecond: texts.length / (t.meanMs / 1000),
        tokensPerSecond: tokens / (t.meanMs / 1000),
        timing: t,
        note: t.name.startsWith('xmrbench')
          ? `encodeBatchSync, ${o.threads} threads, ids as one Int32Array`
          : t.name.startsWith('tokenizers')
            ? `tokenizers (Rust) encodeBatch + getIds(), RAYON_NUM_THREADS=${o.threads}`
            : 'pure JavaScript encode(text).ids per text, one thread',
      });
    }
    const rate = (prefix: string) => drivers.find((d) => d.driver === `${prefix} ${name}`)!.textsPerSecond;
    ratios[`${name}: xmrbench / tokenizers`] = rate('xmrbench') / rate('tokenizers');
    if (pure) ratios[`${name}: xmrbench / @huggingface/tokenizers`] = rate('xmrbench') / rate('@huggingface/tokenizers');
  }
  return {
    workload: 'tokenize',
    params: { texts: texts.length, threads: o.threads, timeMs: o.timeMs, tokenizers: TOKENIZER_GROUPS[o.tokenizers], source: 'datasets/ddtp-mini corpus.jsonl, 9 languages interleaved' },
    machine: machineStamp(),
    drivers,
    ratios,
    agreement,
  };
}

export const tokenizeWorkload = defineWorkload<TokenizeBenchOptions>({
  name: 'tokenize',
  measures: 'Tokenization of DDTP descriptions in 9 languages, strings in, ids out (texts/s, tokens/s): xmrbench native vs tokenizers (Rust) and @huggingface/tokenizers (JS)',
  options: {
    texts: { type: 'number', default: 10000, describe: 'DDTP descriptions per batch (languages interleaved)' },
    tokenizers: {
      type: 'string',
      default: 'all',
      choices: Object.keys(TOKENIZER_GROUPS) as TokenizerGroup[],
      describe: 'Fixtures to run: all, bpe (roberta-bytelevel, clip-bpe), wordpiece-unigram (wordpiece-uncased, unigram-metaspace) or sentencepiece (unigram-metaspace, unigram-precompiled)',
    },
  },
  drivers: [
    'xmrbench: Tokenizer.encodeBatchSync on --threads threads, ids as one Int32Array',
    'tokenizers (Rust, npm package): encodeBatch + getIds(), RAYON_NUM_THREADS = --threads',
    '@huggingface/tokenizers (pure JavaScript): encode(text).ids per text, one thread',
    '(each for a WordPiece-uncased, a Unigram/Metaspace (NFKC, and XLM-R\'s Precompiled charsmap), a RoBERTa byte-level BPE and a CLIP BPE tokenizer; the JS one only where it loads the file)',
  ],
  ratios: ['xmrbench / tokenizers', 'xmrbench / @huggingface/tokenizers (texts/s, per tokenizer)'],
  examples: [
    ['$0 bench tokenize --texts 10000 --threads 2', '10,000 texts per batch'],
    ['$0 bench tokenize --tokenizers bpe', 'Byte-level BPE only (RoBERTa and CLIP)'],
    ['$0 bench tokenize --tokenizers sentencepiece', "One Unigram model behind NFKC and behind XLM-R's Precompiled normalizer"],
  ],
  run: benchTokenize,
});
