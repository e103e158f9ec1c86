/**
 * The JSON Schemas of the files users write and read: schemas/config.schema.json (an experiment
 * config, every field optional since a file is merged over the plan's defaults) and
 * schemas/results.schema.json (results.json). They ship in the package, so editors can complete a
 * config (`"$schema": "./node_modules/xmrbench/schemas/config.schema.json"`) and users can validate
 * with their own tools; here ajv validates with them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';
import { JsonFields, schemaMessage } from '../json-fields.js';

/** The folder of the schemas: `<package>/schemas`, from `<package>/dist/src/experiment`. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));
export const CONFIG_SCHEMA_FILE = `${SCHEMA_DIR}config.schema.json`;
export const RESULTS_SCHEMA_FILE = `${SCHEMA_DIR}results.schema.json`;

type Schema = Record<string, unknown>;

function readSchema(file: string): Schema {
  return JSON.parse(readFileSync(file, 'utf8')) as Schema;
}

/**
 * The schema with the fields of every object that lists none as required made required: the merged
 * configuration has them all (the plan's defaults fill them), while a file may leave any out.
 */
function requireAll(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(requireAll);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, requireAll(s)])) : requireAll(v);
  if (out.type === 'object' && out.properties !== undefined && out.required === undefined) out.required = Object.keys(out.properties as Schema).filter((k) => k !== '$schema');
  return out;
}

// ajv is CommonJS; its class is the default export's `default`.
const Ajv = AjvModule.default;

let compiled: { config: ValidateFunction; results: ValidateFunction } | undefined;

/** Validators (compiled once): `config` for a merged configuration, `results` for results.json. */
export function validators(): { config: ValidateFunction; results: ValidateFunction } {
  if (compiled === undefined) {
    // verbose: errors carry the failing value and schema, which the messages quote.
    const ajv = new Ajv({ allErrors: false, verbose: true, strict: true });
    const configSchema = readSchema(CONFIG_SCHEMA_FILE);
    ajv.addSchema(configSchema, 'config.schema.json');
    compiled = {
      config: ajv.compile(requireAll(configSchema) as Schema),
      results: ajv.compile(readSchema(RESULTS_SCHEMA_FILE)),
    };
  }
  return compiled;
}

/** Checks a merged configuration against the schema; the first error, worded as the reader words it. */
export function checkConfigSchema(raw: unknown, fields: JsonFields): void {
  const validate = validators().config;
  if (validate(raw)) return;
  const [path, what] = schemaMessage(validate.errors![0]!, 'config', ['$schema']);
  fields.fail(path, what);
}
