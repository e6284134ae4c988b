/**
 * The `.mlcost.yml` sections of the guardrails: `rules:` (one key per registered rule, see
 * src/policy/index.ts), `overrides:` (rule settings per path glob or environment), `environments:`,
 * `budgets:` and `approval:`. Strict zod schemas; src/policy/schema.ts adds them to the config.
 */
import { z } from 'zod';
import { rules } from './index.js';
import { globsSchema, ruleSettingsSchema, SEVERITIES } from './rule.js';

const severity = z.enum(SEVERITIES, { error: 'expected one of `error`, `warning`, `info`' });

/** `rules:`: settings per rule id; an unknown id is an error with a "did you mean". */
export const rulesSchema = z
  .object(Object.fromEntries(rules.map((r) => [r.id, ruleSettingsSchema(r).optional()])))
  .strict()
  .describe('Guardrails by rule id: `true`/`false`, a severity, or a mapping of settings and the rule\'s options.');

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** One environment: the paths and/or the tags (Kubernetes: pod labels) that put a resource in it. */
const environmentSchema = z
  .object({
    paths: globsSchema.default([]).describe('Resources whose file or project matches one of these globs.'),
    tags: z.record(z.string(), z.string()).default({}).describe('Resources carrying all of these tags (Kubernetes: pod labels).'),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.paths.length === 0 && Object.keys(e.tags).length === 0) ctx.addIssue({ code: 'custom', message: 'give `paths` or `tags` (or both)' });
  });

export const environmentsSchema = z
  .record(
    z.string().regex(ENV_NAME, { error: 'expected an environment name (letters, digits, `-`, `_`, `.`)' }),
    environmentSchema,
  )
  .describe('Named environments (`prod`, `dev`, ...): the first whose paths or tags match a resource is its environment.');

/** `overrides:`: rule settings for the resources of some paths and/or environments; later entries win. */
export const overridesSchema = z
  .array(
    z
      .object({
        paths: globsSchema.min(1).optional().describe('Resources whose file or project matches one of these globs.'),
        environments: z.array(z.string().min(1)).min(1).optional().describe('Resources in one of these environments.'),
        rules: rulesSchema,
      })
      .strict()
      .superRefine((o, ctx) => {
        if (!o.paths && !o.environments) ctx.addIssue({ code: 'custom', message: 'an override needs `paths` or `environments` (or both)' });
      }),
  )
  .describe('Rule settings for some paths or environments, applied in order over `rules:`.');

/** One monthly budget over the projects under some paths. */
const budgetSchema = z
  .object({
    name: z.string().min(1).optional().describe('Shown in findings; the paths when absent.'),
    paths: globsSchema.min(1).describe('Projects whose directory matches one of these globs.'),
    monthly: z.number().positive({ error: 'expected a positive amount in USD' }).describe('Budget in USD per month.'),
    severity: severity.default('error').describe('Severity of crossing the budget (default error).'),
    warnAtPercent: z
      .number()
      .gt(0, { error: 'must be above 0' })
      .lt(100, { error: 'must be below 100' })
      .optional()
      .describe('Also warn when the change takes the projects past this share of the budget.'),
  })
  .strict();

export const budgetsSchema = z.array(budgetSchema).describe('Monthly budgets per group of projects.');

/** `approval:`: how a maintainer approves a failed check. */
export const approvalSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Let maintainers approve a failed check (label or the "Approve cost" button).'),
    label: z.string().min(1).max(50).default('mlcost:approved').describe('The label that approves (default `mlcost:approved`).'),
    minimumPermission: z
      .enum(['write', 'maintain', 'admin'], { error: 'expected one of `write`, `maintain`, `admin`' })
      .default('write')
      .describe('Least repository role that may approve (default write: write, maintain and admin pass).'),
  })
  .strict()
  .describe('Approving a breach, audited: who and when is shown in the comment and the check.');

export type RulesConfig = z.infer<typeof rulesSchema>;
export type OverrideConfig = z.infer<typeof overridesSchema>[number];
export type BudgetConfig = z.infer<typeof budgetSchema>;
export type ApprovalConfig = z.infer<typeof approvalSchema>;
