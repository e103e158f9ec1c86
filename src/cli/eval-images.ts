/**
 * `xmrbench eval-images`: a caption set (Karpathy, COCO, XTD10, Crossmodal-3600) and image and text
 * embeddings — .npy files, or encoders run here over the image files and the captions → CLIP_benchmark's
 * recall (and RR, MedR, MeanR) per language and direction, optionally per query, and TREC qrels +
 * runs for `xmrbench compare`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { positiveInteger } from '../args.js';
import { XmrError } from '../errors.js';
import { imagesBeside, readCaptions, CAPTION_FORMATS, type CaptionFormat } from '../data/image-text/read.js';
import { idsBeside, readIds, readNpy } from '../data/npy.js';
import { writeQrels, writeRun } from '../data/trec/write.js';
import { evaluateImageTextSet, type EmbeddingRows } from '../eval/image-text/evaluate-set.js';
import { formatImageTextResults, IMAGE_TEXT_FORMATS, type ImageTextFormat } from '../eval/image-text/format.js';
import { imageTextQrels, imageTextRun } from '../eval/image-text/trec.js';
import { openImageEncoder, type OpenedImageEncoder } from '../encoders/open-image-encoder.js';
import { openTextEncoder, type OpenedTextEncoder } from '../encoders/open-text-encoder.js';
import type { ImageTextSet } from '../data/image-text/types.js';
import { progressLine } from './progress.js';

interface EvalImagesArgs {
  captions: string;
  'caption-format': CaptionFormat;
  images?: string;
  texts?: string;
  'image-encoder'?: string;
  'text-encoder'?: string;
  progress: boolean;
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

/** The images' folder: --image-root, else (when images are encoded here) the one the caption format implies. */
function imageRoot(a: EvalImagesArgs): string | undefined {
  if (a['image-root'] !== undefined || a['image-encoder'] === undefined) return a['image-root'];
  return imagesBeside(a.captions);
}

/** Image and caption embeddings from the .npy files or the encoders, rows in the set's order for encoders. */
async function embeddings(a: EvalImagesArgs, set: ImageTextSet, root: string | undefined): Promise<{ images: EmbeddingRows; texts: EmbeddingRows }> {
  let imageEncoder: OpenedImageEncoder | undefined;
  let textEncoder: OpenedTextEncoder | undefined;
  try {
    let images: EmbeddingRows;
    if (a['image-encoder'] !== undefined) {
      const model = a['image-encoder'];
      imageEncoder = await openImageEncoder(model, { intraOpThreads: a.threads, threads: a.threads });
      const files = set.images.map((i) => path.join(root!, i.file));
      const data = await imageEncoder.encode(files, { threads: a.threads, onProgress: progressLine(`encoding ${files.length.toLocaleString('en')} images`, a.progress) });
      images = { data, rows: files.length, dim: imageEncoder.dim, file: model };
    } else images = loadRows(a.images!, a['image-ids']);
    let texts: EmbeddingRows;
    if (a['text-encoder'] !== undefined) {
      const model = a['text-encoder'];
      textEncoder = await openTextEncoder(model, { intraOpThreads: a.threads, threads: a.threads });
      const captions = set.captions.map((c) => c.text);
      const data = await textEncoder.encode(captions, { threads: a.threads, onProgress: progressLine(`encoding ${captions.length.toLocaleString('en')} captions`, a.progress) });
      texts = { data, rows: captions.length, dim: textEncoder.dim, file: model };
    } else texts = loadRows(a.texts!, a['text-ids']);
    return { images, texts };
  } finally {
    await imageEncoder?.close();
    await textEncoder?.close();
  }
}

export const evalImagesCommand: CommandModule<object, EvalImagesArgs> = {
  command: 'eval-images',
  describe: 'Image–text retrieval recall (CLIP_benchmark) per language from captions and embeddings (.npy, or encoders run over the images and captions)',
  builder: (y: Argv) =>
    y
      .option('captions', { type: 'string', demandOption: true, describe: 'Karpathy JSON, COCO captions JSON, an XTD10 folder, or Crossmodal-3600 captions.jsonl' })
      .option('caption-format', { choices: CAPTION_FORMATS, default: 'auto' as CaptionFormat, describe: 'auto: a folder is XTD10, .jsonl Crossmodal-3600, JSON with annotations COCO, else Karpathy' })
      .option('images', { type: 'string', describe: 'Image embeddings, .npy (float32/float16, rows × dim); or --image-encoder' })
      .option('texts', { type: 'string', describe: 'Caption embeddings, .npy (every language in one file); or --text-encoder' })
      .option('image-encoder', { type: 'string', describe: 'Encode the image files (under --image-root) with this model: an image-tower checkpoint (.xit) or an ONNX model folder (pixel_values in, image_embeds out)' })
      .option('text-encoder', { type: 'string', describe: 'Encode the captions with this model: a checkpoint (.xde), a native export folder, or an ONNX model folder (optimum, sentence-transformers, xmrbench export --onnx)' })
      .option('image-ids', { type: 'string', describe: 'Ids of the image rows (text: one per line, or a JSON array); default X.ids.txt/X.ids.json beside X.npy, else rows in caption-file order' })
      .option('text-ids', { type: 'string', describe: 'Ids of the caption rows (Karpathy sentid, COCO annotation id, <image>#<lang> for XTD10/XM3600)' })
      .option('split', { type: 'string', array: true, describe: 'Karpathy splits to keep, e.g. test (default: all)' })
      .option('langs', { type: 'string', array: true, describe: 'Languages to evaluate (default: every language of the captions)' })
      .option('lang', { type: 'string', default: 'en', describe: 'Language of captions that do not say (Karpathy without "lang", COCO)' })
      .option('all-captions', { type: 'boolean', default: false, describe: 'Crossmodal-3600: every caption, not caption[0] (CLIP_benchmark)' })
      .option('image-root', { type: 'string', describe: 'Folder the image files are relative to (Karpathy filepath/filename, COCO file_name): each is checked to exist, and read from there with --image-encoder (default then: beside the captions file, or the XTD10 folder)' })
      .option('k', { type: 'string', default: '1,5,10', describe: 'R@k cutoffs, comma-separated' })
      .option('depth', { type: 'number', default: 100, describe: 'Results kept per query in the written runs' })
      .option('ranks', { type: 'boolean', default: true, describe: 'Rank every query in full for RR, MedR and MeanR (--no-ranks: R@k only, faster)' })
      .option('threads', { type: 'number', default: 1, describe: 'Threads for the native top-k and the encoders' })
      .option('progress', { type: 'boolean', default: true, describe: 'Encoding progress on stderr (with --image-encoder, --text-encoder)' })
      .option('per-query', { type: 'boolean', default: false, describe: 'Also print every query\'s values' })
      .option('format', { choices: IMAGE_TEXT_FORMATS, default: 'table' as ImageTextFormat, describe: 'table, json or csv' })
      .option('runs', { type: 'string', describe: 'Write <lang>.t2i.qrels/.run and <lang>.i2t.qrels/.run here, for xmrbench compare' })
      .example('$0 eval-images --captions dataset_coco.json --split test --images img.npy --texts txt.npy', 'MSCOCO 5k test: text→image and image→text R@1/5/10')
      .example('$0 eval-images --captions datasets/emoji/captions.json --split test --images e.img.npy --texts e.txt.npy --langs en de ja --runs out/clip', 'per language, runs written for compare')
      .example('$0 eval-images --captions datasets/emoji/noto.json --split test --image-encoder tower.xit --text-encoder text.xde --langs en de', 'encoders instead of .npy: the images read beside the captions file')
      .example('$0 compare --qrels out/clip/de.t2i.qrels --runs out/clip/de.t2i.run out/mclip/de.t2i.run --metrics Success@1,Success@5 --test mcnemar', 'then: two models, paired McNemar on R@1, R@5')
      .epilog(
        "Scores are cosine similarities (CLIP_benchmark normalises the embeddings); ranking is the native top-k, equal scores by the lower index (torch.topk's order is unspecified). " +
          "Each language is its own problem: its captions and the images they describe. In the runs, CLIP_benchmark's R@k is Success@k.",
      ) as unknown as Argv<EvalImagesArgs>,
  handler: async (a) => {
    for (const [npy, encoder] of [['images', 'image-encoder'], ['texts', 'text-encoder']] as const)
      if ((a[npy] === undefined) === (a[encoder] === undefined)) throw new XmrError('E_USAGE', `give exactly one of --${npy} and --${encoder}`);
    const cutoffs = a.k.split(',').map((s, i) => positiveInteger(Number(s.trim()), `--k[${i}]`));
    positiveInteger(a.depth, '--depth');
    positiveInteger(a.threads, '--threads');
    const root = imageRoot(a);
    const set = await readCaptions(a.captions, { format: a['caption-format'], splits: a.split, langs: a.langs, defaultLang: a.lang, allCaptions: a['all-captions'], imageRoot: root });
    const { images, texts } = await embeddings(a, set, root);
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
