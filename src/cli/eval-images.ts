/**
 * `xmrbench eval-images`: a caption set (Karpathy, COCO, XTD10, Crossmodal-3600) and image and text
 * embeddings (.npy) → CLIP_benchmark's recall (and RR, MedR, MeanR) per language and direction,
 * optionally per query, and TREC qrels + runs for `xmrbench compare`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { positiveInteger } from '../args.js';
import { readCaptions, CAPTION_FORMATS, type CaptionFormat } from '../data/image-text/read.js';
import { idsBeside, readIds, readNpy } from '../data/npy.js';
import { writeQrels, writeRun } from '../data/trec/write.js';
import { evaluateImageTextSet, type EmbeddingRows } from '../eval/image-text/evaluate-set.js';
import { formatImageTextResults, IMAGE_TEXT_FORMATS, type ImageTextFormat } from '../eval/image-text/format.js';
import { imageTextQrels, imageTextRun } from '../eval/image-text/trec.js';

interface EvalImagesArgs {
  captions: string;
  'caption-format': CaptionFormat;
  images: string;
  texts: string;
  'image-ids'?: string;
  'text-ids'?: string;
  split?: string[];
  langs?: string[];
  lang: string;
  'all-captions': boolean;
  'image-root'?: string;
  k: string;
  depth: number;
  ranks: boolean;
  threads: number;
  'per-query': boolean;
  format: ImageTextFormat;
  runs?: string;
}

/** An .npy matrix with the ids given, or those beside it (`X.ids.txt` / `X.ids.json`), or none. */
function loadRows(file: string, idsFile: string | undefined): EmbeddingRows {
  const m = readNpy(file);
  const ids = idsFile ?? idsBeside(file);
  return { data: m.data, rows: m.rows, dim: m.cols, file, ...(ids === undefined ? {} : { ids: readIds(ids) }) };
}

export const evalImagesCommand: CommandModule<object, EvalImagesArgs> = {
  command: 'eval-images',
  describe: 'Image–text retrieval recall (CLIP_benchmark) per language from captions and .npy embeddings',
  builder: (y: Argv) =>
    y
      .option('captions', { type: 'string', demandOption: true, describe: 'Karpathy JSON, COCO captions JSON, an XTD10 folder, or Crossmodal-3600 captions.jsonl' })
      .option('caption-format', { choices: CAPTION_FORMATS, default: 'auto' as CaptionFormat, describe: 'auto: a folder is XTD10, .jsonl Crossmodal-3600, JSON with annotations COCO, else Karpathy' })
      .option('images', { type: 'string', demandOption: true, describe: 'Image embeddings, .npy (float32/float16, rows × dim)' })
      .option('texts', { type: 'string', demandOption: true, describe: 'Caption embeddings, .npy (every language in one file)' })
      .option('image-ids', { type: 'string', describe: 'Ids of the image rows (text: one per line, or a JSON array); default X.ids.txt/X.ids.json beside X.npy, else rows in caption-file order' })
      .option('text-ids', { type: 'string', describe: 'Ids of the caption rows (Karpathy sentid, COCO annotation id, <image>#<lang> for XTD10/XM3600)' })
      .option('split', { type: 'string', array: true, describe: 'Karpathy splits to keep, e.g. test (default: all)' })
      .option('langs', { type: 'string', array: true, describe: 'Languages to evaluate (default: every language of the captions)' })
      .option('lang', { type: 'string', default: 'en', describe: 'Language of captions that do not say (Karpathy without "lang", COCO)' })
      .option('all-captions', { type: 'boolean', default: false, describe: 'Crossmodal-3600: every caption, not caption[0] (CLIP_benchmark)' })
      .option('image-root', { type: 'string', describe: 'Folder of the image files: check that each exists' })
      .option('k', { type: 'string', default: '1,5,10', describe: 'R@k cutoffs, comma-separated' })
      .option('depth', { type: 'number', default: 100, describe: 'Results kept per query in the written runs' })
      .option('ranks', { type: 'boolean', default: true, describe: 'Rank every query in full for RR, MedR and MeanR (--no-ranks: R@k only, faster)' })
      .option('threads', { type: 'number', default: 1, describe: 'Threads for the native top-k' })
      .option('per-query', { type: 'boolean', default: false, describe: 'Also print every query\'s values' })
      .option('format', { choices: IMAGE_TEXT_FORMATS, default: 'table' as ImageTextFormat, describe: 'table, json or csv' })
      .option('runs', { type: 'string', describe: 'Write <lang>.t2i.qrels/.run and <lang>.i2t.qrels/.run here, for xmrbench compare' })
      .example('$0 eval-images --captions dataset_coco.json --split test --images img.npy --texts txt.npy', 'MSCOCO 5k test: text→image and image→text R@1/5/10')
      .example('$0 eval-images --captions datasets/emoji/captions.json --split test --images e.img.npy --texts e.txt.npy --langs en de ja --runs out/clip', 'per language, runs written for compare')
      .example('$0 compare --qrels out/clip/de.t2i.qrels --runs out/clip/de.t2i.run out/mclip/de.t2i.run --metrics Success@1,Success@5 --test mcnemar', 'then: two models, paired McNemar on R@1, R@5')
      .epilog(
        "Scores are cosine similarities (CLIP_benchmark normalises the embeddings); ranking is the native top-k, equal scores by the lower index (torch.topk's order is unspecified). " +
          "Each language is its own problem: its captions and the images they describe. In the runs, CLIP_benchmark's R@k is Success@k.",
      ) as unknown as Argv<EvalImagesArgs>,
  handler: async (a) => {
    const cutoffs = a.k.split(',').map((s, i) => positiveInteger(Number(s.trim()), `--k[${i}]`));
    positiveInteger(a.depth, '--depth');
    positiveInteger(a.threads, '--threads');
    const set = await readCaptions(a.captions, { format: a['caption-format'], splits: a.split, langs: a.langs, defaultLang: a.lang, allCaptions: a['all-captions'], imageRoot: a['image-root'] });
    const images = loadRows(a.images, a['image-ids']);
    const texts = loadRows(a.texts, a['text-ids']);
    const results = await evaluateImageTextSet(set, images, texts, { cutoffs, depth: a.depth, ranks: a.ranks, threads: a.threads, langs: a.langs });
    if (a.runs !== undefined) {
      mkdirSync(a.runs, { recursive: true });
      for (const r of results) {
        for (const d of [r.t2i, r.i2t]) {
          await writeQrels(path.join(a.runs, `${r.lang}.${d.direction}.qrels`), imageTextQrels(d.direction, r.ids));
          await writeRun(path.join(a.runs, `${r.lang}.${d.direction}.run`), imageTextRun(d, r.ids));
        }
      }
    }
    process.stdout.write(formatImageTextResults(results, a.format, a['per-query']));
  },
};
