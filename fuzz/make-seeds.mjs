// Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/): small valid files, cut from
// the committed fixtures where there are some, so every mutation starts from a file the reader
// accepts. Run from the repository root after `npm run build`: `node fuzz/make-seeds.mjs`.
// The output is committed; rerun only to change the seeds.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'corpus');
const put = (target, name, data) => {
  mkdirSync(path.join(root, target), { recursive: true });
  writeFileSync(path.join(root, target, name), data);
};
const lines = (file, n) => readFileSync(file, 'utf8').split('\n').slice(0, n).join('\n') + '\n';

// TREC run and qrels (trec_eval's formats), with a comment line and a tab.
put('trec-run', 'run.txt', '# a comment\nq1 Q0 d1 1 2.5 sys\nq1 Q0 d2 2 1.25 sys\nq1 Q0 d3 3 -0.5 sys\nq2 Q0 d1 1 1e2 sys\nq2\tQ0 d4 2 0.001 sys\nq10 Q0 d5 1 7 sys\n');
put('trec-run', 'trailing-text.txt', 'q1 Q0 d1 1 3 tag text after the tag\nq1 Q0 d2 2 2 tag\n');
// The native run reader's target: the same two files, and what takes its other paths — rows out of
// order and tied (sorted), a query split in two blocks (regrouped), CRLF and blank lines, indented
// comments, scores beyond the 15-digit fast path (strtod), infinite scores in any spelling, no final newline.
put('trec-run-native', 'run.txt', '# a comment\nq1 Q0 d1 1 2.5 sys\nq1 Q0 d2 2 1.25 sys\nq1 Q0 d3 3 -0.5 sys\nq2 Q0 d1 1 1e2 sys\nq2\tQ0 d4 2 0.001 sys\nq10 Q0 d5 1 7 sys\n');
put('trec-run-native', 'trailing-text.txt', 'q1 Q0 d1 1 3 tag text after the tag\nq1 Q0 d2 2 2 tag\n');
put('trec-run-native', 'unordered.txt', 'q2 Q0 b 1 1 t\nq1 Q0 a 1 0.5 t\nq2 Q0 c 2 1 t\nq1 Q0 z 2 0.75 t\nq2 Q0 a 3 2 t\nq1 Q0 y 3 0.5 t\n');
put('trec-run-native', 'crlf-blank.txt', '\r\n  # indented comment\r\nq1\tQ0\td1\t-1\t+3.0\tt\r\n\r\nq1 Q0 d2 +2 -0 t\r\n');
put('trec-run-native', 'infinite-scores.txt', 'q1 Q0 d1 1 -inf t\nq1 Q0 d2 2 Infinity t\nq1 Q0 d3 3 -INFINITY t\nq1 Q0 d4 4 1e400 t\nq1 Q0 d5 5 +iNf t\nq1 Q0 d6 6 -Infinity t\n');
put('trec-run-native', 'long-scores.txt', 'q1 Q0 d1 1 0.12345678901234567 t\nq1 Q0 d2 2 1.5E-3 t\nq1 Q0 d3 3 .5 t\nq1 Q0 d4 4 12345678901234567890 t\nq1 Q0 d5 5 4.9e-324 t');
put('trec-qrels', 'qrels.txt', 'q1 0 d1 1\nq1 0 d2 0\nq1 0 d3 2\nq2 0 d1 -1\nq2\t0 d4 3\nq10 0 d5 1\n');
put('trec-qrels', 'comments.txt', '# a comment\nq1 0 d1 1\nq2 0 msmarco#4 1\n');

// BEIR, cut from datasets/ddtp-mini/de (plain and gzip).
const corpus = lines('datasets/ddtp-mini/de/corpus.jsonl', 4);
const queries = lines('datasets/ddtp-mini/de/queries.jsonl', 4);
put('beir-corpus', 'corpus.jsonl', corpus);
put('beir-corpus', 'corpus.jsonl.gz', gzipSync(corpus));
put('beir-corpus', 'titles.jsonl', '{"_id":"a","title":"T","text":"x"}\n{"_id":"b","title":null,"text":"y","metadata":{}}\n');
put('beir-corpus', 'integer-ids.jsonl', '{"_id": 7, "title": "", "text": "x"}\n{"_id": 12, "text": "y"}\n');
put('beir-queries', 'queries.jsonl', queries);
put('beir-queries', 'integer-ids.jsonl', '{"_id": 3, "text": "q"}\n{"_id": 40, "text": "r"}\n');
put('beir-queries', 'queries.jsonl.gz', gzipSync(queries));
put('beir-qrels', 'test.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\td1\t2\nq3\td9\t-1\n');
put('beir-qrels', 'test.tsv.gz', gzipSync('query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n'));

// Lexicons: MUSE pairs (datasets/lexicons) and a dictd database (test/fixtures/freedict).
put('muse', 'en-de.txt', lines('datasets/lexicons/en-de.txt', 12));
put('muse', 'en-it.txt', lines('datasets/lexicons/en-it.txt', 6));
{
  const index = readFileSync('test/fixtures/freedict/freedict-eng-deu.index', 'utf8').split('\n');
  const dict = readFileSync('test/fixtures/freedict/freedict-eng-deu.dict.dz');
  put('dictd', 'eng-deu.index', index.join('\n'));
  put('dictd', 'eng-deu.dict.dz', dict);
}

// .vec embeddings (fastText/MUSE text format).
put('vec', 'tiny.vec', '3 4\nthe 0.1 -0.2 0.3 0.4\nof 1e-3 2.5 -3 0\nund 0.5 0.25 0.125 -1.5\n');
put('vec', 'header-more.vec', '5 2\na 1 2\nb 3 4\n\nc -1 0.5\nd 0 0\ne 9 9\n');

// Image–text: Karpathy, COCO, XM3600 (JSON Lines) and an XTD10 caption file.
put('karpathy', 'karpathy.json', JSON.stringify({ dataset: 'tiny', images: [
  { filepath: 'val', filename: 'a.jpg', imgid: 0, split: 'test', sentences: [{ sentid: 0, raw: 'a red square', tokens: ['a', 'red', 'square'] }, { sentid: 1, raw: 'a square', lang: 'en' }] },
  { filepath: 'val', filename: 'b.jpg', imgid: 1, split: 'test', sentences: [{ sentid: 2, raw: 'ein blauer Kreis', lang: 'de' }] },
  { filepath: 'train', filename: 'c.jpg', imgid: 2, split: 'train', sentences: [{ sentid: 3, raw: 'green' }] },
] }, null, 1));
put('coco', 'captions.json', JSON.stringify({ info: {}, images: [{ id: 1, file_name: 'a.jpg' }, { id: 2, file_name: 'b.jpg' }],
  annotations: [{ id: 10, image_id: 1, caption: 'a red square' }, { id: 11, image_id: 2, caption: 'a blue circle' }, { id: 12, image_id: 1, caption: 'red' }] }, null, 1));
put('xm3600', 'captions.jsonl', [
  { 'image/key': 'k1', en: { caption: ['a dog', 'dog'] }, de: { caption: ['ein Hund'] } },
  { 'image/key': 'k2', en: { caption: ['a cat'] }, de: { caption: ['eine Katze', 'Katze'] } },
].map((r) => JSON.stringify(r)).join('\n') + '\n');
put('xtd10', 'test_1kcaptions_de.txt', 'ein Hund\neine Katze\nzwei Vögel\n');
put('xtd10', 'test_image_names.txt', 'a.jpg\nb.jpg\nc.jpg\n');

// .npy (float32 and float16, version 1.0), from the writer.
const { formatNpy } = await import('../dist/src/data/npy.js');
put('npy', 'f32.npy', formatNpy(new Float32Array([1, -2, 0.5, 3e5, 0, -0]), 2, 3, 'float32'));
put('npy', 'f16.npy', formatNpy(new Float32Array([1, -2, 0.5, 65504]), 4, 1, 'float16'));

// tokenizer.json: the committed fixtures cut to a few dozen tokens.
{
  const wp = JSON.parse(readFileSync('test/fixtures/tokenizer/wordpiece-uncased.json', 'utf8'));
  wp.model.vocab = Object.fromEntries(Object.entries(wp.model.vocab).filter(([, id]) => id < 40));
  wp.added_tokens = wp.added_tokens.filter((t) => t.id < 40);
  put('tokenizer-json', 'wordpiece.json', JSON.stringify(wp, null, 1));
  const ug = JSON.parse(readFileSync('test/fixtures/tokenizer/unigram-metaspace.json', 'utf8'));
  ug.model.vocab = ug.model.vocab.slice(0, 40);
  ug.added_tokens = (ug.added_tokens ?? []).filter((t) => t.id < 40);
  put('tokenizer-json', 'unigram.json', JSON.stringify(ug, null, 1));
  // sentencepiece's Precompiled normalizer, with the hand-written rules' charsmap (1 KB).
  const pc = JSON.parse(readFileSync('test/fixtures/tokenizer/precompiled-rules.json', 'utf8'));
  pc.model.vocab = pc.model.vocab.slice(0, 40);
  pc.added_tokens = (pc.added_tokens ?? []).filter((t) => t.id < 40);
  put('tokenizer-json', 'precompiled.json', JSON.stringify(pc, null, 1));
  const bpe = JSON.parse(readFileSync('test/fixtures/tokenizer/gpt2-bytelevel.json', 'utf8'));
  const keep = Object.fromEntries(Object.entries(bpe.model.vocab).filter(([, id]) => id < 300));
  bpe.model.vocab = keep;
  bpe.model.merges = bpe.model.merges.filter((m) => { const [a, b] = Array.isArray(m) ? m : m.split(' '); return a in keep && b in keep && a + b in keep; }).slice(0, 30);
  bpe.added_tokens = (bpe.added_tokens ?? []).filter((t) => t.id < 300);
  put('tokenizer-json', 'bpe.json', JSON.stringify(bpe, null, 1));
}

// The experiment config: a small file over the defaults (what `--config` reads).
put('config', 'config.json', JSON.stringify({ seeds: [1, 2], k: 100, alpha: 0.05, threads: 2, train: { dim: 32, epochs: 2, lr: 0.001 },
  systems: [{ id: 'bm25', kind: 'bm25' }, { id: 'zs', kind: 'zero-shot' }, { id: 'cs', kind: 'ml-cs', langs: ['de'] }] }, null, 1));

// Checkpoints: a tiny dual encoder (with a projection) and a tiny image tower, from their writers.
{
  const { DualEncoder, saveDualEncoder } = await import('../dist/src/encoders/dual-encoder-model.js');
  const { ImageTower, saveImageTower } = await import('../dist/src/encoders/image-tower-model.js');
  mkdirSync(path.join(root, 'checkpoint'), { recursive: true });
  saveDualEncoder(DualEncoder.create({ vocabSize: 6, dim: 3, outDim: 2, seed: 1 }), path.join(root, 'checkpoint', 'tiny.xde'), { tau: 0.05, step: 3, config: { note: 'seed' } });
  saveImageTower(ImageTower.create({ height: 4, width: 4, patch: 2, hidden: 3, outDim: 2, seed: 1 }), path.join(root, 'checkpoint', 'tiny.xit'), { step: 1 });
}

// An ONNX text model folder (a `a__b` seed is the file a/b): the tiny tokenizer and a tiny graph.
{
  const { textGraphWithHiddenStates } = await import('../dist/test/helpers/onnx-text-graph.js');
  put('onnx-folder', 'tokenizer.json', readFileSync(path.join(root, 'tokenizer-json', 'wordpiece.json')));
  put('onnx-folder', 'model.onnx', textGraphWithHiddenStates(Float32Array.from({ length: 80 }, (_, i) => (i % 7) / 7), new Float32Array(4), 40, 2).encode());
  put('onnx-folder', 'config.json', JSON.stringify({ model_type: 'bert', max_position_embeddings: 64, pad_token_id: 0 }));
  put('onnx-folder', 'tokenizer_config.json', JSON.stringify({ model_max_length: 32 }));
  put('onnx-folder', 'special_tokens_map.json', JSON.stringify({ pad_token: '[PAD]', unk_token: '[UNK]' }));
  put('onnx-folder', 'config_sentence_transformers.json', JSON.stringify({ prompts: { query: 'query: ', document: 'passage: ' } }));
  put('onnx-folder', 'sentence_bert_config.json', JSON.stringify({ max_seq_length: 16 }));
  put('onnx-folder', '1_Pooling__config.json', JSON.stringify({ pooling_mode_mean_tokens: true, pooling_mode_cls_token: false }));
}

// Images of 6 × 4 pixels: PNG (xmrbench's encoder), JPEG, GIF and WebP (sharp's).
{
  const { encodePng } = await import('../dist/src/data/emoji/png.js');
  const { default: sharp } = await import('sharp');
  const px = new Uint8Array(6 * 4 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256));
  put('image', 'tiny.png', encodePng({ width: 6, height: 4, pixels: px }));
  const raw = sharp(Buffer.from(px), { raw: { width: 6, height: 4, channels: 4 } });
  put('image', 'tiny.jpg', await raw.clone().jpeg({ quality: 80 }).toBuffer());
  put('image', 'tiny.gif', await raw.clone().gif().toBuffer());
  put('image', 'tiny.webp', await raw.clone().webp({ lossless: true }).toBuffer());
}

// The native tokenizer's libFuzzer target: 4 bytes choosing the configuration
// (native/test/tokenizer_fuzz_input.h), then the text.
put('tokenizer', 'plain', '\0\0\0\0hello world');
put('tokenizer', 'bert-norm', Buffer.from('\x05\x03\x00\x00Héllo, WORLD! naïve café', 'utf8'));
put('tokenizer', 'bpe', Buffer.from('\x00\x00\x04\x00 ab aab ba é  \t\n', 'utf8'));
put('tokenizer', 'unigram-cjk', Buffer.concat([Buffer.from([0, 0, 1, 0]), Buffer.from('日本語 テキスト 🙂 x\u0301')]));
put('tokenizer', 'bad-utf8', Buffer.concat([Buffer.from([0, 0, 2, 0, 0xff, 0xfe]), Buffer.from(' invalid '), Buffer.from([0xc3]), Buffer.from(' utf8')]));

// The native tokenizer-spec target: 3 option bytes, then vocabulary, merges and text, separated by
// an empty line (native/test/fuzz/tokenizer-spec_fuzz.cc).
const spec = (opts, vocab, merges, text) => Buffer.concat([Buffer.from(opts), Buffer.from(`${vocab.join('\n')}\n\n${merges.join('\n')}\n\n${text}`)]);
put('tokenizer-spec', 'wordpiece', spec([0, 0, 1 | 4 | 128], ['[UNK]', 'hello', 'world', 'wor', '##ld', '##l', '+[SEP]', 'h', '##e'], [], 'hello world [SEP] held'));
put('tokenizer-spec', 'unigram', spec([1, 0, 4 | 64], ['<unk>', '▁', 'a', 'b', 'ab', '▁ab', 'c', '+<s>'], [], 'ab c <s> abc d'));
put('tokenizer-spec', 'bpe', spec([2, 0, 2], ['<unk>', 'a', 'b', 'c', 'ab</w>', 'a</w>', 'b</w>', 'c</w>', 'ab', 'abc</w>'], ['a b', 'ab c</w>', 'a b</w>'], 'ab abc ca'));
