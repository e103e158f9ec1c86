/**
 * A text encoder over an ONNX model folder as Hugging Face optimum or sentence-transformers export
 * it: `model.onnx` (or `onnx/model.onnx`), `tokenizer.json`, and optionally `1_Pooling/config.json`
 * (pooling), `config_sentence_transformers.json` (query/document prompts), `sentence_bert_config.json`,
 * `tokenizer_config.json` and `config.json` (maximum length: folderMaxLength), `special_tokens_map.json`
 * and `config.json` (the pad id: folderPadId). Texts are tokenized by the native tokenizer
 * (src/tokenize) and run through onnxruntime on a worker thread (onnx-session.ts).
 *
 * Inputs are found by name in the session: `input_ids` (required), `attention_mask`,
 * `token_type_ids` and `position_ids` (fed when the model has them), in the type the model declares
 * (int64 in optimum's and sentence-transformers' exports). Batches are padded on the right, so the
 * position ids of a decoder export are 0, 1, 2, … along each row: the real tokens' positions, as
 * transformers counts them when given none. The embedding is, in order of preference:
 *   - the output named by the `output` option;
 *   - with the `pooling` option: `last_hidden_state` or `token_embeddings` pooled under the
 *     attention mask (pooling.ts);
 *   - `sentence_embedding` or `text_embeds` (optimum's sentence-transformers export, CLIP's text
 *     tower): the model's own pooling, with any Dense or Normalize layer after it (LaBSE has both);
 *   - with 1_Pooling/config.json: the per-token output pooled as it says;
 *   - `pooler_output`, else the per-token output mean-pooled.
 * Then L2-normalised unless `normalize: false`. Texts are sorted by token count and batched, so a
 * batch is padded only to its own longest text; results come back in the caller's order.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { XmrError } from '../errors.js';
import { booleanArg, oneOf, positiveInteger, stringArg } from '../args.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { OnnxSession, tensorNames, type TensorData, type TensorMeta } from './onnx-session.js';
import { l2NormalizeRows, pool, POOLING_MODES, type PoolingMode } from './pooling.js';
import { locateOnnxModel, readOptionalJson } from './model-folder.js';
import type { EncodeRole, Encoder, EncoderCallOptions } from './encoder.js';


export interface OnnxTextEncoderOptions {
  /** Override the pooling of per-token outputs; default: 1_Pooling/config.json, else mean. */
  pooling?: PoolingMode;
  /** Use this output; default: see the module comment. */
  output?: string;
  /** L2-normalise embeddings; default true (cosine similarity). */
  normalize?: boolean;
  /** Prepended to queries (E5: 'query: '); default: config_sentence_transformers.json's prompts.query, else ''. */
  queryPrefix?: string;
  /** Prepended to documents (E5: 'passage: '); default: its prompts.document or .passage, else ''. */
  documentPrefix?: string;
  /** Tokens per text, special tokens included (longer texts are truncated); default: the folder's, else 512. */
  maxLength?: number;
  /** Texts per onnxruntime run; default 32. */
  batchSize?: number;
  /** onnxruntime intra-op threads; default 1. */
  intraOpThreads?: number;
  /** Tokenizer threads; default 1. */
  threads?: number;
}

/** Texts through the tokenizer, unpadded: text i is ids[Σ_{j<i} lengths[j] …] (typeIds alike). */
export interface TokenizedTexts {
  ids: Int32Array;
  lengths: Uint32Array;
  typeIds?: Uint8Array;
}

export interface OnnxEncodeOptions extends EncoderCallOptions {
  /** Picks the prefix; default 'document'. */
  role?: EncodeRole;
  /** Tokenizer threads for this call; default: the encoder's. */
  threads?: number;
}

const SENTENCE_OUTPUTS = ['sentence_embedding', 'text_embeds'];
const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];
const TEXT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'];

const stringOption = (value: unknown, name: string): string | undefined => (value === undefined ? undefined : stringArg(value, name));

/** The pooling mode 1_Pooling/config.json asks for (sentence-transformers' `pooling_mode_*` flags). */
function configPooling(folder: string): PoolingMode | undefined {
  const file = path.join(folder, '1_Pooling', 'config.json');
  const c = readOptionalJson(file);
  if (c === undefined) return undefined;
  const on = Object.entries(c).filter(([k, v]) => k.startsWith('pooling_mode_') && v === true).map(([k]) => k);
  const modes: Record<string, PoolingMode> = { pooling_mode_mean_tokens: 'mean', pooling_mode_cls_token: 'cls', pooling_mode_lasttoken: 'lasttoken' };
  if (on.length !== 1 || modes[on[0]!] === undefined)
    throw new XmrError('E_CONFIG', `expected exactly one of ${Object.keys(modes).join(', ')} to be true, got ${on.length === 0 ? 'none' : on.join(', ')}`, { file });
  return modes[on[0]!];
}

/**
 * Model types whose position ids start after the padding index (transformers' RoBERTa-style
 * `create_position_ids_from_input_ids`: position = padding_idx + 1 + t), so a text may have
 * max_position_embeddings − pad_token_id − 1 tokens (XLM-R and multilingual E5: 514 → 512).
 */
const POSITIONS_AFTER_PADDING = ['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'mpnet', 'longformer', 'data2vec-text'];

/** The tokens config.json's position embeddings allow, or undefined when it does not say. */
function configMaxLength(config: Record<string, unknown> | undefined): number | undefined {
  const positions = config?.max_position_embeddings;
  if (typeof positions !== 'number' || !Number.isInteger(positions) || positions <= 0) return undefined;
  if (!POSITIONS_AFTER_PADDING.includes(config!.model_type as string)) return positions;
  const pad = typeof config!.pad_token_id === 'number' ? config!.pad_token_id : 1;
  return positions - pad - 1;
}

/**
 * The default maximum length from the folder's files: tokenizer.json's truncation, else
 * sentence_bert_config.json's max_seq_length, else — as sentence-transformers' Transformer module
 * infers it — the smaller of config.json's position embeddings and tokenizer_config.json's
 * model_max_length, whichever the folder has; else 512.
 */
function folderMaxLength(folder: string, tokenizer: Tokenizer, config: Record<string, unknown> | undefined): number {
  if (tokenizer.defaults.maxLength !== undefined) return tokenizer.defaults.maxLength;
  const st = readOptionalJson(path.join(folder, 'sentence_bert_config.json'))?.max_seq_length;
  if (typeof st === 'number' && Number.isInteger(st) && st > 0) return st;
  // transformers writes a huge sentinel (1e30) when the model sets no limit.
  const tc = readOptionalJson(path.join(folder, 'tokenizer_config.json'))?.model_max_length;
  const limits = [typeof tc === 'number' && Number.isInteger(tc) && tc > 0 && tc <= 1_000_000 ? tc : undefined, configMaxLength(config)].filter((x): x is number => x !== undefined);
  return limits.length === 0 ? 512 : Math.min(...limits);
}

/**
 * The id padding positions get: special_tokens_map.json's pad_token (what transformers pads with),
 * else tokenizer.json's (its padding, or its pad token), else config.json's pad_token_id, else 0.
 */
function folderPadId(folder: string, tokenizer: Tokenizer, config: Record<string, unknown> | undefined): number {
  const file = path.join(folder, 'special_tokens_map.json');
  const pad = readOptionalJson(file)?.pad_token;
  if (pad !== undefined && pad !== null) {
    const token = typeof pad === 'object' ? (pad as Record<string, unknown>).content : pad;
    if (typeof token !== 'string') throw new XmrError('E_CONFIG', `pad_token: expected a token or {"content": token}, got ${JSON.stringify(pad)}`, { file });
    const ids = tokenizer.encode(token, { addSpecialTokens: false }).ids;
    if (ids.length !== 1 || tokenizer.idToToken(ids[0]!) !== token) throw new XmrError('E_CONFIG', `pad_token: ${JSON.stringify(token)} is not one token of ${path.join(folder, 'tokenizer.json')}`, { file });
    return ids[0]!;
  }
  if (tokenizer.defaults.padId !== undefined) return tokenizer.defaults.padId;
  const id = config?.pad_token_id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : 0;
}

function checkIntegerInput(m: TensorMeta, file: string): 'int64' | 'int32' {
  if (m.type === 'int64' || m.type === 'int32') return m.type;
  throw new XmrError('E_CONFIG', `the model's input '${m.name}' is ${m.type}; expected int64 (as optimum and sentence-transformers export it)`, { file });
}

export class OnnxTextEncoder implements Encoder<string> {
  readonly modality = 'text' as const;
  /** The model folder. */
  readonly folder: string;
  readonly modelFile: string;
  /** The output the embeddings come from, and how it is pooled when it is per-token. */
  readonly outputName: string;
  readonly pooling: PoolingMode;
  readonly normalized: boolean;
  readonly queryPrefix: string;
  readonly documentPrefix: string;
  readonly maxLength: number;
  /** The input id of padding positions (see folderPadId). */
  readonly padId: number;
  readonly batchSize: number;
  readonly threads: number;
  private dimension = 0;

  private constructor(
    readonly session: OnnxSession,
    readonly tokenizer: Tokenizer,
    where: { folder: string; modelFile: string },
    o: { output: string; pooling: PoolingMode; normalize: boolean; queryPrefix: string; documentPrefix: string; maxLength: number; padId: number; batchSize: number; threads: number },
  ) {
    this.folder = where.folder;
    this.modelFile = where.modelFile;
    this.outputName = o.output;
    this.pooling = o.pooling;
    this.normalized = o.normalize;
    this.queryPrefix = o.queryPrefix;
    this.documentPrefix = o.documentPrefix;
    this.maxLength = o.maxLength;
    this.padId = o.padId;
    this.batchSize = o.batchSize;
    this.threads = o.threads;
  }

  /** Opens a model folder (or a .onnx file inside one); errors name the file and what was expected. */
  static async load(where: string, options: OnnxTextEncoderOptions = {}): Promise<OnnxTextEncoder> {
    if (typeof where !== 'string') throw new TypeError(`model must be a path, got ${typeof where}`);
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    if (options.pooling !== undefined) oneOf(options.pooling, 'pooling', POOLING_MODES);
    if (options.normalize !== undefined) booleanArg(options.normalize, 'normalize');
    const output = stringOption(options.output, 'output');
    let queryPrefix = stringOption(options.queryPrefix, 'queryPrefix');
    let documentPrefix = stringOption(options.documentPrefix, 'documentPrefix');
    const batchSize = options.batchSize === undefined ? 32 : positiveInteger(options.batchSize, 'batchSize');
    const threads = options.threads === undefined ? 1 : positiveInteger(options.threads, 'threads');
    if (options.maxLength !== undefined) positiveInteger(options.maxLength, 'maxLength');

    const loc = locateOnnxModel(where);
    const tokenizerFile = path.join(loc.folder, 'tokenizer.json');
    if (!existsSync(tokenizerFile))
      throw new XmrError('E_MISSING', 'missing: an ONNX text model folder needs the Hugging Face tokenizer.json beside model.onnx (optimum and sentence-transformers write it)', { file: tokenizerFile });
    const tokenizer = Tokenizer.fromFile(tokenizerFile);
    const config = readOptionalJson(path.join(loc.folder, 'config.json'));
    const maxLength = options.maxLength ?? folderMaxLength(loc.folder, tokenizer, config);
    const padId = folderPadId(loc.folder, tokenizer, config);
    if (maxLength < tokenizer.specialTokensAdded) throw new RangeError(`maxLength must be ≥ ${tokenizer.specialTokensAdded} (the special tokens added to each text), got ${maxLength}`);
    const prompts = readOptionalJson(path.join(loc.folder, 'config_sentence_transformers.json'))?.prompts as Record<string, unknown> | undefined;
    const prompt = (k: string) => (prompts !== null && typeof prompts === 'object' && typeof prompts[k] === 'string' ? (prompts[k] as string) : undefined);
    queryPrefix ??= prompt('query') ?? '';
    documentPrefix ??= prompt('document') ?? prompt('passage') ?? '';
    const poolingFromConfig = configPooling(loc.folder);

    return OnnxSession.openFor(loc.modelFile, { intraOpThreads: options.intraOpThreads ?? 1 }, async (session) => {
      const ids = session.input('input_ids');
      if (ids === undefined)
        throw new XmrError('E_CONFIG', `the model has no input 'input_ids' (its inputs: ${tensorNames(session.inputs)}); an ONNX text encoder expects input_ids, attention_mask and optionally token_type_ids and position_ids, int64`, { file: loc.modelFile });
      const extra = session.inputs.filter((m) => !TEXT_INPUTS.includes(m.name));
      if (extra.length > 0)
        throw new XmrError('E_CONFIG', `the model has inputs a text encoder cannot feed: ${tensorNames(extra)}; expected only ${TEXT_INPUTS.join(', ')}`, { file: loc.modelFile });
      for (const m of session.inputs) checkIntegerInput(m, loc.modelFile);
      const has = (n: string) => session.output(n) !== undefined;
      let chosen: string | undefined;
      if (output !== undefined) {
        if (!has(output)) throw new XmrError('E_CONFIG', `the model has no output '${output}' (its outputs: ${tensorNames(session.outputs)})`, { file: loc.modelFile });
        chosen = output;
      } else if (options.pooling !== undefined) {
        chosen = TOKEN_OUTPUTS.find(has);
      } else {
        const order = poolingFromConfig === undefined ? [...SENTENCE_OUTPUTS, 'pooler_output', ...TOKEN_OUTPUTS] : [...SENTENCE_OUTPUTS, ...TOKEN_OUTPUTS, 'pooler_output'];
        chosen = order.find(has);
      }
      if (chosen === undefined)
        throw new XmrError(
          'E_CONFIG',
          `no output to embed with (its outputs: ${tensorNames(session.outputs)}); expected ${options.pooling === undefined ? `one of ${[...SENTENCE_OUTPUTS, 'pooler_output', ...TOKEN_OUTPUTS].join(', ')}` : `a per-token output to pool (${TOKEN_OUTPUTS.join(' or ')})`}`,
          { file: loc.modelFile },
        );
      const encoder = new OnnxTextEncoder(session, tokenizer, loc, {
        output: chosen,
        pooling: options.pooling ?? poolingFromConfig ?? 'mean',
        normalize: options.normalize ?? true,
        queryPrefix,
        documentPrefix,
        maxLength,
        padId,
        batchSize,
        threads,
      });
      // The embedding size: one short text through the model (symbolic output shapes do not tell).
      await encoder.encode(['dimension probe']);
      return encoder;
    });
  }

  /** Coordinates per embedding. */
  get dim(): number {
    return this.dimension;
  }

  /**
   * Embeddings of `texts` (with the role's prefix: `options.role`, default 'document'), n × dim
   * row-major, in the order given: {@link tokenize}, then {@link encodeTokens}.
   */
  async encode(texts: readonly string[], options: OnnxEncodeOptions = {}): Promise<Float32Array> {
    return this.encodeTokens(await this.tokenize(texts, options), options);
  }

  /** The texts with the role's prefix through the native tokenizer (special tokens, truncation), unpadded. */
  async tokenize(texts: readonly string[], options: Pick<OnnxEncodeOptions, 'role' | 'threads'> = {}): Promise<TokenizedTexts> {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    const role = oneOf(options.role ?? 'document', 'role', ['query', 'document'] as const);
    const threads = options.threads === undefined ? this.threads : positiveInteger(options.threads, 'threads');
    if (!Array.isArray(texts)) throw new TypeError(`texts must be an array of strings, got ${texts === null ? 'null' : typeof texts}`);
    const prefix = role === 'query' ? this.queryPrefix : this.documentPrefix;
    const input = prefix === '' ? (texts as string[]) : texts.map((t, i) => {
      if (typeof t !== 'string') throw new TypeError(`texts[${i}] must be a string, got ${typeof t}`);
      return prefix + t;
    });
    const typeIds = this.session.input('token_type_ids') !== undefined;
    const enc = await this.tokenizer.encodeBatch(input, { addSpecialTokens: true, padding: false, maxLength: this.maxLength, typeIds, threads });
    return { ids: enc.ids, lengths: enc.lengths, ...(enc.typeIds === undefined ? {} : { typeIds: enc.typeIds }) };
  }

  /**
   * Embeddings of tokenized texts. Texts are sorted longest first (ties in input order) and cut into
   * batches padded to their own longest text; the next batch is built while the worker runs the
   * current one.
   */
  async encodeTokens(t: TokenizedTexts, options: Pick<OnnxEncodeOptions, 'onProgress'> = {}): Promise<Float32Array> {
    const n = t.lengths.length;
    const starts = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) starts[i + 1] = starts[i]! + t.lengths[i]!;
    if (starts[n]! > t.ids.length) throw new RangeError(`the lengths add up to ${starts[n]} tokens, but ids has ${t.ids.length}`);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t.lengths[b]! - t.lengths[a]! || a - b);
    let out: Float32Array | null = this.dimension === 0 ? null : new Float32Array(n * this.dimension);
    const submit = (b: number) => {
      const rows = order.slice(b, b + this.batchSize);
      const cols = Math.max(1, t.lengths[rows[0]!]!);
      const { feeds, mask } = this.feeds(rows, cols, t.ids, t.typeIds, t.lengths, starts);
      const result = this.session.run(feeds, [this.outputName]);
      result.catch(() => undefined); // handled where awaited; a failure before then must not be an unhandled rejection
      return { rows, cols, mask, result };
    };
    let next = n > 0 ? submit(0) : null;
    for (let b = 0; next !== null; b += this.batchSize) {
      const cur = next;
      next = b + this.batchSize < n ? submit(b + this.batchSize) : null;
      const vectors = this.embeddings((await cur.result)[this.outputName]!, cur.mask, cur.rows.length, cur.cols);
      const d = this.dimension;
      out ??= new Float32Array(n * d);
      const o = out;
      cur.rows.forEach((row, r) => o.set(vectors.subarray(r * d, (r + 1) * d), row * d));
      options.onProgress?.(Math.min(n, b + this.batchSize), n);
    }
    return out ?? new Float32Array(0);
  }

  /** Stops the session's worker. */
  close(): Promise<void> {
    return this.session.close();
  }

  /** The padded batch of texts `rows` as the model's inputs, and its attention mask (pooling needs it even when the model takes none). */
  private feeds(rows: number[], cols: number, ids: Int32Array, typeIds: Uint8Array | undefined, lengths: Uint32Array, starts: Uint32Array): { feeds: Record<string, TensorData>; mask: BigInt64Array | Int32Array } {
    const size = rows.length * cols;
    const tensor = (name: string): TensorData => {
      const type = (this.session.input(name)?.type ?? 'int64') as 'int64' | 'int32';
      return { type, data: type === 'int64' ? new BigInt64Array(size) : new Int32Array(size), dims: [rows.length, cols] };
    };
    // Each input in the integer type the model declares.
    const put = (t: TensorData, at: number, v: number): void => {
      if (t.type === 'int64') (t.data as BigInt64Array)[at] = BigInt(v);
      else (t.data as Int32Array)[at] = v;
    };
    const feeds: Record<string, TensorData> = {};
    const idT = tensor('input_ids');
    const maskT = tensor('attention_mask');
    const typeT = typeIds === undefined ? undefined : tensor('token_type_ids');
    const posT = this.session.input('position_ids') === undefined ? undefined : tensor('position_ids');
    rows.forEach((row, r) => {
      const len = lengths[row]!;
      for (let c = 0; c < cols; c++) {
        const at = r * cols + c;
        const real = c < len;
        put(idT, at, real ? ids[starts[row]! + c]! : this.padId);
        put(maskT, at, real ? 1 : 0);
        if (posT !== undefined) put(posT, at, c);
        if (typeT !== undefined) put(typeT, at, real ? typeIds![starts[row]! + c]! : 0);
      }
    });
    feeds.input_ids = idT;
    if (this.session.input('attention_mask') !== undefined) feeds.attention_mask = maskT;
    if (typeT !== undefined) feeds.token_type_ids = typeT;
    if (posT !== undefined) feeds.position_ids = posT;
    return { feeds, mask: maskT.data as BigInt64Array | Int32Array };
  }

  private embeddings(t: TensorData, mask: BigInt64Array | Int32Array, rows: number, cols: number): Float32Array {
    if (t.type !== 'float32') throw new XmrError('E_CONFIG', `the output '${this.outputName}' is ${t.type}; expected float32`, { file: this.modelFile });
    const data = t.data as Float32Array;
    let v: Float32Array;
    if (t.dims.length === 3 && t.dims[0] === rows && t.dims[1] === cols) {
      v = pool(this.pooling, data, mask, rows, cols, t.dims[2]!);
    } else if (t.dims.length === 2 && t.dims[0] === rows) {
      v = data.slice();
    } else {
      throw new XmrError('E_CONFIG', `the output '${this.outputName}' has shape [${t.dims.join(', ')}] for a batch of ${rows} × ${cols} tokens; expected [${rows}, dim] or [${rows}, ${cols}, dim]`, { file: this.modelFile });
    }
    const dim = v.length / rows;
    if (this.dimension === 0) this.dimension = dim;
    return this.normalized ? l2NormalizeRows(v, dim) : v;
  }
}
