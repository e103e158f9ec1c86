// A Tokenizer reports its native tables to V8 as external memory, so that a program making many
// tokenizers gets the GCs that free the dead ones (V8 collects once external memory has grown by
// 64 MiB since the last GC). Before, nothing prompted a GC while they piled up: the 120 tokenizers of
// the 6,000-token fixture made here, with a turn of the event loop after each (where Node-API
// finalizers run), peaked 275 MiB above the start (300: 650 MiB); reported, 68 MiB (300: 71 MiB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { native } from '../src/native.js';
import { parseTokenizerJson } from '../src/tokenize/spec.js';
import { fixtureDir } from './helpers/hf-tokenizers.js';

const MADE = 120;
const PEAK_BOUND = 120 * 1048576;

test(`${MADE} dead Tokenizers made in a row stay below ${PEAK_BOUND / 1048576} MiB of RSS growth`, async (t) => {
  // The spec parsed once: the garbage of parsing it again would prompt GCs of its own.
  const { spec } = parseTokenizerJson(readFileSync(path.join(fixtureDir, 'wordpiece-uncased.json'), 'utf8'), 'wordpiece-uncased.json');
  const { Tokenizer } = native();
  const start = process.memoryUsage().rss;
  let peak = start;
  for (let i = 0; i < MADE; i++) {
    new Tokenizer(spec);
    await new Promise((r) => setImmediate(r));
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  assert.ok(peak - start < PEAK_BOUND, `RSS peaked ${((peak - start) / 1048576).toFixed(1)} MiB above the start`);
  t.diagnostic(`peak ${((peak - start) / 1048576).toFixed(1)} MiB above the start`);
});
