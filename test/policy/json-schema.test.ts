/** schema/mlcost.schema.json is generated from the zod schema and kept in the repository for editors. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { configJsonSchema, configJsonSchemaText } from '../../src/policy/json-schema.js';
import { parseConfig } from '../../src/policy/schema.js';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as { default: new (o: object) => { compile(s: object): ((v: unknown) => boolean) & { errors?: unknown } } }).default;

describe('JSON Schema of .mlcost.yml', () => {
  it('is up to date in schema/mlcost.schema.json (run `npm run schema:build`)', () => {
    const committed = readFileSync(join(root, 'schema/mlcost.schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(configJsonSchema());

  it('accepts the example configs and the full example of docs/config.md', () => {
    const files = readdirSync(join(root, 'examples')).map((d) => join(root, 'examples', d, '.mlcost.yml')).filter(existsSync);
    const docs = readFileSync(join(root, 'docs/config.md'), 'utf8');
    const full = /<!-- full-example -->\s*```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(full).toBeDefined();
    for (const text of [...files.map((f) => readFileSync(f, 'utf8')), full as string]) {
      const ok = validate(parse(text) ?? {});
      expect({ ok, errors: ok ? null : validate.errors }).toEqual({ ok: true, errors: null });
      expect(parseConfig(text).errors).toEqual([]);
    }
  });

  it('rejects unknown keys and values, so editors flag them', () => {
    expect(validate({ rules: { 'gp2-volume': 'error' } })).toBe(false);
    expect(validate({ rules: { 'gp2-volumes': 'eror' } })).toBe(false);
    expect(validate({ rules: { 'gp2-volumes': 'off', 'gpu-instances': { deny: ['p5'], allowIn: ['infra/training/**'] } } })).toBe(true);
    expect(validate({ budgets: [{ paths: ['infra/ml/**'], monthly: 25000 }], thresholds: null })).toBe(true);
  });
});
