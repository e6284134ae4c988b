/**
 * Writes schema/mlcost.schema.json, the JSON Schema of `.mlcost.yml`, from the zod schema
 * (`npm run schema:build`). test/policy/json-schema.test.ts fails when the committed file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText } from '../src/policy/json-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'schema', 'mlcost.schema.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, configJsonSchemaText());
process.stdout.write(`wrote ${out}\n`);
