/**
 * The tokenizer.json written beside an exported dual encoder, so that the export folder is a model
 * folder like optimum's (src/encoders/onnx-text.ts reads it, as would Hugging Face `tokenizers`).
 *
 * The dual encoder is trained without special tokens (its mean would otherwise include one constant
 * [CLS]/[SEP] embedding in every text), so the written tokenizer has no post-processor; its
 * truncation is the training's maximum length. A BERT vocab.txt becomes the tokenizer.json that
 * `tokenizers`' BertWordPieceTokenizer describes (BertNormalizer, BertPreTokenizer, WordPiece with
 * '##' and 100 characters per word), with the options the vocab.txt was read with
 * (src/tokenize/spec.ts `parseVocabTxt`: uncased by default, accents stripped when lowercasing).
 */
import { readFileSync } from 'node:fs';
import { XmrError } from '../errors.js';
import { parseJsonText } from '../json-text.js';
import { positiveInteger } from '../args.js';
import type { VocabOptions } from '../tokenize/spec.js';

const BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

function vocabTxtJson(text: string, file: string, options: VocabOptions): Record<string, unknown> {
  const tokens = text.split(/\r?\n/);
  if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => {
    if (t === '') throw new XmrError('E_PARSE', 'empty token', { file, line: i + 1 });
    vocab[t] = i;
  });
  if (vocab['[UNK]'] === undefined) throw new XmrError('E_MISSING', 'the vocabulary has no [UNK] token', { file });
  const lowercase = options.lowercase ?? true;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: BERT_SPECIALS.filter((t) => vocab[t] !== undefined).map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: options.handleChineseChars ?? true, strip_accents: options.stripAccents ?? lowercase, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/**
 * The text of the tokenizer.json for an export: `tokenizerFile` (a tokenizer.json or a BERT
 * vocab.txt) without special tokens, truncating to `maxLength` tokens.
 */
export function exportTokenizerJson(tokenizerFile: string, options: { maxLength: number; vocab?: VocabOptions }): string {
  const maxLength = positiveInteger(options.maxLength, 'maxLength');
  let text: string;
  try {
    text = readFileSync(tokenizerFile, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new XmrError(missing ? 'E_MISSING' : 'E_IO', missing ? 'no such tokenizer file' : (e as Error).message, { file: tokenizerFile });
  }
  let json: Record<string, unknown>;
  if (tokenizerFile.endsWith('.json')) {
    json = parseJsonText(text, { file: tokenizerFile }) as Record<string, unknown>;
  } else {
    json = vocabTxtJson(text, tokenizerFile, options.vocab ?? {});
  }
  json.post_processor = null;
  json.padding = null;
  json.truncation = { direction: 'Right', max_length: maxLength, strategy: 'LongestFirst', stride: 0 };
  return JSON.stringify(json) + '\n';
}
