/**
 * Runs the guardrails of src/policy/index.ts over both sides of a change and keeps what the pull
 * request is responsible for:
 *
 * - settings: each rule's defaults, then `rules.<id>`, then every matching `overrides:` entry, per
 *   resource; `paths`, `exclude` and `environments` decide where a rule applies;
 * - the change: a head finding is kept when its resource was added or changed (attributes, tags,
 *   region, ignore comments, or its cost through a related resource), or when the same rule did not
 *   fire on that resource at the base, so what was already there and untouched is not blamed on the
 *   pull request;
 * - `# mlcost:ignore <rule-id> <reason>` on the resource: the finding is listed as ignored, with
 *   the reason; an ignore without a reason (or naming no known rule) silences nothing and is a
 *   `mlcost-ignore` warning itself.
 *
 * Pure: the analysed resources and price books come in as functions (src/core/run.ts).
 */
import type { PriceBook } from '../core/ports.js';
import type { Breakdown, Finding, IgnoredFinding, PricedResource, ProjectBreakdown, Resource, ResourceChange } from '../core/types.js';
import { relations, roundMoney } from '../pricing/cost.js';
import { labelsOf } from './facts.js';
import { matchesAnyGlob } from './glob.js';
import { rules } from './index.js';
import type { CommonSettings, ProjectView, Rule, RuleContext, RuleFinding } from './rule.js';
import { defaultConfig } from './schema.js';
import type { MlcostConfig } from './schema.js';
import { usageFor } from './usage.js';

/** Rule id of the findings about `# mlcost:ignore` comments themselves. */
export const IGNORE_RULE = 'mlcost-ignore';

export interface GuardrailInput {
  base: Breakdown;
  head: Breakdown;
  config?: MlcostConfig;
  configFile?: string;
  /** The analysed resources of a project (src/core/run.ts `analysedResources`). */
  resources(project: ProjectBreakdown): Resource[];
  /** The price book a project was priced with (src/core/run.ts `projectBook`). */
  book(project: ProjectBreakdown): PriceBook | undefined;
  /** The resources whose cost changed (src/core/diff.ts): a resource whose cost moved counts as touched. */
  diff?: { resources: readonly ResourceChange[] };
}

export interface GuardrailResult {
  findings: Finding[];
  ignored: IgnoredFinding[];
}

function flatten(list: readonly PricedResource[]): PricedResource[] {
  return list.flatMap((r) => [r, ...flatten(r.subresources)]);
}

function viewsOf(b: Breakdown, input: GuardrailInput): ProjectView[] {
  return b.projects.map((project) => {
    const resources = input.resources(project);
    const byAddress = new Map(flatten(project.resources).map((r) => [r.address, r]));
    return { project, resources, book: input.book(project), priced: (a) => byAddress.get(a), relations: relations(resources) };
  });
}

/** The environment of a resource: `environments:` (paths, then tags), else its `environment`/`env` tag or label. */
export function environmentOf(r: Resource, p: ProjectView, config: MlcostConfig): string | null {
  const paths = [r.file, p.project.path];
  const labels = labelsOf(r);
  for (const [name, env] of Object.entries(config.environments ?? {})) {
    if (env.paths.length && matchesAnyGlob(env.paths, paths)) return name;
    const tags = Object.entries(env.tags);
    if (tags.length && tags.every(([k, v]) => labels[k] === v)) return name;
  }
  for (const k of ['environment', 'env', 'Environment', 'Env']) if (labels[k]) return labels[k] as string;
  return null;
}

function defined(o: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
}

function contextFor(rule: Rule, side: 'base' | 'head', projects: ProjectView[], config: MlcostConfig): RuleContext<Record<string, unknown>> {
  const environment = (r: Resource, p: ProjectView) => environmentOf(r, p, config);
  const cache = new Map<string, (CommonSettings & Record<string, unknown>) | null>();
  const user = defined(config.rules?.[rule.id as keyof typeof config.rules] as Record<string, unknown> | undefined);
  return {
    side,
    projects,
    environment,
    usage: (r) => usageFor(config, r.address, r.type).values,
    settings(r, p) {
      const key = `${p.project.path}\u0000${r.address}`;
      if (cache.has(key)) return cache.get(key) ?? null;
      const paths = [r.file, p.project.path];
      const env = environment(r, p);
      let s: Record<string, unknown> = { ...rule.defaults, ...rule.optionDefaults, ...user };
      for (const o of config.overrides ?? []) {
        if (o.paths && !matchesAnyGlob(o.paths, paths)) continue;
        if (o.environments && (env === null || !o.environments.includes(env))) continue;
        s = { ...s, ...defined(o.rules[rule.id as keyof typeof o.rules] as Record<string, unknown> | undefined) };
      }
      const settings = s as CommonSettings & Record<string, unknown>;
      const applies =
        settings.enabled &&
        (!settings.paths || matchesAnyGlob(settings.paths, paths)) &&
        !(settings.exclude && matchesAnyGlob(settings.exclude, paths)) &&
        (!settings.environments || (env !== null && settings.environments.includes(env)));
      const out = applies ? settings : null;
      cache.set(key, out);
      return out;
    },
  };
}

function run(rule: Rule, side: 'base' | 'head', projects: ProjectView[], config: MlcostConfig): { ctx: RuleContext<Record<string, unknown>>; found: RuleFinding[] } {
  const ctx = contextFor(rule, side, projects, config);
  // A resource the rule does not apply to never yields a finding, whatever the rule's check does.
  const found = rule.check(ctx).filter((f) => ctx.settings(f.resource, f.project) !== null);
  return { ctx, found };
}

function resourceKey(p: ProjectView, address: string): string {
  return `${p.project.path}\u0000${address}`;
}

/** What makes a resource the same at base and head, for "did the change touch it". */
function fingerprint(r: Resource): string {
  return JSON.stringify([r.type, r.region, r.attributes, r.tags ?? {}, (r.ignores ?? []).map((i) => [i.rule, i.reason])]);
}

export function evaluateGuardrails(input: GuardrailInput): GuardrailResult {
  const config = input.config ?? defaultConfig();
  const head = viewsOf(input.head, input);
  const base = viewsOf(input.base, input);
  const baseFingerprints = new Map<string, string>();
  for (const p of base) for (const r of p.resources) baseFingerprints.set(resourceKey(p, r.address), fingerprint(r));
  const costMoved = new Set((input.diff?.resources ?? []).map((c) => `${c.project}\u0000${c.address}`));
  const touched = (p: ProjectView, r: Resource) =>
    baseFingerprints.get(resourceKey(p, r.address)) !== fingerprint(r) || costMoved.has(`${p.project.name}\u0000${r.address}`);

  const findings: Finding[] = [];
  const ignored: IgnoredFinding[] = [];
  const known = new Set(rules.map((r) => r.id));
  const badIgnores = new Set<string>();

  for (const rule of rules) {
    const { ctx, found } = run(rule, 'head', head, config);
    if (found.length === 0) continue;
    const before = new Set(run(rule, 'base', base, config).found.map((f) => resourceKey(f.project, f.resource.address)));
    for (const f of found) {
      if (!touched(f.project, f.resource) && before.has(resourceKey(f.project, f.resource.address))) continue;
      const settings = ctx.settings(f.resource, f.project) as CommonSettings;
      const finding: Finding = {
        rule: rule.id,
        severity: settings.severity,
        message: f.message,
        file: f.file ?? f.resource.file,
        line: f.line ?? f.resource.line,
        address: f.address ?? f.resource.address,
        monthlySavings: f.monthlySavings === undefined || f.monthlySavings === null ? null : roundMoney(f.monthlySavings),
      };
      const ignore = (f.resource.ignores ?? []).find((i) => i.rule === rule.id && i.reason.trim() !== '');
      if (ignore) ignored.push({ ...finding, reason: ignore.reason.trim(), ignoredAt: { file: ignore.file, line: ignore.line } });
      else findings.push(finding);
    }
  }

  // The ignore comments themselves, on what the change touched.
  for (const p of head) {
    for (const r of p.resources) {
      if (!r.ignores?.length || !touched(p, r)) continue;
      for (const i of r.ignores) {
        const key = `${i.file}:${i.line}`;
        if (badIgnores.has(key)) continue;
        let message: string | undefined;
        if (!known.has(i.rule)) message = `\`# mlcost:ignore ${i.rule}\` names no mlcost rule (rules: ${[...known].join(', ')}); it silences nothing`;
        else if (i.reason.trim() === '') message = `\`# mlcost:ignore ${i.rule}\` gives no reason, so it silences nothing: write why after the rule id (\`# mlcost:ignore ${i.rule} <reason>\`)`;
        if (!message) continue;
        badIgnores.add(key);
        findings.push({ rule: IGNORE_RULE, severity: 'warning', message, file: i.file, line: i.line, address: r.address, monthlySavings: null });
      }
    }
  }

  const order = (a: Finding, b: Finding) =>
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.address ?? '').localeCompare(b.address ?? '');
  return { findings: findings.sort(order), ignored: ignored.sort(order) };
}
