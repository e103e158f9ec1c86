/**
 * The streamed JSON reader (src/data/image-text/json-stream.ts) against JSON.parse of the whole
 * text: on seeded random documents — multi-byte characters, escapes, newlines, cut into chunks of
 * a few bytes so every value crosses chunk boundaries — it yields the same members, and on the same
 * documents with one byte deleted or inserted it fails at the same line and column as
 * parseJsonText on the whole text. Plus the top-level refusals, pinned.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { streamTopLevel } from '../src/data/image-text/json-stream.js';
import { parseJsonText } from '../src/json-text.js';
import { XmrError } from '../src/errors.js';
import { rng } from '../src/random.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'xmr-json-stream-'));
let count = 0;
const write = (text: string): string => {
  const file = path.join(tmp, `doc${count++}.json`);
  writeFileSync(file, text);
  return file;
};

/** The document as JSON.parse sees it, rebuilt from the events. */
function rebuild(file: string, chunkSize: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const e of streamTopLevel(file, chunkSize)) {
    if (e.kind === 'member') doc[e.key] = e.value;
    else if (e.kind === 'array') doc[e.key] = [];
    else if (e.kind === 'element') {
      const list = doc[e.key] as unknown[];
      assert.equal(e.index, list.length);
      list.push(e.value);
    }
  }
  return doc;
}

function randomDocument(r: () => number): string {
  const ws = (): string => [' ', '', '\n', '\t', '\r\n  ', ''][Math.floor(r() * 6)]!;
  const strings = ['', 'a man riding a horse', 'é', '日本語のキャプション', 'emoji 😀👍🏽', 'quote " and \\ backslash', 'tab\tnew\nline', '\u0001', '}]{[,:'];
  const value = (depth: number): string => {
    const k = Math.floor(r() * (depth > 2 ? 4 : 6));
    if (k === 0) return JSON.stringify(strings[Math.floor(r() * strings.length)]);
    if (k === 1) return JSON.stringify(Math.round((r() - 0.5) * 1e6) / 100);
    if (k === 2) return ['true', 'false', 'null'][Math.floor(r() * 3)]!;
    if (k === 3) return JSON.stringify(Math.floor(r() * 1000));
    if (k === 4) return `[${ws()}${Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
    return `{${ws()}${Array.from({ length: Math.floor(r() * 4) }, () => `${JSON.stringify(strings[Math.floor(r() * strings.length)])}${ws()}:${ws()}${value(depth + 1)}`).join(`,${ws()}`)}${ws()}}`;
  };
  const members = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, m) => {
    const v = r() < 0.6 ? `[${ws()}${Array.from({ length: Math.floor(r() * 6) }, () => value(1)).join(`${ws()},${ws()}`)}${ws()}]` : value(1);
    return `${ws()}"key${m} ü"${ws()}:${ws()}${v}`;
  });
  return `${ws()}{${members.join(',')}${ws()}}${ws()}`;
}

describe('streamed JSON', () => {
  it('yields what JSON.parse reads, across chunk boundaries', () => {
    const r = rng(11);
    for (let t = 0; t < 300; t++) {
      const text = randomDocument(r);
      const file = write(text);
      for (const chunk of [1, 3, 64, 1 << 20]) assert.deepEqual(rebuild(file, chunk), JSON.parse(text), `document ${t}, chunks of ${chunk}: ${text}`);
    }
  });

  it('fails at the line and column parseJsonText names for the whole text', () => {
    const r = rng(12);
    let failures = 0;
    for (let t = 0; t < 400; t++) {
      const chars = Array.from(randomDocument(r)); // code points: a file is UTF-8, no lone surrogates
      const at = Math.floor(r() * chars.length);
      chars.splice(at, r() < 0.5 ? 1 : 0, ...(r() < 0.5 ? [] : ['{]":,x'[Math.floor(r() * 6)]!]));
      const text = chars.join('');
      const file = write(text);
      let expected: { line?: number; column?: string } | undefined;
      let whole: unknown;
      try {
        whole = parseJsonText(text, { file });
      } catch (e) {
        const err = e as XmrError;
        expected = { line: err.line, column: /at column (\d+)/.exec(err.message)![1] };
      }
      if (expected === undefined && (whole === null || typeof whole !== 'object' || Array.isArray(whole))) continue; // a valid non-object: pinned below
      if (expected !== undefined) failures++;
      for (const chunk of [2, 1 << 20]) {
        if (expected === undefined) {
          assert.deepEqual(rebuild(file, chunk), whole);
          continue;
        }
        assert.throws(
          () => rebuild(file, chunk),
          (e: XmrError) => {
            assert.equal(e.name, 'XmrError', e.message);
            assert.deepEqual({ line: e.line, column: /at column (\d+)/.exec(e.message)?.[1] }, expected, `${JSON.stringify(text)}: ${e.message}`);
            return true;
          },
        );
      }
    }
    assert.ok(failures > 100, `only ${failures} of 400 documents broken`);
  });

  it('refuses a document that is not an object, and names what is missing at the end', () => {
    const arr = write('[{"a": 1}]');
    assert.throws(() => rebuild(arr, 4), { name: 'XmrError', message: `${arr}: the document must be an object, got an array` });
    const num = write(' 42 ');
    assert.throws(() => rebuild(num, 4), { name: 'XmrError', message: `${num}: the document must be an object, got 42` });
    const cut = write('{"images": [\n  {"a": 1},\n');
    assert.throws(() => rebuild(cut, 4), { name: 'XmrError', message: `${cut}:3: invalid JSON at column 1: unexpected end of the file, expected a value` });
    const missing = write('{"images": [{"a": 1}\n  {"a": 2}]}');
    assert.throws(() => rebuild(missing, 4), { name: 'XmrError', message: `${missing}:2: invalid JSON at column 3: expected ',' or ']' after images[0], got '{'` });
    const trailing = write('{"images": []} x');
    assert.throws(() => rebuild(trailing, 4), { name: 'XmrError', message: `${trailing}:1: invalid JSON at column 16: unexpected 'x' after the end of the document` });
    const gone = path.join(tmp, 'gone.json');
    assert.throws(() => rebuild(gone, 4), (e: XmrError) => e.code === 'E_MISSING' && e.message.startsWith(`${gone}: ENOENT`));
  });
});
