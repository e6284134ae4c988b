/**
 * What a guardrail is: an id, its defaults, the options it takes in `.mlcost.yml` (`rules.<id>`),
 * and a check over the analysed resources of one side of a change. Rules live one per file in
 * src/policy/rules/ and are registered in src/policy/index.ts; src/policy/guardrails.ts runs them,
 * applies the settings (enabled, severity, paths, environments, overrides), the `# mlcost:ignore`
 * comments, and keeps what the pull request changed.
 *
 * Nothing here imports src/policy/schema.ts at run time (schema.ts builds `rules:` from the registry).
 */
import { z } from 'zod';
import type { PriceBook } from '../core/ports.js';
import type { PricedResource, ProjectBreakdown, Resource, Severity } from '../core/types.js';
import type { PricerContext } from '../pricing/types.js';
import { globProblem } from './glob.js';

export const SEVERITIES = ['error', 'warning', 'info'] as const;

const severityEnum = z.enum(SEVERITIES, { error: 'expected one of `error`, `warning`, `info`' });

/** A list of path globs (validated). */
export const globsSchema = z.array(
  z.string().superRefine((g, ctx) => {
    const problem = globProblem(g);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  { error: (issue) => (issue.code === 'invalid_type' ? 'expected a list of path globs, e.g. `["infra/ml/**"]`' : undefined) },
);

/** Settings every rule takes, besides its own options. All optional: unset keys keep the rule's defaults. */
export const commonSettingsShape = {
  enabled: z.boolean().optional().describe('Turn the rule on or off (see docs/config.md for the defaults).'),
  severity: severityEnum.optional().describe('error fails the check; warning makes it neutral; info is advice.'),
  paths: globsSchema.optional().describe('Only resources whose file or project matches one of these globs.'),
  exclude: globsSchema.optional().describe('Not resources whose file or project matches one of these globs.'),
  environments: z.array(z.string().min(1)).optional().describe('Only resources in these environments (see `environments:`).'),
};

export interface CommonSettings {
  enabled: boolean;
  severity: Severity;
  paths?: string[];
  exclude?: string[];
  environments?: string[];
}

/** One project of a side of the change, as rules see it. */
export interface ProjectView {
  project: ProjectBreakdown;
  /** What the analyzer read (attributes, tags, lines, ignores). */
  resources: Resource[];
  /** The price book the project was priced with (team rates applied); undefined when not known. */
  book: PriceBook | undefined;
  /** The priced resource of an address. */
  priced(address: string): PricedResource | undefined;
  /** References between the project's resources, as the pricers see them. */
  relations: Pick<PricerContext, 'referenced' | 'referencing'>;
}

export interface RuleContext<O> {
  side: 'base' | 'head';
  projects: ProjectView[];
  /** The rule's settings for a resource (defaults, `rules:`, then matching `overrides:`); null when it does not apply there. */
  settings(resource: Resource, project: ProjectView): (CommonSettings & O) | null;
  /** The environment a resource is in (`environments:`, else its `environment`/`env` tag or label); null when unknown. */
  environment(resource: Resource, project: ProjectView): string | null;
  /** Usage values of `.mlcost.yml` for a resource (resolved like the pricers'). */
  usage(resource: Resource): Record<string, unknown>;
}

export interface RuleFinding {
  project: ProjectView;
  /** The resource the finding is about: its settings, ignores and whether the change touched it. */
  resource: Resource;
  message: string;
  /** USD per month the advice saves, priced through the book; null or absent when it cannot be priced. */
  monthlySavings?: number | null;
  /** Location, when more precise than the resource's block (an attribute's line). */
  file?: string;
  line?: number;
  /** Address shown, when not the resource's (a subresource). */
  address?: string;
}

export interface Rule {
  id: string;
  /** One line: what the rule checks (docs, JSON Schema descriptions). */
  summary: string;
  defaults: { enabled: boolean; severity: Severity };
  /** The rule's own options (zod shape, every key optional). */
  options: z.ZodRawShape;
  /** Values of options the user did not set. */
  optionDefaults: Record<string, unknown>;
  check(ctx: RuleContext<Record<string, unknown>>): RuleFinding[];
}

type Inferred<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>>;

/** Declares a rule with typed options. */
export function defineRule<S extends z.ZodRawShape, D extends Partial<Inferred<S>>>(def: {
  id: string;
  summary: string;
  defaults: { enabled: boolean; severity: Severity };
  options: S;
  optionDefaults: D;
  check(ctx: RuleContext<Inferred<S> & D>): RuleFinding[];
}): Rule {
  return { ...def, check: def.check as unknown as Rule['check'] };
}

/**
 * The `rules.<id>` value: a mapping of settings, or the shorthands `false`/`true` or `off`/`on`
 * (enabled) and `error`/`warning`/`info` (severity); empty means the defaults.
 */
export function ruleSettingsSchema(rule: Rule) {
  const object = z.object({ ...commonSettingsShape, ...rule.options }).strict().describe(rule.summary);
  const shorthand = z.enum([...SEVERITIES, 'off', 'on'], { error: 'expected one of `error`, `warning`, `info`, `off`, `on`' });
  return (
    z
      // A text first (so a mapping is a type mismatch of that branch), then one of the shorthands.
      .union([z.null(), z.boolean(), z.string().pipe(shorthand).meta({ enum: [...SEVERITIES, 'off', 'on'] }), object], {
        error: 'expected a mapping of settings, `true`/`false`, `on`/`off`, or a severity (`error`, `warning`, `info`)',
      })
      .transform((v): Record<string, unknown> =>
        v === null ? {} : typeof v === 'boolean' ? { enabled: v } : v === 'off' ? { enabled: false } : v === 'on' ? { enabled: true } : typeof v === 'string' ? { severity: v } : v,
      )
      .describe(rule.summary)
  );
}
