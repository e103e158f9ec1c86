/**
 * JSON text with a syntax error reported at its line and column (the caption formats — pieces of the
 * streamed Karpathy and COCO documents, lines of Crossmodal-3600's JSONL — the experiment config,
 * tokenizer.json): V8's own message does not always say where it failed.
 */
import { XmrError } from './errors.js';

/**
 * JSON.parse, with a syntax error turned into an XmrError at the 1-based line and column of
 * `where.file` — `text` starting at `where.line` and `where.column` (default 1, 1: the whole file;
 * one line of a JSONL file; an element cut out of a streamed document, json-stream.ts). V8 does
 * not always say where it failed ("Unexpected token '}', … is not valid JSON"), so the offset
 * comes from {@link syntaxErrorAt}.
 */
export function parseJsonText(text: string, where: { file: string; line?: number; column?: number }): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = (e as Error).message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    const at = syntaxErrorAt(text);
    const before = text.slice(0, at);
    const lines = before.split('\n').length;
    const column = at - before.lastIndexOf('\n') + (lines === 1 ? (where.column ?? 1) - 1 : 0);
    throw new XmrError('E_PARSE', `invalid JSON at column ${column}: ${reason}`, { file: where.file, line: (where.line ?? 1) + lines - 1 });
  }
}

/** Offset of the first character where `text` stops being JSON (RFC 8259), by recursive descent. */
export function syntaxErrorAt(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
  return i;
}
