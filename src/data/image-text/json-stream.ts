/**
 * Streaming read of a JSON document shaped like the large caption files (Karpathy's
 * `dataset_coco.json` is ~150 MB, COCO's captions files ~20–90 MB): one top-level object whose
 * bulk is arrays under a few keys. The file is read in chunks of 1 MiB; the top level (the object,
 * its keys, the arrays' brackets and commas) is checked here byte by byte, and each array element
 * (and each other member's value) is cut out whole — strings and nested brackets tracked — and
 * handed to JSON.parse on its own. So memory is one chunk plus one element, whatever the file's
 * size, and the parsing itself stays V8's.
 *
 * Errors name the file and the 1-based line, and the column in UTF-16 code units as V8 and
 * editors count them (src/json-text.ts's parseJsonText, given where the element started): a syntax
 * error inside an element at its own line and column, one in the top level at the byte where it
 * stops being JSON (RFC 8259).
 *
 * Scanning needs no UTF-8 decoding: every structural byte (`{}[]",:\` and white space) is ASCII,
 * and no byte of a multi-byte UTF-8 sequence is below 0x80.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { XmrError } from '../../errors.js';
import { JsonFields } from '../../json-fields.js';
import { parseJsonText } from '../../json-text.js';

/** What the top-level object holds, in file order. */
export type TopLevelEvent =
  /** a member whose value is not an array, parsed whole */
  | { kind: 'member'; key: string; value: unknown }
  /** a member whose value is an array: its elements follow */
  | { kind: 'array'; key: string }
  /** one element of the array under `key` */
  | { kind: 'element'; key: string; index: number; value: unknown }
  /** the array under `key` is complete */
  | { kind: 'end'; key: string };

const CHUNK = 1 << 20;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isOpen = (c: number): boolean => c === 0x7b || c === 0x5b; // { [
const isClose = (c: number): boolean => c === 0x7d || c === 0x5d; // } ]

/** UTF-16 code units of the UTF-8 bytes buf[from, to): one per sequence, two for a 4-byte one. */
function utf16Units(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if ((c & 0xc0) !== 0x80) n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** A byte for a message: the character, or its code when it is not printable ASCII. */
function describeByte(c: number | undefined): string {
  if (c === undefined) return 'the end of the file';
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

type State = 'start' | 'keyOrClose' | 'key' | 'colon' | 'value' | 'elementOrClose' | 'element' | 'afterElement' | 'afterMember' | 'done';
const EXPECTED: Record<State, string> = {
  start: "'{' (the document must be an object)",
  keyOrClose: "a key or '}'",
  key: 'a key',
  colon: "':'",
  value: 'a value',
  elementOrClose: "a value or ']'",
  element: 'a value',
  afterElement: "',' or ']'",
  afterMember: "',' or '}'",
  done: 'nothing more',
};

/**
 * The top-level members of the JSON object in `file`, array elements one by one (see the module
 * comment). Stopping early (break) closes the file. `chunkSize` (bytes per read) is for tests.
 */
export function* streamTopLevel(file: string, chunkSize = CHUNK): Generator<TopLevelEvent, void, undefined> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new XmrError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_MISSING' : 'E_IO', (e as Error).message, { file });
  }
  try {
    let state: State = 'start';
    let key = '';
    let index = 0;
    // Position: 1-based line; where the current line starts in this chunk (-1: in an earlier one),
    // and the UTF-16 units of that line before this chunk.
    let line = 1;
    let lineStart = 0;
    let carried = 0;
    // The value being cut out: its kind, bytes so far from earlier chunks, where it starts in this
    // chunk, the open brackets, string state; and where it began, for its error positions.
    let cutting: 'key' | 'member' | 'element' | null = null;
    let parts: Uint8Array[] = [];
    let from = 0;
    const stack: number[] = [];
    let inString = false;
    let escaped = false;
    let scalar = false;
    let rootScalar = false;
    let rootValue: unknown;
    let began = { line: 1, lineStart: 0, carried: 0, at: 0, column: 0 };

    // One buffer, reused: a value that crosses the end of a chunk keeps a copy of its bytes.
    const buffer = new Uint8Array(chunkSize);
    let buf: Uint8Array = buffer;
    let n = 0;
    /** The column where the cut value began, while `buf` is still the chunk it began in (or after it was computed). */
    const beganColumn = (): number => {
      const b = began;
      if (b.column === 0) b.column = (b.lineStart >= 0 ? utf16Units(buf, b.lineStart, b.at) : b.carried + utf16Units(buf, 0, b.at)) + 1;
      return b.column;
    };
    const column = (at: number): number => (lineStart >= 0 ? utf16Units(buf, lineStart, at) : carried + utf16Units(buf, 0, at)) + 1;
    const fail = (at: number, what: string): never => {
      throw new XmrError('E_PARSE', `invalid JSON at column ${column(at)}: ${what}`, { file, line });
    };
    /** The value cut out, ending before `end` in this chunk, parsed. */
    const finish = (end: number): unknown => {
      const bytes = parts.length === 0 ? buf.subarray(from, end) : Buffer.concat([...parts, buf.subarray(from, end)]);
      parts = [];
      cutting = null;
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      try {
        return JSON.parse(text);
      } catch {
        // Only now the column where the value began (counting it for every value would be quadratic on a one-line file).
        return parseJsonText(text, { file, line: began.line, column: beganColumn() });
      }
    };
    const begin = (kind: 'key' | 'member' | 'element', at: number, c: number): void => {
      cutting = kind;
      from = at;
      began = { line, lineStart, carried, at, column: 0 };
      stack.length = 0;
      inString = c === QUOTE;
      escaped = false;
      scalar = !inString && !isOpen(c);
      if (isOpen(c)) stack.push(c);
    };
    /** What a finished value means in the current state. */
    const emit = (value: unknown): TopLevelEvent | undefined => {
      if (state === 'key') {
        key = value as string;
        state = 'colon';
        return undefined;
      }
      if (rootScalar) {
        // Refused at the end of the file, after any syntax error that follows it.
        state = 'done';
        rootValue = value;
        return undefined;
      }
      if (state === 'value') {
        state = 'afterMember';
        return { kind: 'member', key, value };
      }
      state = 'afterElement';
      return { kind: 'element', key, index: index++, value };
    };

    for (;;) {
      n = readSync(fd, buffer, 0, chunkSize, null);
      if (n === 0) break;
      buf = buffer.subarray(0, n);
      if (cutting !== null) from = 0;
      let i = 0;
      // Next quote and backslash at or after i in this chunk (n when none): strings, most of the
      // bytes, are skipped with indexOf rather than byte by byte.
      let nextQuote = -1;
      let nextBackslash = -1;
      const find = (b: number, at: number): number => {
        const k = buf.indexOf(b, at);
        return k < 0 ? n : k;
      };
      while (i < n) {
        if (cutting !== null) {
          if (inString) {
            if (escaped) {
              escaped = false;
              i++;
              continue;
            }
            if (nextQuote < i) nextQuote = find(QUOTE, i);
            if (nextBackslash < i) nextBackslash = find(BACKSLASH, i);
            if (nextBackslash < nextQuote) {
              escaped = true;
              i = nextBackslash + 1;
              continue;
            }
            if (nextQuote >= n) {
              i = n;
              continue;
            }
            inString = false;
            i = nextQuote + 1;
            if (stack.length === 0) {
              const e = emit(finish(i));
              if (e !== undefined) yield e;
            }
            continue;
          }
          const c = buf[i]!;
          if (scalar) {
            if (isSpace(c) || c === 0x2c || isClose(c)) {
              const e = emit(finish(i));
              if (e !== undefined) yield e;
              continue; // the delimiter is the top level's
            }
            i++;
            continue;
          }
          if (c === QUOTE) inString = true;
          else if (isOpen(c)) stack.push(c);
          else if (isClose(c)) {
            const open = stack.pop();
            // A mismatched bracket ends the value here: JSON.parse then names it at its place.
            if (stack.length === 0 || open !== c - 2) {
              const e = emit(finish(i + 1));
              i++;
              if (e !== undefined) yield e;
              continue;
            }
          } else if (c === NEWLINE) {
            line++;
            lineStart = i + 1;
          }
          i++;
          continue;
        }
        // The top level.
        const c = buf[i]!;
        if (isSpace(c)) {
          if (c === NEWLINE) {
            line++;
            lineStart = i + 1;
          }
          i++;
          continue;
        }
        switch (state as State) {
          case 'start':
            if (c === 0x5b) throw new JsonFields(file).fail('the document', 'must be an object, got an array');
            if (c !== 0x7b) {
              // A scalar document: cut it out for its syntax error, else refused at the end of the file.
              state = 'value';
              rootScalar = true;
              begin('member', i, c);
              i++;
              continue;
            }
            state = 'keyOrClose';
            i++;
            continue;
          case 'keyOrClose':
          case 'key':
            if (c === 0x7d && state === 'keyOrClose') {
              state = 'done';
              i++;
              continue;
            }
            if (c !== QUOTE) fail(i, `expected ${EXPECTED[state]}, got ${describeByte(c)}`);
            state = 'key';
            begin('key', i, c);
            i++;
            continue;
          case 'colon':
            if (c !== 0x3a) fail(i, `expected ':' after the key ${JSON.stringify(key)}, got ${describeByte(c)}`);
            state = 'value';
            i++;
            continue;
          case 'value':
            if (c === 0x5b) {
              state = 'elementOrClose';
              index = 0;
              i++;
              yield { kind: 'array', key };
              continue;
            }
            if (isClose(c) || c === 0x2c) fail(i, `expected a value for the key ${JSON.stringify(key)}, got ${describeByte(c)}`);
            begin('member', i, c);
            i++;
            continue;
          case 'elementOrClose':
          case 'element':
            if (c === 0x5d && state === 'elementOrClose') {
              state = 'afterMember';
              i++;
              yield { kind: 'end', key };
              continue;
            }
            if (isClose(c) || c === 0x2c) fail(i, `expected ${EXPECTED[state]} in ${key}, got ${describeByte(c)}`);
            state = 'element';
            begin('element', i, c);
            i++;
            continue;
          case 'afterElement':
            if (c === 0x2c) state = 'element';
            else if (c === 0x5d) {
              state = 'afterMember';
              i++;
              yield { kind: 'end', key };
              continue;
            } else fail(i, `expected ',' or ']' after ${key}[${index - 1}], got ${describeByte(c)}`);
            i++;
            continue;
          case 'afterMember':
            if (c === 0x2c) state = 'key';
            else if (c === 0x7d) state = 'done';
            else fail(i, `expected ',' or '}' after the value of ${JSON.stringify(key)}, got ${describeByte(c)}`);
            i++;
            continue;
          case 'done':
            fail(i, `unexpected ${describeByte(c)} after the end of the document`);
        }
      }
      if (cutting !== null) {
        beganColumn();
        parts.push(buf.slice(from, n));
      }
      carried = lineStart >= 0 ? utf16Units(buf, lineStart, n) : carried + utf16Units(buf, 0, n);
      lineStart = -1;
    }
    // The end of the file.
    if (cutting !== null && scalar && stack.length === 0) {
      buf = new Uint8Array(0);
      n = 0;
      const e = emit(finish(0));
      if (e !== undefined) yield e;
    }
    if (cutting !== null) {
      // An unfinished string or bracket: JSON.parse says which, where the value began.
      buf = new Uint8Array(0);
      finish(0);
    }
    if (state !== 'done') fail(0, `unexpected end of the file, expected ${EXPECTED[state]}`);
    if (rootScalar) new JsonFields(file).object(rootValue, 'the document');
  } finally {
    closeSync(fd);
  }
}
