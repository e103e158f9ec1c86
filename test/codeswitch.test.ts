// BL-CS / ML-CS code-switching (Litschko et al. 2023): determinism, ratios, case, stopwords, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeSwitchBatch, createCodeSwitcher, emptyStats, switchRatios } from '../src/augment/codeswitch.js';
import type { CodeSwitchConfig } from '../src/augment/codeswitch.js';
import { codeSwitchTexts, CodeSwitchPool } from '../src/augment/codeswitch-pool.js';
import { ENGLISH_STOPWORDS } from '../src/augment/stopwords.js';
import { fmix32 } from '../src/random.js';

const DE = new Map([
  ['the', 'der'],
  ['dog', 'hund'],
  ['house', 'haus'],
  ['cat', 'katze'],
  ['tree', 'baum'],
  ['small', 'klein'],
]);
const IT = new Map([
  ['dog', 'cane'],
  ['house', 'casa'],
  ['cat', 'gatto'],
  ['tree', 'albero'],
  ['small', 'piccolo'],
]);

/** A large English-like collection: words from the lexicons plus uncovered ones, with punctuation. */
function corpus(n: number): string[] {
  const words = ['dog', 'house', 'cat', 'tree', 'small', 'the', 'zebra', 'runs', 'Dog', 'HOUSE'];
  const out: string[] = [];
  let x = 0;
  for (let i = 0; i < n; i++) {
    const len = 5 + (i % 11);
    const toks: string[] = [];
    for (let j = 0; j < len; j++) toks.push(words[fmix32(x++) % words.length]!);
    out.push(toks.join(' ') + (i % 3 === 0 ? '.' : ', ok?'));
  }
  return out;
}

const bl = (p: number, seed = 7): CodeSwitchConfig => ({ mode: 'bl', lexicons: [{ lang: 'de', lexicon: DE }], p, seed });

test('same input and seed give identical output; another seed differs', () => {
  const texts = corpus(2000);
  const a = codeSwitchBatch(createCodeSwitcher(bl(0.5)), texts);
  const b = codeSwitchBatch(createCodeSwitcher(bl(0.5)), texts);
  const c = codeSwitchBatch(createCodeSwitcher(bl(0.5, 8)), texts);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('output does not depend on batching or on the thread count', async () => {
  const texts = corpus(3001);
  const whole = codeSwitchBatch(createCodeSwitcher(bl(0.5)), texts);
  const sw = createCodeSwitcher(bl(0.5));
  const pieces = [...codeSwitchBatch(sw, texts.slice(0, 1000), 0), ...codeSwitchBatch(sw, texts.slice(1000), 1000)];
  assert.deepEqual(pieces, whole);
  // Collecting statistics takes another code path; it must not change the output.
  assert.deepEqual(codeSwitchBatch(createCodeSwitcher(bl(0.5)), texts, 0, emptyStats(['de'])), whole);
  const ml: CodeSwitchConfig = { mode: 'ml', lexicons: [{ lang: 'de', lexicon: DE }, { lang: 'it', lexicon: IT }], p: 0.5, seed: 3, stopwords: ENGLISH_STOPWORDS };
  assert.deepEqual(codeSwitchBatch(createCodeSwitcher(ml), texts, 0, emptyStats(['de', 'it'])), codeSwitchBatch(createCodeSwitcher(ml), texts));
  for (const threads of [1, 2, 3]) {
    const { texts: out, stats } = await codeSwitchTexts(bl(0.5), texts, threads);
    assert.deepEqual(out, whole, `${threads} threads`);
    assert.ok(stats.switched > 0);
  }
  const pool = new CodeSwitchPool(bl(0.5), 2);
  try {
    const late = await pool.run(texts.slice(2000), 2000);
    assert.deepEqual(late, whole.slice(2000));
  } finally {
    await pool.close();
  }
});

test('BL-CS: the realised ratio over covered tokens is within ±0.02 of p on large input', () => {
  const texts = corpus(20000);
  for (const p of [0.25, 0.5, 0.75]) {
    const stats = emptyStats(['de']);
    codeSwitchBatch(createCodeSwitcher(bl(p)), texts, 0, stats);
    const { ratio, coveredRatio } = switchRatios(stats);
    assert.ok(stats.tokens > 150000);
    assert.ok(Math.abs(coveredRatio - p) <= 0.02, `p=${p}: covered ratio ${coveredRatio}`);
    // The paper's ratio also counts uncovered tokens (zebra, runs, ok), so it falls short of p.
    const coverage = stats.covered / stats.counted;
    assert.ok(coverage > 0.7 && coverage < 0.8, `coverage ${coverage}`);
    assert.ok(Math.abs(ratio - coverage * p) <= 0.02, `p=${p}: ratio ${ratio}`);
  }
});

test('p = 0 changes nothing; p = 1 switches every covered token', () => {
  const texts = corpus(200);
  assert.deepEqual(codeSwitchBatch(createCodeSwitcher(bl(0)), texts), texts);
  const stats = emptyStats(['de']);
  const all = codeSwitchBatch(createCodeSwitcher(bl(1)), texts, 0, stats);
  assert.equal(stats.switched, stats.covered);
  for (const t of all) assert.doesNotMatch(t, /\b(dog|house|cat|tree|small|the)\b/i);
});

test('case and punctuation are preserved', () => {
  const sw = createCodeSwitcher(bl(1));
  assert.equal(sw.switchText('The Dog, the HOUSE; a cat... (tree)!  zebra-tree', 0), 'Der Hund, der HAUS; a katze... (baum)!  zebra-baum');
});

test('stopwords are skipped and not counted when asked', () => {
  const stats = emptyStats(['de']);
  const sw = createCodeSwitcher({ ...bl(1), stopwords: ENGLISH_STOPWORDS });
  assert.equal(sw.switchText('the dog and the cat', 0, stats), 'the hund and the katze');
  assert.deepEqual(stats, { tokens: 5, counted: 2, covered: 2, switched: 2, byLang: { de: 2 } });
});

test('BL-CS uses its one language; ML-CS spreads switches uniformly over the languages', () => {
  const texts = corpus(10000);
  const ml: CodeSwitchConfig = { mode: 'ml', lexicons: [{ lang: 'de', lexicon: DE }, { lang: 'it', lexicon: IT }], p: 0.5, seed: 3 };
  const stats = emptyStats(['de', 'it']);
  const out = codeSwitchBatch(createCodeSwitcher(ml), texts, 0, stats);
  const { de, it } = stats.byLang as { de: number; it: number };
  assert.ok(de > 0 && it > 0);
  // Covered by both: dog house cat tree small (+Dog, HOUSE); "the" only by DE. Per language a token is
  // switched with probability p/2 when that lexicon has it.
  const share = it / (de + it);
  assert.ok(Math.abs(share - 6 / 13) < 0.02, `IT share ${share}`);
  assert.ok(out.some((t) => /\bcane\b/.test(t)) && out.some((t) => /\bhund\b/.test(t)));
  // One text can mix languages under ML-CS, never under BL-CS.
  assert.ok(out.some((t) => /\b(hund|haus|katze|baum|klein)\b/i.test(t) && /\b(cane|casa|gatto|albero|piccolo)\b/i.test(t)));
  const blOut = codeSwitchBatch(createCodeSwitcher(bl(0.5)), texts);
  assert.ok(blOut.every((t) => !/\b(cane|casa|gatto|albero|piccolo)\b/i.test(t)));
});

test('bad configurations name the argument', () => {
  assert.throws(() => createCodeSwitcher(bl(1.5)), { name: 'RangeError', message: 'p must be in [0, 1], got 1.5' });
  assert.throws(() => createCodeSwitcher(bl(0.5, -1)), { name: 'RangeError', message: 'seed must be an integer ≥ 0, got -1' });
  assert.throws(() => createCodeSwitcher({ ...bl(0.5), mode: 'xx' as 'bl' }), { name: 'TypeError', message: 'mode must be "bl" or "ml", got "xx"' });
  assert.throws(() => createCodeSwitcher({ ...bl(0.5), lexicons: [{ lang: 'de', lexicon: new Map() }] }), { message: 'lexicon for de is empty' });
  assert.throws(() => createCodeSwitcher({ ...bl(0.5), lexicons: [{ lang: 'de', lexicon: DE }, { lang: 'it', lexicon: IT }] }), {
    message: 'BL-CS takes exactly one lexicon, got 2',
  });
  assert.throws(() => new CodeSwitchPool(bl(0.5), 0), { message: 'threads must be an integer ≥ 1, got 0' });
});

test('tokens are exactly the runs of [\\p{L}\\p{M}\\p{N}], astral letters included', () => {
  const text = 'Ünïcode naïve café — 𝐀𝐁c 42nd, ﬁle straße; 東京 x\u0301y e-mail 😀 end';
  const words = text.match(/[\p{L}\p{M}\p{N}]+/gu)!;
  const lex = new Map(words.map((w) => [w.toLowerCase(), '#']));
  const out = createCodeSwitcher({ mode: 'bl', lexicons: [{ lang: 'x', lexicon: lex }], p: 1, seed: 0 }).switchText(text, 0);
  assert.equal(out, text.replace(/[\p{L}\p{M}\p{N}]+/gu, '#'));
});
