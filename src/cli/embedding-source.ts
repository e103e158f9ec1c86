/**
 * What `xmrbench index build` indexes and `index search` asks, as embedding rows with ids: an .npy
 * matrix (read through a memory map), or an encoder run here — a text encoder (`--model`) over a
 * BEIR corpus (documents) or its split's judged queries, or over an image–text set's captions; an
 * image encoder (`--image-encoder`) over the set's image files. The encoders are opened by the same
 * loaders as `search --ranker dense` and `eval-images` (src/encoders/open-*-encoder.ts), documents
 * read as the dense ranker reads them (`documentText`), so a store built here and searched with the
 * same model gives the in-memory dense ranker's run.
 *
 * Rows come in chunks, so a corpus larger than memory streams into a store; a chunk is a whole
 * number of encoder batches, so its rows are those one encode call over everything would give.
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import { XmrError } from '../errors.js';
import { native } from '../native.js';
import { idsBeside, npyLayout, npyRows, readIds } from '../data/npy.js';
import { loadBeirQueries, readBeirCorpusIn } from '../data/beir.js';
import type { Qrels } from '../data/trec/qrels.js';
import { CAPTION_FORMATS, imagesBeside, readCaptions, type CaptionFormat } from '../data/image-text/read.js';
import type { Encoder, EncodeRole } from '../encoders/encoder.js';
import { openImageEncoder } from '../encoders/open-image-encoder.js';
import { documentText } from '../rankers/ranker.js';
import { progressLine } from './progress.js';
import { openTextEncoderFromArgs, textEncoderOptions, type TextEncoderArgs } from './text-encoder-options.js';

export interface SourceArgs extends TextEncoderArgs {
  'image-encoder'?: string;
  dataset?: string;
  split?: string;
  captions?: string;
  'caption-format': CaptionFormat;
  langs?: string[];
  lang: string;
  'all-captions': boolean;
  'image-root'?: string;
  progress: boolean;
}

/** Embedding rows with their ids, `dim` floats each, produced chunk by chunk. */
export interface EmbeddingRows {
  ids: string[];
  dim: number;
  /** The file or model the rows come from (named in errors). */
  origin: string;
  chunks(): AsyncGenerator<Float32Array>;
  close(): Promise<void>;
  /** A BEIR split's qrels, when the rows are its queries. */
  qrels?: Qrels;
}

/** Floats per chunk: 64 MiB of float32. */
const CHUNK_FLOATS = 16 * 2 ** 20;

/** Adds the encoder and data-set flags; `what` says what they make (the store's rows, the queries). */
export function sourceOptions<T>(y: Argv<T>, what: string): Argv<T> {
  return textEncoderOptions(y, `Encode ${what} with this text model`)
    .option('image-encoder', { type: 'string', describe: `Encode ${what} from the images of --captions with this model: an image-tower checkpoint (.xit) or an ONNX model folder` })
    .option('dataset', { type: 'string', describe: `With --model: a BEIR folder (${what === 'the queries' ? "the split's judged queries, as search reads them" : 'its corpus.jsonl'})` })
    .option('split', { type: 'string', describe: 'BEIR split of --dataset (default test), or the Karpathy split of --captions to keep (default all)' })
    .option('captions', { type: 'string', describe: 'With --model (its captions) or --image-encoder (its images): an image–text set, as eval-images reads it' })
    .option('caption-format', { choices: CAPTION_FORMATS, default: 'auto' as CaptionFormat, describe: 'Format of --captions (as eval-images)' })
    .option('langs', { type: 'string', array: true, describe: 'Caption languages to keep (default all)' })
    .option('lang', { type: 'string', default: 'en', describe: 'Language of captions that do not say' })
    .option('all-captions', { type: 'boolean', default: false, describe: 'Crossmodal-3600: every caption, not caption[0]' })
    .option('image-root', { type: 'string', describe: 'Folder the image files of --captions are relative to (default: beside the captions file, or the XTD10 folder)' })
    .option('progress', { type: 'boolean', default: true, describe: 'Encoding progress on stderr' }) as unknown as Argv<T>;
}

/** Chunks of an encoder's rows for `inputs`, each a whole number of `batch`-input encoder calls. */
async function* encodeChunks<I>(encoder: Encoder<I>, inputs: readonly I[], role: EncodeRole, a: SourceArgs, label: string): AsyncGenerator<Float32Array> {
  const batch = a['batch-size'];
  const step = Math.max(batch, Math.floor(CHUNK_FLOATS / encoder.dim / batch) * batch);
  const bar = progressLine(`encoding ${inputs.length.toLocaleString('en')} ${label}`, a.progress);
  for (let r = 0; r < inputs.length; r += step) yield await encoder.encode(inputs.slice(r, r + step), { role, threads: a.threads, onProgress: (done) => bar(r + done, inputs.length) });
}

/** Rows of an .npy (float32 or float16) through a memory map, with the ids given or beside it. */
function npySource(file: string, idsFile: string | undefined, idsFlag: string): EmbeddingRows {
  const ids = idsFile ?? idsBeside(file);
  if (ids === undefined) throw new XmrError('E_MISSING', `no ids beside the embeddings: give ${idsFlag}, or put ${file.replace(/\.npy$/, '')}.ids.txt beside it`, { file });
  let map: ArrayBuffer;
  try {
    map = native().mapFileSync(file, false);
  } catch (e) {
    throw new XmrError('E_MISSING', (e as Error).message.replace(`${file}: `, ''), { file });
  }
  const bytes = new Uint8Array(map);
  const layout = npyLayout(bytes, bytes.length, file);
  const rowIds = readIds(ids);
  if (rowIds.length !== layout.rows) throw new XmrError('E_PARSE', `${rowIds.length} ids for ${layout.rows} rows of ${file}`, { file: ids });
  return {
    ids: rowIds,
    dim: layout.cols,
    origin: file,
    async *chunks() {
      const step = Math.max(1, Math.floor(CHUNK_FLOATS / layout.cols));
      for (let r = 0; r < layout.rows; r += step) yield npyRows(bytes, layout, r, Math.min(layout.rows, r + step));
    },
    close: async () => undefined,
  };
}

/**
 * The rows a command was given: `npy` (an .npy and its ids flag), or an encoder over a data set, as
 * `role` (documents for a store, queries for a search). Exactly one source must be given.
 */
export async function openRows(a: SourceArgs, role: EncodeRole, npy: { flag: string; file?: string; idsFlag: string; ids?: string }): Promise<EmbeddingRows> {
  const model = a.model ?? a['image-encoder'];
  if (a.model !== undefined && a['image-encoder'] !== undefined) throw new XmrError('E_USAGE', 'give one of --model and --image-encoder');
  if (npy.file === undefined && model === undefined) throw new XmrError('E_USAGE', `give ${npy.flag}, or an encoder (--model or --image-encoder) with --dataset or --captions`);
  if (npy.file !== undefined && model !== undefined) throw new XmrError('E_USAGE', `give ${npy.flag} or an encoder, not both`);
  if (npy.file !== undefined) return npySource(npy.file, npy.ids, npy.idsFlag);
  const flag = a.model !== undefined ? '--model' : '--image-encoder';
  if ((a.dataset === undefined) === (a.captions === undefined)) throw new XmrError('E_USAGE', `${flag} needs one of --dataset (a BEIR folder) and --captions (an image–text set)`);
  if (a.model !== undefined && a.dataset !== undefined) {
    const encoder = await openTextEncoderFromArgs({ ...a, model: a.model });
    const texts: string[] = [];
    let ids: string[];
    let qrels: Qrels | undefined;
    if (role === 'document') {
      const corpus = await readBeirCorpusIn(a.dataset);
      ids = corpus.ids;
      corpus.ids.forEach((id, i) => texts.push(documentText({ id, title: corpus.titles[i]!, text: corpus.texts[i]! })));
    } else {
      const d = await loadBeirQueries(a.dataset, a.split ?? 'test');
      for (const w of d.warnings) console.error(`xmrbench: warning: ${w.message}`);
      ids = d.queries.ids;
      texts.push(...d.queries.texts);
      qrels = d.qrels;
    }
    return { ids, dim: encoder.dim, origin: a.model, chunks: () => encodeChunks(encoder, texts, role, a, role === 'document' ? 'documents' : 'queries'), close: () => encoder.close(), ...(qrels === undefined ? {} : { qrels }) };
  }
  if (a.dataset !== undefined) throw new XmrError('E_USAGE', '--image-encoder encodes the images of --captions; --dataset is a text corpus (use --model)');
  const root = a['image-root'] ?? (a['image-encoder'] === undefined ? undefined : imagesBeside(a.captions!));
  const set = await readCaptions(a.captions!, { format: a['caption-format'], ...(a.split === undefined ? {} : { splits: [a.split] }), ...(a.langs === undefined ? {} : { langs: a.langs }), defaultLang: a.lang, allCaptions: a['all-captions'], ...(root === undefined ? {} : { imageRoot: root }) });
  if (a.model !== undefined) {
    const encoder = await openTextEncoderFromArgs({ ...a, model: a.model });
    const texts = set.captions.map((c) => c.text);
    return { ids: set.captions.map((c) => c.id), dim: encoder.dim, origin: a.model, chunks: () => encodeChunks(encoder, texts, role, a, 'captions'), close: () => encoder.close() };
  }
  const encoder = await openImageEncoder(a['image-encoder']!, { intraOpThreads: a.threads, threads: a.threads, batchSize: a['batch-size'] });
  const files = set.images.map((i) => path.join(root!, i.file));
  return { ids: set.images.map((i) => i.id), dim: encoder.dim, origin: a['image-encoder']!, chunks: () => encodeChunks(encoder, files, role, a, 'images'), close: () => encoder.close() };
}

/** All the rows in one n × dim array (queries; a LanceDB table, which LanceDB writes from memory). */
export async function allRows(rows: EmbeddingRows): Promise<Float32Array> {
  const out = new Float32Array(rows.ids.length * rows.dim);
  let at = 0;
  for await (const c of rows.chunks()) {
    out.set(c, at);
    at += c.length;
  }
  if (at !== out.length) throw new XmrError('E_PARSE', `${at / rows.dim} rows for ${rows.ids.length} ids`, { file: rows.origin });
  return out;
}
