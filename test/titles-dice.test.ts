// Lexicon induction from aligned short texts by Dice association (Wiki-CS analogue).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diceLexicon } from '../src/data/lexicons/titles-dice.js';

test('a planted parallel collection yields its word pairs', () => {
  const en = ['network', 'tool', 'library', 'game', 'font'];
  const de = ['netzwerk', 'werkzeug', 'bibliothek', 'spiel', 'schrift'];
  const pairs: [string, string][] = [];
  for (let i = 0; i < 40; i++) {
    const a = i % 5;
    const b = (i * 3 + 1) % 5;
    pairs.push([`${en[a]} for the ${en[b]} 2024`, `${de[a]} für das ${de[b]} 2024`]);
  }
  const lex = diceLexicon(pairs, { minCount: 3, minPair: 3 });
  for (let i = 0; i < 5; i++) assert.equal(lex.get(en[i]!), de[i], en[i]);
  assert.equal(lex.has('2024'), false, 'numbers are not words');
});

test('thresholds apply', () => {
  const pairs: [string, string][] = [['rare word', 'seltenes wort'], ['rare word', 'seltenes wort']];
  assert.equal(diceLexicon(pairs, { minCount: 3 }).size, 0);
  assert.equal(diceLexicon(pairs, { minCount: 2, minPair: 2, mutual: false }).size, 2);
  assert.throws(() => diceLexicon(pairs, { minDice: 0 }), { name: 'RangeError', message: 'minDice must be in (0, 1], got 0' });
});
