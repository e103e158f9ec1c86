// The shipped JSON Schema of the experiment config: the docs' examples validate against it as users'
// tools would see it, a "$schema" line is accepted, and its errors read like the hand-written checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AjvModule from 'ajv';
import { loadConfig } from '../src/experiment/config.js';
import { CONFIG_SCHEMA_FILE, RESULTS_SCHEMA_FILE } from '../src/experiment/config-schema.js';
import { fieldPath } from '../src/json-fields.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xmr-schema-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as object;
// A plain validator, as a user's tool or editor would build it from the file alone.
const validate = new AjvModule.default({ allErrors: true }).compile(schema);

const doc = readFileSync('docs/experiment-config.md', 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('docs/experiment-config.md has example configs', () => assert.ok(examples.length >= 1));

for (const [i, text] of examples.entries()) {
  test(`docs example ${i + 1} validates against config.schema.json and loads`, () => {
    const json = JSON.parse(text) as unknown;
    assert.ok(validate(json), JSON.stringify(validate.errors));
    const file = path.join(dir, `example${i}.json`);
    writeFileSync(file, text);
    assert.equal(loadConfig({ file }).version, 1);
  });
}

test('both plans, as results.json records them, validate against the schema', () => {
  for (const plan of ['default', 'full'] as const) assert.ok(validate(loadConfig({ plan })), plan);
});

test('the schema rejects what loadConfig rejects', () => {
  assert.equal(validate({ seeds: [1.5] }), false);
  assert.equal(validate({ train: { csRate: 2 } }), false);
  assert.equal(validate({ sedes: [1] }), false);
});

test('a "$schema" line is allowed and does not reach the configuration', () => {
  const file = path.join(dir, 'with-schema.json');
  writeFileSync(file, JSON.stringify({ $schema: './node_modules/xmrbench/schemas/config.schema.json', seeds: [4] }));
  const c = loadConfig({ file });
  assert.deepEqual(c.seeds, [4]);
  assert.ok(!('$schema' in c));
});

test('the schemas ship in the package', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes('schemas'));
  assert.equal(path.basename(path.dirname(CONFIG_SCHEMA_FILE)), 'schemas');
  assert.equal(path.dirname(RESULTS_SCHEMA_FILE), path.dirname(CONFIG_SCHEMA_FILE));
});

test('validator paths become field paths', () => {
  assert.equal(fieldPath(''), '');
  assert.equal(fieldPath('/systems/1/kind'), 'systems[1].kind');
  assert.equal(fieldPath('/probes/csRates/0'), 'probes.csRates[0]');
  assert.equal(fieldPath('/a~1b/c~0d'), 'a/b.c~d');
});
