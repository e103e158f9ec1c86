// What the fuzz targets (test/fuzz/, docs/fuzzing.md) found, each pinned with its exact message:
// inputs that were read as a different value, or refused without saying where.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readBeirCorpus, readBeirQueries } from '../src/data/beir.js';
import { parseQrels, parseRun } from '../src/data/trec/index.js';
import { readCoco, readKarpathy } from '../src/data/image-text/index.js';
import { readVec } from '../src/data/lexicons/vec.js';
import { loadConfig } from '../src/experiment/config.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-fuzz-findings-'));
const file = (name: string, text: string): string => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

test('.vec: a component that is not a decimal literal (0x10), or overflows float32 (1e39), is refused at its line', () => {
  const hex = file('hex.vec', '2 2\na 0.5 1\nb 0x10 2\n');
  assert.throws(() => readVec(hex), { name: 'XmrError', message: `${hex}:3: not a number: "0x10"` });
  const big = file('big.vec', '1 2\nb 1 1e39\n');
  assert.throws(() => readVec(big), { name: 'XmrError', message: `${big}:2: not a number: "1e39"` });
  // float32's largest value still reads
  assert.equal(readVec(file('max.vec', '1 1\nc 3.4028234e38\n')).vectors[0], Math.fround(3.4028234e38));
});

test('.vec: a header dim larger than the file could hold is refused at line 1 (not a multi-gigabyte allocation)', () => {
  const f = file('dim.vec', '1 2147483648\nthe 0.1 -0.2\n');
  assert.throws(() => readVec(f), { name: 'XmrError', message: `${f}:1: dim 2147483648 is more numbers than the file holds` });
});

test('TREC: an id starting with U+FEFF keeps it, so it is not a second copy of the id without it', () => {
  const run = parseRun('q1 Q0 \ufeffd1 1 1 t\nq1 Q0 d1 2 0.5 t\n', 'run.txt');
  assert.deepEqual(run.toObject(), { q1: { '\ufeffd1': 1, d1: 0.5 } });
  assert.deepEqual(parseQrels('q1 0 \ufeffd1 1\n\ufeffq1 0 d1 0\n', 'qrels.txt').toObject(), { q1: { '\ufeffd1': 1 }, '\ufeffq1': { d1: 0 } });
  assert.throws(() => parseRun('q1 Q0 d1 1 1 t\nq1 Q0 d1 2 0.5 t\n', 'run.txt'), { name: 'XmrError', message: 'run.txt:2: duplicate document "d1" for query "q1" (first at line 1)' });
});

test('TREC run: a control byte inside a field is data and \\r separates fields, as the qrels reader splits; a rank beyond int32 is refused', () => {
  // The native reader ended a field at any byte below 0x21: `q\x04` refused the line, blamed on its score.
  const run = parseRun('q\x04 Q0 d\x0b1 1 1.25 t\nq\x04\rQ0 d2 2 0.5 t\x01\n', 'run.txt');
  assert.deepEqual(run.toObject(), { 'q\x04': { 'd\x0b1': 1.25, d2: 0.5 } });
  assert.deepEqual(parseQrels('q\x04 0 d\x0b1 1\n', 'qrels.txt').toObject(), { 'q\x04': { 'd\x0b1': 1 } });
  // The rank must be an integer within ±(2^31 − 1), as the error path already checked it.
  assert.throws(() => parseRun('q1 Q0 d1 2147483648 1 t\n', 'run.txt'), { name: 'XmrError', message: 'run.txt:1: expected an integer rank in field 4, got "2147483648"' });
  assert.equal(parseRun('q1 Q0 d1 -2147483647 1 t\n', 'run.txt').length, 1);
});

test('BEIR: an integer _id beyond 2^53 is refused (it has lost digits), a smaller one reads as written', async () => {
  const corpus = file('corpus.jsonl', '{"_id": 7, "text": "x"}\n{"_id": 99999999999999999999, "text": "y"}\n');
  await assert.rejects(readBeirCorpus(corpus), { name: 'XmrError', message: `${corpus}:2: "_id" is an integer too large to read exactly (beyond 2^53): write it as a string` });
  const queries = file('queries.jsonl', '{"_id": 9007199254740991, "text": "q"}\n');
  assert.deepEqual((await readBeirQueries(queries)).ids, ['9007199254740991']);
});

test('COCO and Karpathy: an integer id beyond 2^53 is refused at its field, so two ids cannot become one', () => {
  const coco = file('coco.json', JSON.stringify({ images: [{ id: 1, file_name: 'a.jpg' }], annotations: [] }).replace('"id":1', '"id":9007199254740993'));
  assert.throws(() => readCoco(coco), { name: 'XmrError', message: `${coco}: images[0].id is an integer too large to read exactly (beyond 2^53): write it as a string` });
  const karpathy = file('karpathy.json', '{"images": [{"filename": "a.jpg", "split": "test", "sentences": [{"sentid": 18014398509481985, "raw": "x"}]}]}');
  assert.throws(() => readKarpathy(karpathy), { name: 'XmrError', message: `${karpathy}: images[0].sentences[0].sentid is an integer too large to read exactly (beyond 2^53): write it as a string` });
});

test('the experiment config and tokenizer.json: a JSON syntax error is reported at its line and column', () => {
  const config = file('config.json', '{"seeds": [1,]}');
  assert.throws(() => loadConfig({ file: config }), { name: 'XmrError', message: `${config}:1: invalid JSON at column 14: Unexpected token ']'` });
  const tokenizer = file('tokenizer.json', '{"version": "1.0",\n "model": ,}');
  assert.throws(() => Tokenizer.fromFile(tokenizer), { name: 'XmrError', message: `${tokenizer}:2: invalid JSON at column 11: Unexpected token ','` });
});

test('tokenizer.json: an id beyond int32 or a type id beyond one byte is refused at its field, not wrapped', () => {
  const base = JSON.parse(readFileSync(new URL('../../fuzz/corpus/tokenizer-json/wordpiece.json', import.meta.url), 'utf8'));
  const cls = file('cls.json', JSON.stringify({ ...base, post_processor: { ...base.post_processor, cls: ['[CLS]', 2147483648] } }));
  assert.throws(() => Tokenizer.fromFile(cls), { name: 'XmrError', message: `${cls}: post_processor.cls[1] must be at most 2147483646, got 2147483648` });
  const type = file('type.json', JSON.stringify({ ...base, padding: { strategy: 'BatchLongest', direction: 'Right', pad_to_multiple_of: null, pad_id: 0, pad_type_id: 256, pad_token: '[PAD]' } }));
  assert.throws(() => Tokenizer.fromFile(type), { name: 'XmrError', message: `${type}: padding.pad_type_id must be at most 255, got 256` });
});

