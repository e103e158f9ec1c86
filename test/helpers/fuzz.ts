/**
 * The shared machinery of the fast-check fuzz targets (test/fuzz/*.fuzz.test.ts): mutations of a
 * valid seed file, and the property every reader must keep on the result.
 *
 * Mutations (fast-check arbitraries, so a failure shrinks to the fewest, smallest mutations): byte
 * flips, truncation, line duplication and deletion, inserted garbage, numbers replaced by huge ones,
 * NaN, Infinity and other non-literals, unicode, CRLF line ends, empty input. A *neutral* mutation
 * keeps the file valid and its meaning (CRLF, a blank line, a trailing newline, where the format says
 * so): the reader must then give exactly the unmutated result.
 *
 * The property on any other mutation: the reader returns, or throws an XmrError (or TypeError /
 * RangeError) whose message names the file and the place (`file:line:`, a field, an offset) — never
 * another exception type, a hang (each call has a time limit; a synchronous endless loop would stall
 * the test file instead) or an unhandled rejection.
 *
 * Runs: XMR_FUZZ_RUNS (default 200 per target, what `npm test` runs, seed 17) or XMR_FUZZ_SECONDS
 * (a time budget per target instead; `scripts/fuzz.sh TARGET SECONDS`), XMR_FUZZ_SEED to vary the seed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { XmrError } from '../../src/errors.js';

/** The committed seed corpus of a target: fuzz/corpus/<target>/*, sorted by name. */
export function seeds(target: string): { name: string; bytes: Uint8Array }[] {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fuzz/corpus', target);
  const names = readdirSync(root).filter((n) => !n.startsWith('.')).sort();
  assert.ok(names.length > 0, `no seeds in ${root}`);
  return names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(root, name))) }));
}

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'dupLine'; line: number }
  | { kind: 'dropLine'; line: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'number'; nth: number; text: string }
  | { kind: 'crlf' }
  | { kind: 'empty' };

/** Number literals that a strict reader must reject or read as exactly this value (the targets' `accepted` checks). */
export const ODD_NUMBERS = ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e309', '-1e309', '1e39', '3.5e38', '1e-50', '9007199254740993', '99999999999999999999',
  '2147483648', '-2147483649', '-1', '-7', '1e3', '1.0', '0x10', '0b1', '0o7', '1_000', '1,5', '١٢', '+', '-', '.', 'e5', '1e', '--1', '1.2.3', '', ' ', '-0', '+0', '00012', '.5', '5.'];

const GARBAGE = ['\0', '\xff', '\ufeff', '\u2028', '\ud800', '"', '\\', '{', '}', '[', ']', ',', ':', '\t', '\n', '\r', ' ', '#', 'é', '日本', '🙂', '\u0301', 'null', 'true', '1e999', '-', '\n\n'];
const utf8 = new TextEncoder();

const mutation = (size: number): fc.Arbitrary<Mutation> => {
  const at = fc.nat({ max: Math.max(0, size) });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('dupLine' as const), line: fc.nat({ max: 64 }) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat({ max: 64 }) }), weight: 2 },
    {
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        at,
        bytes: fc.oneof(fc.constantFrom(...GARBAGE).map((s) => utf8.encode(s)), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => utf8.encode(s))),
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant('number' as const), nth: fc.nat({ max: 200 }), text: fc.constantFrom(...ODD_NUMBERS) }), weight: 4 },
    { arbitrary: fc.constant({ kind: 'crlf' as const }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'empty' as const }), weight: 1 },
  );
};

/** One to three mutations of a seed of `size` bytes. */
export function mutations(size: number): fc.Arbitrary<Mutation[]> {
  return fc.array(mutation(size), { minLength: 1, maxLength: 3 });
}

const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/g;

/** Where the numbers of `bytes` are (as latin1 text, so offsets are byte offsets). */
function numberSpans(bytes: Uint8Array): [number, number][] {
  const text = Buffer.from(bytes).toString('latin1');
  return [...text.matchAll(NUMBER)].map((m) => [m.index, m.index + m[0].length]);
}

function lineSpans(bytes: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) (out.push([s, i + 1]), (s = i + 1));
  if (s < bytes.length) out.push([s, bytes.length]);
  return out;
}

function splice(b: Uint8Array, s: number, e: number, ins: Uint8Array): Uint8Array {
  return Buffer.concat([b.subarray(0, s), ins, b.subarray(e)]);
}

export function applyMutation(b: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'flip': {
      if (b.length === 0) return b;
      const out = new Uint8Array(b);
      out[m.at % b.length]! ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return b.subarray(0, Math.min(m.at, b.length));
    case 'dupLine':
    case 'dropLine': {
      const lines = lineSpans(b);
      if (lines.length === 0) return b;
      const [s, e] = lines[m.line % lines.length]!;
      return m.kind === 'dupLine' ? splice(b, s, s, b.subarray(s, e)) : splice(b, s, e, new Uint8Array());
    }
    case 'insert':
      return splice(b, Math.min(m.at, b.length), Math.min(m.at, b.length), m.bytes);
    case 'number': {
      const spans = numberSpans(b);
      if (spans.length === 0) return b;
      const [s, e] = spans[m.nth % spans.length]!;
      return splice(b, s, e, utf8.encode(m.text));
    }
    case 'crlf':
      return Buffer.from(Buffer.from(b).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    case 'empty':
      return new Uint8Array();
  }
}

export function applyMutations(b: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  return ms.reduce(applyMutation, b);
}

/** Human-readable mutation list for a failure report. */
export function describe(ms: readonly Mutation[]): string {
  return JSON.stringify(ms, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
}

/** The runs of one target: XMR_FUZZ_SECONDS (a time budget) or XMR_FUZZ_RUNS, seed XMR_FUZZ_SEED (17). */
export function fuzzParameters<T>(defaultRuns = 200): fc.Parameters<T> {
  const seconds = Number(process.env['XMR_FUZZ_SECONDS'] ?? 0);
  const seed = Number(process.env['XMR_FUZZ_SEED'] ?? 17);
  if (seconds > 0) return { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false, endOnFailure: true, includeErrorInReport: true };
  return { seed, numRuns: Number(process.env['XMR_FUZZ_RUNS'] ?? defaultRuns), endOnFailure: true, includeErrorInReport: true };
}

/** Counts the executions of each target, printed at the end when XMR_FUZZ_SECONDS is set (for docs/fuzzing.md). */
export function reportExecutions(target: string, executions: number, ms: number): void {
  if (process.env['XMR_FUZZ_SECONDS'] !== undefined) console.log(`fuzz ${target}: ${executions} executions in ${(ms / 1000).toFixed(1)} s`);
}

/** Each call of a reader must settle within this (a hang is a finding). */
const TIME_LIMIT_MS = Number(process.env['XMR_FUZZ_CALL_MS'] ?? 10_000);

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/**
 * Calls the reader with a time limit and checks the rejection rule: any error must be an XmrError,
 * TypeError or RangeError whose message includes `file` and matches `place` (where in the file).
 */
export async function outcome<T>(call: () => T | Promise<T>, file: string, place: RegExp, context: string): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: no result within ${TIME_LIMIT_MS} ms`)), TIME_LIMIT_MS);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(call), hang]);
    return { ok: true, value };
  } catch (e) {
    const error = e as Error;
    const allowed = error instanceof XmrError || error instanceof TypeError || error instanceof RangeError;
    assert.ok(allowed, `${context}: threw ${error?.name}: ${error?.message}\n${error?.stack}`);
    assert.ok(error.message.includes(file), `${context}: the message does not name the file ${file}: ${error.message}`);
    assert.match(error.message, place, `${context}: the message does not say where: ${error.message}`);
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

export const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `file:line: ` — the place of every line-oriented format; a fault of the whole file (empty, no
 * records, fewer records than announced, not gzip) names the file alone.
 */
export const LINE_PLACE = (file: string): RegExp => new RegExp(`${quote(file)}:\\d+: |${quote(file)}: (.*empty|no |.*gzip|.*ends after|.*has no)`);

/** A JSON file's place: a line, the parser's position, or a field (path) the message starts with (a key may hold U+2028: dotAll). */
export const JSON_PLACE = (file: string): RegExp =>
  new RegExp(`${quote(file)}(:\\d+)?: (.*(position|line|column) \\d+|.*end of JSON input|[\\w$]+(\\[\\d+\\]|\\.[\\w$]+)+ |\\S+ (is|must|has|names|repeats|applies|expected|needs|does|cannot)\\b|.* is not a known field|.*empty|the document|must hold)`, 's');

export interface FuzzTarget<T> {
  /** The test's name (its file is test/fuzz/<target>.fuzz.test.ts). */
  target: string;
  /** The seed folder, fuzz/corpus/<corpus>/; default the target. */
  corpus?: string;
  /** Reads the file the mutated bytes were written to (named as the seed; a .gz seed is mutated as gzip bytes). */
  read: (file: string) => T | Promise<T>;
  /** A deep-comparable form of a result. */
  canonical: (value: T) => unknown;
  /** Where an error must say the fault is, given the file named in it. */
  place: (file: string) => RegExp;
  /** The file named in errors, when not the one written (e.g. a folder's member). */
  named?: (file: string) => string;
  /** Mutations that keep a seed valid with the same meaning: the result must equal the seed's. */
  neutral?: Record<string, (bytes: Uint8Array) => Uint8Array>;
  /** The seeds are the files of one set (a dictd pair, an XTD10 folder): each run mutates one and writes the others intact beside it. */
  together?: boolean;
  /** Extra property of an accepted mutated input (e.g. every number read is the number written). */
  accepted?: (bytes: Uint8Array, value: T, context: string) => void;
  /**
   * Repairs a mutated file so that the reader gets past an integrity check (a checksum) to the
   * checks behind it; applied to two runs in three, the third keeps the damage as it is.
   */
  fixup?: (bytes: Uint8Array) => Uint8Array;
  /** Runs in `npm test` (default 200). */
  runs?: number;
}

/** Registers the node:test of one target: the seeds, their neutral mutations, then the fuzz pass. */
export function fuzzTarget<T>(t: FuzzTarget<T>): void {
  test(`fuzz ${t.target}: seeds read, neutral mutations keep the result, other mutations read or fail with a located error`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `xmr-fuzz-${t.target}-`));
    const named = t.named ?? ((f: string) => f);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const corpus = seeds(t.corpus ?? t.target);
      // A seed named `a__b.json` is the file a/b.json of its set.
      const seedFile = (name: string): string => path.join(dir, ...name.split('__'));
      const write = (file: string, bytes: Uint8Array): void => {
        if (t.together) for (const s of corpus) writeFileSync(seedFile(s.name), s.bytes);
        writeFileSync(file, bytes);
      };
      for (const s of corpus) mkdirSync(path.dirname(seedFile(s.name)), { recursive: true });
      const expected: unknown[] = [];
      for (const s of corpus) {
        const file = seedFile(s.name);
        write(file, s.bytes);
        expected.push(t.canonical(await t.read(file)));
        // A neutral mutation of compressed bytes is not neutral: those seeds are fuzzed as bytes only.
        for (const [name, neutral] of Object.entries(s.name.endsWith('.gz') ? {} : (t.neutral ?? {}))) {
          write(file, neutral(s.bytes));
          assert.deepEqual(t.canonical(await t.read(file)), expected.at(-1), `${t.target}/${s.name}: the neutral mutation "${name}" changed the result`);
        }
      }
      let executions = 0;
      const started = Date.now();
      const pick = fc.nat({ max: corpus.length - 1 }).chain((i) => mutations(corpus[i]!.bytes.length).map((ms) => [i, ms] as const));
      await fc.assert(
        fc.asyncProperty(pick, async ([i, ms]) => {
          executions++;
          const s = corpus[i]!;
          const mutated = applyMutations(s.bytes, ms);
          const bytes = t.fixup !== undefined && executions % 3 !== 0 ? t.fixup(mutated) : mutated;
          const file = seedFile(s.name);
          write(file, bytes);
          const context = `${t.target}/${s.name} mutated by ${describe(ms)}`;
          const r = await outcome(() => t.read(file), named(file), t.place(named(file)), context);
          if (r.ok) t.accepted?.(bytes, r.value, context);
        }),
        fuzzParameters(t.runs),
      );
      reportExecutions(t.target, executions, Date.now() - started);
      assert.deepEqual(unhandled, [], `${t.target}: unhandled rejections`);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Neutral mutations of line formats. */
export const CRLF = (b: Uint8Array): Uint8Array => applyMutation(b, { kind: 'crlf' });
export const BLANK_LINE = (b: Uint8Array): Uint8Array => Buffer.concat([b, utf8.encode(b.at(-1) === 10 ? '\n' : '\n\n')]);

/** The bytes of an accepted file as its reader saw them: gunzipped when gzip (a damaged gzip file that was accepted throws here). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** A strict decimal literal's value (C's strtod on a whole token), or undefined for anything else. */
export function strictNumber(token: string): number | undefined {
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(token) ? Number(token) : undefined;
}
