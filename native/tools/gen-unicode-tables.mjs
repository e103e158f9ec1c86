#!/usr/bin/env node
// Generates native/src/tokenizer/unicode_tables.cc from the Unicode Character Database that Debian's
// `unicode-data` package installs (/usr/share/unicode, Unicode 15.0, with its auxiliary/ and emoji/):
//   node native/tools/gen-unicode-tables.mjs [/usr/share/unicode] > native/src/tokenizer/unicode_tables.cc
//
// Besides the standard properties (White_Space, general categories, combining classes, lower-case
// mappings) it reproduces the older Unicode tables of the crates Hugging Face tokenizers uses, so
// that results agree with it on every code point. Measured against tokenizers 0.23.2 on all of
// them (test/tokenizer-unicode-classes.test.ts), they equal, rebuilt from DerivedAge.txt and
// today's categories with a few corrections for characters whose category changed since:
//   unicode_categories (BertNormalizer, BertPreTokenizer, Punctuation): Unicode 8.0 categories
//     is_other()            = Cc | Cf | Co assigned in ≤ 8.0 (never Cn),
//     is_punctuation()      = P* assigned in ≤ 8.0, plus U+166D and U+111C9 (Po in 8.0),
//     is_mark_nonspacing()  = Mn assigned in ≤ 8.0, plus U+1734 (Mn in 8.0), minus U+1885,
//                             U+1886, U+A9BD, U+111C9 (Lo, Lo, Mc, Po in 8.0);
//   unicode-normalization-alignments (NFC/NFD/NFKC/NFKD, StripAccents): Unicode 11.0
//     decompositions and compositions only of characters assigned in ≤ 11.0, and
//     is_combining_mark()   = Mn | Mc | Me assigned in ≤ 9.0, plus U+1CF2 and U+1CF3 (Mc in
//                             9.0), minus U+111C9 (Po in 9.0).
// Rust's own char methods (is_whitespace, is_numeric, to_lowercase, regex \w) follow a newer
// Unicode than Debian's 15.0 data: they differ only on characters new in Unicode 16.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '/usr/share/unicode';
const read = (f) => readFileSync(path.join(dir, f), 'utf8');
const N = 0x110000;

// General category per code point (unlisted = Cn).
const gc = new Array(N).fill('Cn');
const lower = new Map();
const decomp = new Map(); // cp -> { compat, seq }
const ccc = new Uint8Array(N);
let rangeStart = -1;
for (const line of read('UnicodeData.txt').split('\n')) {
  if (!line) continue;
  const f = line.split(';');
  const cp = parseInt(f[0], 16);
  if (f[1].endsWith(', First>')) { rangeStart = cp; continue; }
  const from = f[1].endsWith(', Last>') ? rangeStart : cp;
  for (let c = from; c <= cp; c++) { gc[c] = f[2]; ccc[c] = Number(f[3]); }
  if (f[5]) {
    const compat = f[5].startsWith('<');
    const seq = f[5].replace(/^<[^>]*>\s*/, '').split(' ').map((x) => parseInt(x, 16));
    decomp.set(cp, { compat, seq });
  }
  if (f[13]) lower.set(cp, [parseInt(f[13], 16)]);
}
// SpecialCasing.txt: unconditional full lower-case mappings (Rust's char::to_lowercase uses them).
for (const line of read('SpecialCasing.txt').split('\n')) {
  const body = line.split('#')[0].trim();
  if (!body) continue;
  const f = body.split(';').map((x) => x.trim());
  if (f[4]) continue; // conditional (language or context): char::to_lowercase ignores these
  const cp = parseInt(f[0], 16);
  const lo = f[1].split(' ').map((x) => parseInt(x, 16));
  if (!(lo.length === 1 && lo[0] === cp)) lower.set(cp, lo);
}

function ranges(file, prop) {
  const out = new Uint8Array(N);
  for (const line of read(file).split('\n')) {
    const body = line.split('#')[0].trim();
    if (!body) continue;
    const [r, p] = body.split(';').map((x) => x.trim());
    if (p !== prop) continue;
    const [a, b] = r.split('..').map((x) => parseInt(x, 16));
    for (let c = a; c <= (b ?? a); c++) out[c] = 1;
  }
  return out;
}
const whiteSpace = ranges('PropList.txt', 'White_Space');
// Grapheme_Cluster_Break (UAX #29) and Extended_Pictographic, for the Precompiled normalizer's
// grapheme clusters (unicode-segmentation, as HF tokenizers uses it).
const GCB_CLASSES = ['Other', 'CR', 'LF', 'Control', 'Extend', 'ZWJ', 'Regional_Indicator', 'Prepend', 'SpacingMark', 'L', 'V', 'T', 'LV', 'LVT'];
const GCB_EXT_PICT = 14; // Other and Extended_Pictographic (the two never overlap otherwise)
const gcb = new Uint8Array(N);
GCB_CLASSES.forEach((name, i) => {
  if (i === 0) return;
  const r = ranges('auxiliary/GraphemeBreakProperty.txt', name);
  for (let c = 0; c < N; c++) if (r[c]) gcb[c] = i;
});
const extPict = ranges('emoji/emoji-data.txt', 'Extended_Pictographic');
for (let c = 0; c < N; c++) {
  if (!extPict[c]) continue;
  if (gcb[c] !== 0) throw new Error(`U+${c.toString(16)} is Extended_Pictographic and Grapheme_Cluster_Break=${GCB_CLASSES[gcb[c]]}`);
  gcb[c] = GCB_EXT_PICT;
}
const alphabetic = ranges('DerivedCoreProperties.txt', 'Alphabetic');
const joinControl = ranges('PropList.txt', 'Join_Control');
const fullExclusion = ranges('DerivedNormalizationProps.txt', 'Full_Composition_Exclusion');

const age = new Float64Array(N).fill(Infinity);
for (const line of read('DerivedAge.txt').split('\n')) {
  const body = line.split('#')[0].trim();
  if (!body) continue;
  const [r, v] = body.split(';').map((x) => x.trim());
  const [a, b] = r.split('..').map((x) => parseInt(x, 16));
  const [maj, min] = v.split('.').map(Number);
  for (let c = a; c <= (b ?? a); c++) age[c] = maj + min / 100;
}

const ASCII_PUNCT = new Set([...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'].map((c) => c.codePointAt(0)));
// Property bits (keep in sync with native/include/xmr/unicode.h).
const WHITE = 1, HF_OTHER = 2, HF_PUNCT = 4, HF_MARK = 8, NUMERIC = 16, WORD = 32, ALNUM = 64, LOWER = 128, CANON = 256, COMPAT = 512, HF_NONSPACING = 1024, LETTER = 2048;
const GCB_SHIFT = 12; // bits 12–15: the grapheme-break class above
const HF_NORMALIZATION_AGE = 11.0;
const props = new Uint16Array(N);
for (let c = 0; c < N; c++) {
  const g = gc[c];
  let p = 0;
  if (whiteSpace[c]) p |= WHITE;
  if ((g === 'Cc' || g === 'Cf' || g === 'Co') && age[c] <= 8.0) p |= HF_OTHER;
  if (ASCII_PUNCT.has(c) || (g[0] === 'P' && age[c] <= 8.0) || c === 0x166d || c === 0x111c9) p |= HF_PUNCT;
  if (((g[0] === 'M' && age[c] <= 9.0) || c === 0x1cf2 || c === 0x1cf3) && c !== 0x111c9) p |= HF_MARK;
  if (((g === 'Mn' && age[c] <= 8.0) || c === 0x1734) && ![0x1885, 0x1886, 0xa9bd, 0x111c9].includes(c)) p |= HF_NONSPACING;
  const numeric = g === 'Nd' || g === 'Nl' || g === 'No';
  if (numeric) p |= NUMERIC;
  // Rust regex's \w: Alphabetic, M*, Nd, Pc, Join_Control.
  if (alphabetic[c] || g[0] === 'M' || g === 'Nd' || g === 'Pc' || joinControl[c]) p |= WORD;
  if (alphabetic[c] || numeric) p |= ALNUM;
  if (lower.has(c)) p |= LOWER;
  if (g[0] === 'L') p |= LETTER;
  if (decomp.has(c) && age[c] <= HF_NORMALIZATION_AGE) p |= decomp.get(c).compat ? COMPAT : CANON | COMPAT;
  p |= gcb[c] << GCB_SHIFT;
  props[c] = p;
}

// Full (recursive) decompositions; Hangul syllables are decomposed algorithmically in unicode.cc.
function full(cp, compat) {
  const d = decomp.get(cp);
  if (!d || (d.compat && !compat) || age[cp] > HF_NORMALIZATION_AGE) return [cp];
  return d.seq.flatMap((x) => full(x, compat));
}
const decompData = [];
const canonEntries = [], compatEntries = [];
for (const cp of [...decomp.keys()].filter((c) => age[c] <= HF_NORMALIZATION_AGE).sort((a, b) => a - b)) {
  for (const [compat, list] of [[false, canonEntries], [true, compatEntries]]) {
    if (!compat && decomp.get(cp).compat) continue;
    const seq = full(cp, compat);
    list.push([cp, decompData.length, seq.length]);
    decompData.push(...seq);
  }
}
// Primary composites: canonical pairs that are not excluded from composition.
const compositions = [];
for (const [cp, d] of decomp) {
  if (d.compat || d.seq.length !== 2 || fullExclusion[cp] || age[cp] > HF_NORMALIZATION_AGE) continue;
  compositions.push([d.seq[0], d.seq[1], cp]);
}
compositions.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
const lowerEntries = [...lower.entries()].sort((a, b) => a[0] - b[0]);
const lowerData = [];
const lowerIndex = lowerEntries.map(([cp, seq]) => { const o = lowerData.length; lowerData.push(...seq); return [cp, o, seq.length]; });

// Two-stage table: stage1[cp >> 7] selects a deduplicated block of 128 values.
function twoStage(values, type) {
  const blocks = new Map(), stage1 = [], stage2 = [];
  for (let b = 0; b < N / 128; b++) {
    const block = Array.from(values.subarray(b * 128, b * 128 + 128));
    const key = block.join(',');
    if (!blocks.has(key)) { blocks.set(key, stage2.length / 128); stage2.push(...block); }
    stage1.push(blocks.get(key));
  }
  return { stage1, stage2, type };
}
const P = twoStage(props), C = twoStage(ccc);
const hex = (x) => '0x' + x.toString(16);
const arr = (type, name, xs, fmt = String) => {
  const lines = [];
  for (let i = 0; i < xs.length; i += 16) lines.push('  ' + xs.slice(i, i + 16).map(fmt).join(', ') + ',');
  return `const ${type} ${name}[${xs.length}] = {\n${lines.join('\n')}\n};\n`;
};
const triple = (t) => `{${hex(t[0])}, ${t[1]}, ${t[2]}}`;
process.stdout.write(`// GENERATED by native/tools/gen-unicode-tables.mjs from the Unicode ${/Unicode ([0-9.]+)/.exec(read('ReadMe.txt'))?.[1] ?? ''} Character Database.
// Do not edit: regenerate (see that script for the Hugging Face compatibility classes).
#include "unicode_tables.h"

namespace xmr::unicode::tables {

${arr('uint16_t', 'kPropStage1', P.stage1)}
${arr('uint16_t', 'kPropStage2', P.stage2, hex)}
${arr('uint16_t', 'kCccStage1', C.stage1)}
${arr('uint8_t', 'kCccStage2', C.stage2)}
${arr('char32_t', 'kDecompData', decompData, hex)}
${arr('MapEntry', 'kCanonDecomp', canonEntries, triple)}
const size_t kCanonDecompCount = ${canonEntries.length};
${arr('MapEntry', 'kCompatDecomp', compatEntries, triple)}
const size_t kCompatDecompCount = ${compatEntries.length};
${arr('Composition', 'kCompositions', compositions, (t) => `{${hex(t[0])}, ${hex(t[1])}, ${hex(t[2])}}`)}
const size_t kCompositionCount = ${compositions.length};
${arr('char32_t', 'kLowerData', lowerData, hex)}
${arr('MapEntry', 'kLower', lowerIndex, triple)}
const size_t kLowerCount = ${lowerIndex.length};

}  // namespace xmr::unicode::tables
`);
