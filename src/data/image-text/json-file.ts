/**
 * Fields of the caption formats: a wrong structure is reported at its field path
 * (`images[3].sentences[0].sentid`) through the one JSON field reader, src/json-fields.ts; a syntax
 * error at its line and column by src/json-text.ts.
 */
import type { JsonFields } from '../../json-fields.js';

/**
 * A caption or image id: a non-empty string, or an integer ≥ 0 written as one — below 2^53, since
 * JSON.parse has already rounded a larger one (pycocotools keeps every digit), and two ids would
 * become one.
 */
export function idField(f: JsonFields, v: unknown, path: string): string {
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) f.fail(path, 'is an integer too large to read exactly (beyond 2^53): write it as a string');
  if (typeof v === 'number') return String(f.int(v, path));
  const s = f.string(v, path);
  if (s === '') f.fail(path, 'must be a non-empty string or an integer ≥ 0, got ""');
  return s;
}
