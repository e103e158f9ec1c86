/**
 * One error type for everything xmrbench rejects on purpose (bad files, bad arguments, bad configs).
 * Like better-sqlite3's SqliteError it carries a stable `code`, and where the fault is in a file,
 * the file and 1-based line, so a message reads `qrels.txt:12: expected 4 fields, got 3`.
 * Argument errors thrown at the JS/native boundary stay plain TypeError/RangeError (see native.ts).
 */
export type XmrErrorCode =
  | 'E_PARSE' // a line or record that does not follow its format
  | 'E_DUPLICATE' // a key that must be unique appears twice
  | 'E_MISSING' // a file, split, id or field that must exist does not
  | 'E_EMPTY' // an input that must have content has none
  | 'E_CONFIG' // a configuration value that is invalid
  | 'E_NATIVE' // the native addon is missing, stale or failed
  | 'E_IO' // the file system refused
  | 'E_NOMEM' // memory ran out (an allocation the system refused; see outOfMemoryHint)
  | 'E_USAGE'; // a command line that cannot be carried out as given (the CLI exits 2)

export interface XmrErrorLocation {
  file?: string;
  line?: number;
}

export class XmrError extends Error {
  readonly code: XmrErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(code: XmrErrorCode, message: string, where: XmrErrorLocation = {}) {
    const prefix = where.file === undefined ? '' : where.line === undefined ? `${where.file}: ` : `${where.file}:${where.line}: `;
    super(prefix + message);
    this.name = 'XmrError';
    this.code = code;
    this.file = where.file;
    this.line = where.line;
  }
}

/**
 * What to do when memory runs out, appended to every out-of-memory message (the CLI's and the
 * readers'): the limit may be the machine's, the shell's (`ulimit -v`) or the V8 heap's.
 */
export const outOfMemoryHint = 'free memory, raise the limit (ulimit -v; node --max-old-space-size=MB for the JavaScript heap) or use smaller inputs; no output was written';

/**
 * A failed allocation as an XmrError E_NOMEM naming what was being read: the addon's RangeError
 * (`out of memory: could not allocate N bytes`, native/include/xmr/out_of_memory.h) or V8's
 * `Array buffer allocation failed` (a typed array the system refused). Other errors are returned as they are.
 */
export function asOutOfMemory(err: unknown, doing: string, file?: string): unknown {
  if (!(err instanceof RangeError)) return err;
  const m = /^out of memory: (.*)$/.exec(err.message) ?? /^(Array buffer allocation failed)$/.exec(err.message);
  return m === null ? err : new XmrError('E_NOMEM', `out of memory ${doing}: ${m[1]}; ${outOfMemoryHint}`, { file });
}
