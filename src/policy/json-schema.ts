/**
 * The JSON Schema of `.mlcost.yml`, generated from the zod schema (src/policy/schema.ts) so editors
 * (the YAML language server, JetBrains) complete and check the file. `npm run schema:build` writes
 * it to schema/mlcost.schema.json; a test fails when the committed file is out of date. Pure.
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

export const SCHEMA_ID = 'https://raw.githubusercontent.com/mlcost/mlcost/main/schema/mlcost.schema.json';

/** Sections and what they hold (top-level descriptions for editors). */
const SECTIONS: Record<string, string> = {
  version: 'Schema version of this file: 1.',
  thresholds: 'Limits on the monthly cost change of a pull request (maxMonthlyIncrease, maxMonthlyIncreasePercent, maxMonthlyTotal).',
  usage: 'Usage values of usage-based prices, by resource type, address or address pattern.',
  terraform: 'How Terraform is read: local paths for module sources that are never downloaded.',
  pricing: "The team's rates: discounts, commitments (Savings Plans, reserved instances) and price overrides.",
  kubernetes: 'Where Kubernetes workloads run: region, node pools, storage classes, Fargate.',
  comment: 'When the App writes its pull request comment: always (default), on-change, never.',
  rules: 'Guardrails by rule id: true/false, a severity, or a mapping of settings (enabled, severity, paths, exclude, environments) and the rule\'s options.',
  overrides: 'Rule settings for resources under some paths or in some environments, applied in order over `rules`.',
  environments: 'Named environments by path globs and/or tags; the first that matches is a resource\'s environment.',
  budgets: 'Monthly budgets per group of projects (path globs), with "this change crosses the budget" findings.',
  approval: 'Approving a failed check: the label, the least repository role, on or off.',
};

type Json = Record<string, unknown>;

/** Removes zod's defaults on required-looking keys and lets sections be empty (`thresholds:` alone is null in YAML). */
function tidy(schema: Json): Json {
  const props = (schema['properties'] ?? {}) as Record<string, Json>;
  for (const [name, prop] of Object.entries(props)) {
    const description = SECTIONS[name];
    if (description && !prop['description']) prop['description'] = description;
    if (prop['type'] === 'object' || prop['type'] === 'array' || prop['anyOf']) {
      // YAML `section:` with nothing under it is null, which mlcost reads as the section's defaults.
      props[name] = { ...prop, anyOf: [...(Array.isArray(prop['anyOf']) ? (prop['anyOf'] as Json[]) : [stripped(prop)]), { type: 'null' }] };
      if (!Array.isArray(prop['anyOf'])) for (const k of Object.keys(props[name] as Json)) if (k !== 'anyOf' && k !== 'description' && k !== 'default') delete (props[name] as Json)[k];
    }
  }
  props['_extends'] = {
    type: 'string',
    description: 'Build on another config file: `repo`, `owner/repo` or `owner/repo:path/to/file.yml` (Probot\'s `_extends`; the nearer file wins key by key). App and Action only.',
  };
  return schema;
}

function stripped(prop: Json): Json {
  const out: Json = { ...prop };
  delete out['description'];
  delete out['default'];
  return out;
}

/** The JSON Schema (draft 2020-12) of `.mlcost.yml`. */
export function configJsonSchema(): Json {
  const generated = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  const schema = tidy(generated);
  return {
    $schema: schema['$schema'],
    $id: SCHEMA_ID,
    title: 'mlcost configuration (.mlcost.yml)',
    description: 'See docs/config.md. Unknown keys are errors.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** The file's text: stable key order, two-space indent, final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
