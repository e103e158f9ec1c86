// tokenizer.json files as they come: a vocabulary whose ids skip values (tokens removed) loads as
// in HF, the holes are never produced, added tokens take the ids HF gives them (not always those
// the file states), and the pad token is found among the added tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';
import { Tokenizer } from '../src/index.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';

const text = readFileSync(path.join(fixtureDir, 'bpe-holes.json'), 'utf8');
const json = JSON.parse(text) as { model: { vocab: Record<string, number> }; added_tokens: { id: number; content: string }[] };
const mine = Tokenizer.fromJson(text, 'bpe-holes.json');
const hf = tk.Tokenizer.fromString(text);
const ids = new Set(Object.values(json.model.vocab));
const max = Math.max(...ids);
const holes = Array.from({ length: max }, (_, i) => i).filter((i) => !ids.has(i));

test('a vocabulary with holes: the holes have no token, here as in HF, and vocabSize covers the largest id', () => {
  assert.ok(holes.length >= 20, `only ${holes.length} holes`);
  for (const h of holes) {
    assert.equal(mine.idToToken(h), '', `hole ${h}`);
    assert.equal(hf.idToToken(h), null, `hole ${h} in HF`);
  }
  assert.equal(mine.vocabSize, max + 1);
});

test("an added token stated past the vocabulary gets HF's id for it", async () => {
  const extra = json.added_tokens.find((a) => a.content === '<extra_0>')!;
  const hfId = hf.tokenToId('<extra_0>')!;
  assert.ok(extra.id > max && hfId !== extra.id, `HF keeps the stated id ${extra.id}`);
  const e = mine.encode('x <extra_0> y', { addSpecialTokens: false });
  assert.deepEqual(Array.from(e.ids), (await hf.encode('x <extra_0> y', null, { addSpecialTokens: false })).getIds());
  assert.ok(Array.from(e.ids).includes(hfId));
  assert.equal(mine.idToToken(hfId), hf.idToToken(hfId));
});

test('the pad id comes from the added tokens when the file has no padding section', () => {
  const roberta = Tokenizer.fromFile(path.join(fixtureDir, 'roberta-bytelevel.json'));
  assert.equal(roberta.defaults.padId, hf.tokenToId('<pad>'));
  const r = roberta.encodeBatchSync(['a', 'a longer text'], { padding: 'longest' });
  assert.equal(r.ids[r.cols - 1], hf.tokenToId('<pad>'));
});
