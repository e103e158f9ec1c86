/**
 * The one reader of fields of JSON files users write (the experiment config, a tokenizer.json): every
 * check names the file and the field's path in one wording, `file: train.csRate must be in [0, 1],
 * got 1.5`, as an XmrError (E_CONFIG). The config's checks come from its JSON Schema
 * (schemas/config.schema.json, validated with ajv); {@link schemaMessage} words the validator's first
 * error this way, so the schema and the hand-written checks read alike.
 */
import type { ErrorObject } from 'ajv';
import { XmrError } from './errors.js';

export type JsonObject = Record<string, unknown>;

/** A JSON value for a message: strings quoted (long ones cut), arrays and objects by kind. */
export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** A JSON Pointer (`/systems/1/kind`, as validators report) as a field path (`systems[1].kind`). */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : out === '' ? key : `.${key}`;
  }
  return out;
}

/** Checks fields of one JSON file; every failure is an XmrError naming the file and the field. */
export class JsonFields {
  constructor(readonly file: string) {}

  fail(path: string, what: string): never {
    throw new XmrError('E_CONFIG', `${path} ${what}`, { file: this.file });
  }

  object(v: unknown, path: string): JsonObject {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, `must be an object, got ${describeJson(v)}`);
    return v as JsonObject;
  }

  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${describeJson(v)}`);
    return v;
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, `must be a string, got ${describeJson(v)}`);
    return v;
  }

  /** A boolean, or `fallback` when the field is absent or null. */
  bool(v: unknown, path: string, fallback: boolean): boolean {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(path, `must be true or false, got ${describeJson(v)}`);
    return v;
  }

  int(v: unknown, path: string, min = 0, max = Infinity): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(path, `must be an integer ≥ ${min}, got ${describeJson(v)}`);
    if (v > max) this.fail(path, `must be at most ${max}, got ${describeJson(v)}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(path, `must be one of ${values.join(', ')}, got ${describeJson(v)}`);
    return v as T;
  }
}

interface FieldSchema {
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minItems?: number;
  properties?: Record<string, FieldSchema>;
}

/** What a field of this schema must be, in the reader's wording, given the value it has. */
function mustBe(s: FieldSchema, v: unknown): string {
  if (s.pattern !== undefined) return `must be a language code like "de", got ${describeJson(v)}`;
  if (s.enum !== undefined) return `must be one of ${s.enum.join(', ')}, got ${describeJson(v)}`;
  if (s.const !== undefined) return `must be ${JSON.stringify(s.const)}, got ${describeJson(v)}`;
  switch (s.type) {
    case 'object':
      return `must be an object, got ${describeJson(v)}`;
    case 'array':
      return `must be an array, got ${describeJson(v)}`;
    case 'boolean':
      return `must be true or false, got ${describeJson(v)}`;
    case 'string':
      return `must be a${s.minLength ? ' non-empty' : ''} string, got ${describeJson(v)}`;
    case 'number':
    case 'integer':
      if (typeof v !== 'number') return `must be a number, got ${describeJson(v)}`;
      if (s.type === 'integer' && !Number.isInteger(v)) return `must be an integer, got ${v}`;
      return `must be in [${s.minimum ?? -Infinity}, ${s.maximum ?? Infinity}], got ${v}`;
    default:
      return `must match ${JSON.stringify(s)}, got ${describeJson(v)}`;
  }
}

/**
 * An ajv error (run with `verbose: true`, which attaches the failing value and schema) as
 * `[path, what]` in the reader's wording; `root` names the whole document. `ignored` names properties allowed but not listed as
 * known fields ("$schema").
 */
export function schemaMessage(e: ErrorObject, root: string, ignored: readonly string[] = []): [string, string] {
  const path = fieldPath(e.instancePath);
  const s = e.parentSchema as FieldSchema;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(s.properties ?? {}).filter((k) => !ignored.includes(k));
      return [path === '' ? key : `${path}.${key}`, `is not a known field (known: ${known.join(', ')})`];
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return [path === '' ? key : `${path}.${key}`, mustBe(s.properties?.[key] ?? {}, undefined)];
    }
    case 'minItems':
      return [path, `must have at least ${s.minItems} element${s.minItems === 1 ? '' : 's'}`];
    default:
      return [path === '' ? root : path, mustBe(s, e.data)];
  }
}
