/**
 * `.mlcost.yml`: the v1 schema and a parser that reports every problem with the dotted key path and
 * the line/column of that key in the file. Pure: text in, config and errors out.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { pricingSchema } from './pricing.js';
import { approvalSchema, budgetsSchema, environmentsSchema, overridesSchema, rulesSchema } from './guardrail-schema.js';

export interface ConfigError {
  file: string;
  line: number;
  column: number;
  /** Dotted key path (`thresholds.maxMonthlyIncrease`); '' for problems of the file as a whole. */
  key: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Schema

export const severitySchema = z.enum(['error', 'warning', 'info'], {
  error: 'expected one of `error`, `warning`, `info`',
});

/** `500` or `{ amount: 500, severity: warning }`, normalised to the object form (severity `error`). */
const usdLimitSchema = z
  .union(
    [
      z.number().nonnegative(),
      z.object({ amount: z.number().nonnegative(), severity: severitySchema.default('error') }).strict(),
    ],
    { error: 'expected an amount in USD (a number) or a mapping `{ amount, severity }`' },
  )
  .transform((v) => (typeof v === 'number' ? { amount: v, severity: 'error' as const } : v));

/** `25` or `{ percent: 25, severity: error }`, normalised to the object form (severity `error`). */
const percentLimitSchema = z
  .union(
    [
      z.number().nonnegative(),
      z.object({ percent: z.number().nonnegative(), severity: severitySchema.default('error') }).strict(),
    ],
    { error: 'expected a percentage (a number) or a mapping `{ percent, severity }`' },
  )
  .transform((v) => (typeof v === 'number' ? { percent: v, severity: 'error' as const } : v));

export const thresholdsSchema = z
  .object({
    maxMonthlyIncrease: usdLimitSchema.optional(),
    maxMonthlyIncreasePercent: percentLimitSchema.optional(),
    maxMonthlyTotal: usdLimitSchema.optional(),
  })
  .strict();

const usageScalarSchema = z.union([z.number().nonnegative(), z.string()], {
  error: 'expected a non-negative number or a text (usage values nest one level only)',
});

/** One usage value: a number, a text, or one level of named numbers/texts (`{ STANDARD: 100 }`). */
export const usageValueSchema = z.union([usageScalarSchema, z.record(z.string(), usageScalarSchema)], {
  error: 'expected a non-negative number, a text, or a mapping of those (one level deep)',
});

/** The values of one usage key. Value names are free (each pricer documents its own). */
export const usageEntrySchema = z.preprocess(
  (v) => (v === null ? {} : v),
  z.record(z.string(), usageValueSchema),
);

const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A Terraform resource type name (`aws_s3_bucket`), as opposed to an address. */
export function isResourceType(key: string): boolean {
  return RESOURCE_TYPE.test(key);
}

/**
 * A usage key: a resource type (`aws_s3_bucket`), an address (`aws_s3_bucket.datasets`), or an
 * address pattern where `[*]` matches any index/key and a `*` segment matches any one segment.
 */
export function isUsageKey(key: string): boolean {
  return isResourceType(key) || parseAddress(key, true) !== null;
}

const usageKeySchema = z.string().superRefine((key, ctx) => {
  if (!isUsageKey(key)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'not a resource type or address: use `aws_s3_bucket`, `aws_s3_bucket.name`, `aws_s3_bucket.name[*]` ' +
        'or `module.*.aws_s3_bucket.name`',
    });
  }
});

export const usageSchema = z.record(usageKeySchema, usageEntrySchema);

/** A top-level section: absent or empty (`thresholds:` with everything commented out) means `{}`. */
export function section<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.prefault(() => ({}) as z.input<T>));
}

/** How Terraform is read: local paths for module sources that are never downloaded. */
export const terraformSchema = z
  .object({
    /** Module source (registry address or git URL, as written) -> repository-relative directory. */
    modules: z.record(z.string().min(1), z.string().min(1)).default({}),
  })
  .strict();

/** A node taint as Kubernetes spells it (`kubectl taint nodes ... key=value:NoSchedule`). */
const taintSchema = z
  .object({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], { error: 'expected one of `NoSchedule`, `PreferNoSchedule`, `NoExecute`' }),
  })
  .strict();

/** One node pool of the cluster the manifests run on (an EKS node group, a Karpenter pool, ...). */
const nodePoolSchema = z
  .object({
    name: z.string().min(1),
    /** EC2 instance type of the pool's nodes (`m6i.xlarge`, `g5.2xlarge`). */
    instanceType: z.string().min(1),
    capacity: z.enum(['on-demand', 'spot'], { error: 'expected one of `on-demand`, `spot`' }).default('on-demand'),
    /** Node labels that nodeSelector and node affinity match against. */
    labels: z.record(z.string(), z.string()).default({}),
    taints: z.array(taintSchema).default([]),
    /** Nodes in the pool: what a DaemonSet multiplies by. */
    nodes: z.number().int().nonnegative().optional(),
  })
  .strict();

/** A Fargate profile: pods of a namespace (glob `*`, `?`) whose labels include `labels` run on Fargate. */
const fargateProfileSchema = z
  .object({
    name: z.string().min(1),
    selectors: z
      .array(z.object({ namespace: z.string().min(1), labels: z.record(z.string(), z.string()).default({}) }).strict())
      .min(1),
  })
  .strict();

/** Where Kubernetes workloads run and what their volumes are (see README, Kubernetes). */
export const kubernetesSchema = z
  .object({
    /** AWS region of the cluster (us-east-1 is assumed, and said, when absent). */
    region: z.string().min(1).optional(),
    nodePools: z.array(nodePoolSchema).default([]),
    /** Pool preferred when several match a pod. */
    defaultPool: z.string().min(1).optional(),
    /** StorageClass name -> EBS volume type. */
    storageClasses: z
      .record(z.string(), z.enum(['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'], { error: 'expected an EBS volume type: `gp3`, `gp2`, `io1`, `io2`, `st1`, `sc1`, `standard`' }))
      .default({}),
    /** Every pod runs on Fargate (a Fargate-only cluster). */
    fargate: z.boolean().default(false),
    fargateProfiles: z.array(fargateProfileSchema).default([]),
  })
  .strict();

/** One environment of a Helm chart (`helm.charts`): its own project, `<path> (<values or name>)`. */
const helmChartSchema = z
  .object({
    /** Chart directory (with its Chart.yaml), repository-relative. */
    path: z.string().min(1),
    /** Values files applied in order over the chart's values.yaml, relative to the chart directory. */
    values: z.array(z.string().min(1)).default([]),
    /** `.Release.Name` (default: the chart's name). */
    release: z.string().min(1).optional(),
    /** `.Release.Namespace` (default: `default`). */
    namespace: z.string().min(1).optional(),
    /** Label of the environment in the project's name (default: its values files). */
    name: z.string().min(1).optional(),
  })
  .strict();

/** How Helm charts are rendered (see README, Helm charts and Kubernetes). */
export const helmSchema = z
  .object({
    charts: z.array(helmChartSchema).default([]),
    /** `.Capabilities.KubeVersion` (default v1.31.0). */
    kubeVersion: z.string().regex(/^v?\d+\.\d+(\.\d+)?([-+].*)?$/, 'expected a Kubernetes version such as `v1.30.4`').optional(),
    /** API versions added to `.Capabilities.APIVersions` (`monitoring.coreos.com/v1`, `.../ServiceMonitor`). */
    apiVersions: z.array(z.string().min(1)).default([]),
  })
  .strict();

/**
 * What a pipeline runner label costs (`pipelines.runners`): a self-hosted runner on an EC2 instance
 * type, a GitHub-hosted larger runner's billing SKU (`linux-8-core`, `linux-4-core-gpu`), or nothing
 * (`free: true`: a runner the team already pays for).
 */
const runnerSchema = z.union(
  [
    z.object({ instanceType: z.string().min(1), capacity: z.enum(['on-demand', 'spot'], { error: 'expected one of `on-demand`, `spot`' }).default('on-demand') }).strict(),
    z.object({ githubRunner: z.string().regex(/^[a-z0-9-]+$/, 'expected a GitHub runner id such as `linux-8-core` or `linux-4-core-gpu`') }).strict(),
    z.object({ free: z.literal(true, { error: 'expected `true`' }) }).strict(),
  ],
  { error: 'expected `{ instanceType: <EC2 type> }`, `{ githubRunner: <id> }` or `{ free: true }`' },
);

/** ML pipelines (GitHub Actions, Argo, Kubeflow, SageMaker Pipelines): see README, Pipelines. */
export const pipelinesSchema = z
  .object({
    /** AWS region of EC2 runners, SageMaker steps and (without kubernetes.region) Argo/Kubeflow clusters. */
    region: z.string().min(1).optional(),
    /** `runs-on` label or runner group -> what it costs. */
    runners: z.record(z.string().min(1), runnerSchema).default({}),
    /** Standard GitHub-hosted runners are free for public repositories. */
    publicRepository: z.boolean().default(false),
    /** Pipeline file or name -> cron schedule(s) of its recurring runs (Kubeflow recurring runs live outside the YAML). */
    schedules: z.record(z.string().min(1), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'expected a cron schedule or a list of them' })).default({}),
  })
  .strict();

/** Adding a section is one line here. */
export const configSchema = z
  .object({
    version: z.literal(1, { error: 'only `version: 1` is supported' }).default(1),
    thresholds: section(thresholdsSchema),
    usage: section(usageSchema),
    terraform: section(terraformSchema),
    pricing: z.preprocess((v) => (v === null ? undefined : v), pricingSchema.optional()),
    kubernetes: z.preprocess((v) => (v === null ? undefined : v), kubernetesSchema.optional()),
    helm: z.preprocess((v) => (v === null ? undefined : v), helmSchema.optional()),
    pipelines: z.preprocess((v) => (v === null ? undefined : v), pipelinesSchema.optional()),
    comment: z
      .enum(['always', 'on-change', 'never'], { error: 'expected one of `always`, `on-change`, `never`' })
      .default('always'),
    rules: section(rulesSchema),
    overrides: z.preprocess((v) => (v === null ? undefined : v), overridesSchema.default([])),
    environments: section(environmentsSchema),
    budgets: z.preprocess((v) => (v === null ? undefined : v), budgetsSchema.default([])),
    approval: section(approvalSchema),
  })
  .strict();

export type MlcostConfig = z.infer<typeof configSchema>;
export type MlcostConfigInput = z.input<typeof configSchema>;
export type ThresholdsConfig = MlcostConfig['thresholds'];
export type UsageMap = MlcostConfig['usage'];
export type UsageEntry = UsageMap[string];
export type UsageValue = UsageEntry[string];
export type CommentMode = MlcostConfig['comment'];
export type KubernetesConfig = z.infer<typeof kubernetesSchema>;
export type HelmConfig = z.infer<typeof helmSchema>;
export type ApprovalSettings = MlcostConfig['approval'];
export type PipelinesConfig = z.infer<typeof pipelinesSchema>;

export const CONFIG_FILE = '.mlcost.yml';

/** The config of an empty file. */
export function defaultConfig(): MlcostConfig {
  return configSchema.parse({});
}

/** Builds a config from a plain object (tests, programmatic use); throws on invalid input. */
export function makeConfig(input: MlcostConfigInput, file = CONFIG_FILE): MlcostConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid config: ${first ? `${first.path.join('.')}: ${first.message}` : 'unknown error'}`);
  }
  registerUsageOrigins(parsed.data.usage, (key) => `${file} usage.${key}`);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Parsing

export function parseConfig(text: string, file = CONFIG_FILE): { config: MlcostConfig; errors: ConfigError[] } {
  const parsed = parseYamlAgainst(text, file, configSchema);
  if (parsed.errors.length > 0 || parsed.data === undefined) return { config: defaultConfig(), errors: parsed.errors };
  registerUsageOrigins(parsed.data.usage, (key) => `${file} usage.${key}`);
  return { config: parsed.data, errors: [] };
}

/** A YAML document read with positions; `value` is its plain JS value (null for an empty file). */
export interface YamlText {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  file: string;
  value: unknown;
}

/** Parses YAML text; syntax errors come back as ConfigErrors with their line. */
export function readYaml(text: string, file: string): { yaml: YamlText | null; errors: ConfigError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      const message = `YAML syntax error: ${plainYamlMessage(e.message)}`;
      return { file, line: pos.line, column: pos.col, key: '', message };
    });
    return { yaml: null, errors };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const message = `YAML error: ${(e as Error).message}`;
    return { yaml: null, errors: [{ file, line: 1, column: 1, key: '', message }] };
  }
  return { yaml: { doc, lineCounter, file, value }, errors: [] };
}

function plainYamlMessage(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  return (cut >= 0 ? message.slice(0, cut) : message.split('\n')[0] ?? message).trim();
}

/**
 * Parses YAML text and validates it against a zod schema. An empty document is `{}`; the top level
 * must be a mapping. Errors carry the key path and the position of the key in the file.
 */
export function parseYamlAgainst<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): { data: z.output<S> | undefined; errors: ConfigError[]; yaml: YamlText | null } {
  const read = readYaml(text, file);
  if (!read.yaml) return { data: undefined, errors: read.errors, yaml: null };
  const yaml = read.yaml;
  const value = yaml.value === null || yaml.value === undefined ? {} : yaml.value;
  if (!isPlainObject(value)) {
    const at = locate(yaml, []);
    return {
      data: undefined,
      errors: [
        { file, ...at, key: '', message: `expected a mapping of keys at the top level, got ${describe(value)}` },
      ],
      yaml,
    };
  }
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, errors: [], yaml };
  const errors: ConfigError[] = [];
  for (const issue of result.error.issues) collectIssue(issue as Issue, [], value, schema, yaml, errors);
  return { data: undefined, errors: sortErrors(dedupe(errors)), yaml };
}

// ---------------------------------------------------------------------------------------------
// Zod issues -> ConfigErrors

type Path = (string | number)[];

/** The fields of zod 4 issues we read (kept loose so that a zod minor version does not break us). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
  issues?: Issue[];
  values?: unknown[];
  minimum?: number | bigint;
  expected?: string;
}

function collectIssue(
  issue: Issue,
  prefix: Path,
  root: unknown,
  schema: z.ZodType,
  yaml: YamlText,
  out: ConfigError[],
): void {
  const path: Path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const value = valueAt(root, path);
  const push = (p: Path, message: string): void => {
    out.push({ file: yaml.file, ...locate(yaml, p), key: keyPath(p), message });
  };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, path);
      for (const key of issue.keys ?? []) {
        const suggestion = closest(key, allowed);
        const hint = suggestion
          ? `; did you mean \`${suggestion}\`?`
          : allowed.length > 0
            ? `; allowed keys: ${allowed.map((k) => `\`${k}\``).join(', ')}`
            : '';
        push([...path, key], `unknown key \`${key}\`${hint}`);
      }
      return;
    }
    case 'invalid_union': {
      const branches = (issue.errors ?? []).filter((b) => !isRootMismatch(b));
      const branch = branches[0];
      if (branches.length === 1 && branch) {
        for (const sub of branch) collectIssue(sub, path, root, schema, yaml, out);
        return;
      }
      push(path, `${issue.message}, got ${describe(value)}`);
      return;
    }
    case 'invalid_key': {
      const inner = issue.issues?.[0]?.message ?? issue.message;
      push(path, `invalid key \`${String(path[path.length - 1])}\`: ${inner}`);
      return;
    }
    case 'invalid_type': {
      if (value === undefined) {
        push(path, `\`${String(path[path.length - 1])}\` is required`);
      } else if (value === null) {
        push(path, `needs a value (expected ${expectedWord(issue.expected)})`);
      } else {
        push(path, `expected ${expectedWord(issue.expected)}, got ${describe(value)}`);
      }
      return;
    }
    case 'too_small': {
      if (typeof value === 'number' && Number(issue.minimum) === 0) push(path, `must not be negative, got ${value}`);
      else if (Array.isArray(value)) push(path, issue.message && !/^Too small/.test(issue.message) ? issue.message : `needs at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`);
      else push(path, `must be at least ${String(issue.minimum)}, got ${describe(value)}`);
      return;
    }
    case 'invalid_value': {
      if (issue.message && !/^Invalid (input|option)/.test(issue.message)) {
        push(path, `${issue.message}, got ${describe(value)}`);
      } else {
        const values = (issue.values ?? []).map((v) => `\`${String(v)}\``).join(', ');
        push(path, `expected one of ${values}, got ${describe(value)}`);
      }
      return;
    }
    default:
      push(path, issue.message);
  }
}

/** True when a union branch failed because the value has the wrong type altogether. */
function isRootMismatch(issues: Issue[]): boolean {
  return issues.some(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' || (i.code === 'invalid_union' && (i.errors ?? []).every(isRootMismatch))),
  );
}

function expectedWord(expected: string | undefined): string {
  switch (expected) {
    case 'number':
      return 'a number';
    case 'string':
      return 'a text';
    case 'object':
    case 'record':
      return 'a mapping of keys';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    default:
      return expected ?? 'another value';
  }
}

/** How a YAML value reads in an error message. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `\`${value}\``;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

export function keyPath(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (Array.isArray(v)) v = v[Number(seg)];
    else if (isPlainObject(v)) v = v[String(seg)];
    else return undefined;
  }
  return v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const id = `${e.line}:${e.column}:${e.key}:${e.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column || a.key.localeCompare(b.key));
}

// ---------------------------------------------------------------------------------------------
// Positions

/**
 * Line and column (1-based) of the deepest key of `path` present in the document: the key itself
 * when it is there, its nearest present ancestor otherwise; the top-level node (or 1:1) for [].
 */
export function locate(yaml: YamlText, path: readonly (string | number)[]): { line: number; column: number } {
  let node: unknown = yaml.doc.contents;
  let at: YamlNode | null = isNode(node) ? node : null;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(yaml.doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      const keyNode = isNode(pair.key) ? pair.key : null;
      const valueNode = isNode(pair.value) ? pair.value : null;
      at = keyNode ?? valueNode ?? at;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!isNode(item)) break;
      at = item;
      node = item;
    } else {
      break;
    }
  }
  const offset = at?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const pos = yaml.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function isNode(v: unknown): v is YamlNode {
  return isScalar(v) || isMap(v) || isSeq(v) || isAlias(v);
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

// ---------------------------------------------------------------------------------------------
// Schema introspection (for "did you mean")

interface LooseDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
}

function defOf(schema: z.ZodType): LooseDef {
  return (schema as unknown as { _zod: { def: LooseDef } })._zod.def;
}

/** Removes wrappers (optional, default, pipes, ...) and returns the schemas a value is checked by. */
function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      return def.innerType ? unwrap(def.innerType) : [schema];
    case 'pipe': {
      const side = def.out && defOf(def.out).type !== 'transform' ? def.out : def.in;
      return side ? unwrap(side) : [schema];
    }
    case 'union':
      return (def.options ?? []).flatMap(unwrap);
    default:
      return [schema];
  }
}

function allowedKeys(schema: z.ZodType, path: Path): string[] {
  let current = unwrap(schema);
  for (const seg of path) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      const def = defOf(s);
      if (def.type === 'object' && def.shape) {
        const child = def.shape[String(seg)];
        if (child) next.push(...unwrap(child));
      } else if (def.type === 'record' && def.valueType) {
        next.push(...unwrap(def.valueType));
      } else if (def.type === 'array' && def.element && typeof seg === 'number') {
        next.push(...unwrap(def.element));
      }
    }
    current = next;
  }
  const keys: string[] = [];
  for (const s of current) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) keys.push(...Object.keys(def.shape));
  }
  return [...new Set(keys)];
}

/** Edit distance (insertions, deletions, substitutions). */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The allowed key closest to `key` within edit distance 2 (case-insensitive), if any. */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = levenshtein(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Resource addresses and patterns (used by usage keys)

export interface AddressSegment {
  /** Name, or '*' for any one segment. */
  name: string;
  /** Index: undefined (none), '*' (any), a number, or a string key (JSON-quoted in the source). */
  index?: { kind: 'any' } | { kind: 'number'; value: number } | { kind: 'string'; value: string };
}

/**
 * Parses `module.a["k"].aws_x.y[0]` into segments. With `allowWildcards`, `*` names and `[*]` indexes
 * are accepted. Needs at least two segments. Returns null when the text is not an address.
 */
export function parseAddress(text: string, allowWildcards = false): AddressSegment[] | null {
  const segments: AddressSegment[] = [];
  let i = 0;
  const name = /^(?:[A-Za-z_][A-Za-z0-9_-]*|\*)/;
  while (i <= text.length) {
    const m = name.exec(text.slice(i));
    if (!m) return null;
    if (m[0] === '*' && !allowWildcards) return null;
    const seg: AddressSegment = { name: m[0] };
    i += m[0].length;
    if (text[i] === '[') {
      const close = indexEnd(text, i);
      if (close < 0) return null;
      const inner = text.slice(i + 1, close).trim();
      if (inner === '*') {
        if (!allowWildcards) return null;
        seg.index = { kind: 'any' };
      } else if (/^\d+$/.test(inner)) {
        seg.index = { kind: 'number', value: Number(inner) };
      } else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) {
        try {
          seg.index = { kind: 'string', value: JSON.parse(inner) as string };
        } catch {
          return null;
        }
      } else {
        return null;
      }
      i = close + 1;
    }
    segments.push(seg);
    if (i === text.length) break;
    if (text[i] !== '.') return null;
    i += 1;
  }
  return segments.length >= 2 ? segments : null;
}

function indexEnd(text: string, open: number): number {
  let inString = false;
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === ']') {
      return j;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Where usage values came from (for the report: "from .mlcost.yml usage.aws_s3_bucket.datasets")

const usageOrigins = new WeakMap<object, Record<string, string>>();

/**
 * Records, for each entry of a usage map, where each of its values came from. Kept beside the data
 * (a WeakMap keyed by the entry objects) so the config stays the plain `z.infer` shape.
 */
export function registerUsageOrigins(usage: UsageMap, originOf: (key: string) => string): void {
  for (const [key, entry] of Object.entries(usage)) {
    const origin = originOf(key);
    const perValue: Record<string, string> = {};
    for (const valueKey of Object.keys(entry)) perValue[valueKey] = origin;
    usageOrigins.set(entry, perValue);
  }
}

/** Sets the per-value origins of one entry (used when merging entries). */
export function setUsageEntryOrigins(entry: UsageEntry, origins: Record<string, string>): void {
  usageOrigins.set(entry, origins);
}

/** Where `valueKey` of the entry under `key` came from; `.mlcost.yml usage.<key>` when not recorded. */
export function usageOrigin(entry: UsageEntry, key: string, valueKey: string): string {
  return usageOrigins.get(entry)?.[valueKey] ?? `${CONFIG_FILE} usage.${key}`;
}
