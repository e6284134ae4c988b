/**
 * Plain data shared by every stage of the pipeline. Nothing here does IO; everything here can be
 * serialised to JSON as it is (Unknown is a plain object with a marker).
 */

export type ProjectKind = 'terraform' | 'helm' | 'kubernetes' | 'pipeline';

/** A value whose real content cannot be known statically (data source, missing variable, ...). */
export interface Unknown {
  readonly $unknown: true;
  /** Why it is unknown, in words a reviewer understands. */
  readonly reason: string;
}

/** An evaluated attribute value. Blocks appear as arrays of objects. */
export type Value = string | number | boolean | null | Unknown | Value[] | { [key: string]: Value };

export function unknown(reason: string): Unknown {
  return { $unknown: true, reason };
}

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && (v as { $unknown?: unknown }).$unknown === true;
}

/** Where something stands in the repository. `file` is relative to the repository root, with `/`. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

/** An error found while reading a project: bad syntax, evaluation problems, unreadable files. */
export interface AnalysisError {
  file: string;
  line: number;
  column?: number;
  message: string;
  /** error: something was skipped; warning: read, with a caveat the reviewer should see. */
  severity?: 'error' | 'warning';
}

/** The files of one project: all `.tf` of a module directory, a chart directory, one pipeline file. */
export interface ProjectFiles {
  /** Display name, usually the path. */
  name: string;
  /** Directory (or file) of the project, relative to the repository root, `.` for the root. */
  path: string;
  kind: ProjectKind;
  /** Repository-relative path -> text. Binary files are given as read; analyzers reject them. */
  files: Record<string, string>;
  /** Files of the project that were not read (too large), reported as errors of the project. */
  skipped?: { file: string; reason: string }[];
  /** Files of the project listed but deliberately not read (a Helm chart's packaged `charts/*.tgz`). */
  unread?: string[];
}

/**
 * One thing that may cost money, as an analyzer read it. Attribute values are already evaluated.
 * Nested blocks (root_block_device, production_variants, ...) are arrays of objects.
 */
export interface Resource {
  /** Terraform-style address: `aws_instance.web`, `aws_instance.gpu[1]`, `module.x.aws_y.z["k"]`. */
  address: string;
  /** Terraform resource type name, whichever analyzer emits it (k8s kinds use `kubernetes_<kind>`). */
  type: string;
  file: string;
  line: number;
  /** AWS region code; null when it cannot be determined (an unknown provider region). */
  region: string | null;
  attributes: Record<string, Value>;
  /** Source line of attribute paths (`instance_type`, `root_block_device.0.volume_size`). */
  attributeLines?: Record<string, number>;
  /**
   * Resources each attribute's expression refers to, by attribute path: for
   * `launch_template { id = aws_launch_template.gpu.id }`, `{'launch_template.0.id': ['aws_launch_template.gpu']}`.
   * Ids name the resource block (`module.m.aws_x.y`), without instance keys.
   */
  references?: Record<string, string[]>;
  /** Tags after merging provider default_tags, when the analyzer knows them. */
  tags?: Record<string, string>;
  /** Per-kind details copied to the JSON output (k8s: replicas, cpu; pipelines: runsPerMonth, ...). */
  details?: Record<string, unknown>;
  /** Module call chain for resources inside modules (`module.a.module.b`), empty at the root. */
  modulePath?: string;
  /**
   * `# mlcost:ignore <rule-id> <reason>` comments right above the resource (its block, document or
   * `kind:`): each silences one guardrail for this resource. `reason` is '' when none was written.
   */
  ignores?: IgnoreComment[];
}

/** One `# mlcost:ignore` comment, as an analyzer read it. */
export interface IgnoreComment {
  rule: string;
  reason: string;
  /** File and line of the comment. */
  file: string;
  line: number;
}

/** What an analyzer found in one project. */
export interface AnalysisResult {
  resources: Resource[];
  errors: AnalysisError[];
  /** Things listed but not analysed: a registry module, a remote source, ... */
  notAnalysed?: { address: string; type: string; reason: string }[];
}

// ---------------------------------------------------------------------------------------------
// Prices

/**
 * A question to the price book. `key` follows the conventions in src/pricing/keys.ts;
 * a pricer builds queries only through the helpers there.
 */
export interface PriceQuery {
  service: string;
  region: string;
  key: string;
}

export interface PriceTier {
  /** Upper bound of the tier in the entry's unit (exclusive of the next tier); null = no bound. */
  upTo: number | null;
  usd: number;
}

/** One unit price with its provenance. */
export interface PricePoint {
  /** USD per unit. For tiered prices, the first tier's price. */
  usd: number;
  unit: string;
  /** Present when the price depends on the quantity (S3 Standard, data transfer, Lambda). */
  tiers?: PriceTier[];
  /** Date of the data this price came from (YYYY-MM-DD). */
  sourceDate: string;
  /** Short id of the source, resolvable in the snapshot's `sources` table. */
  source: string;
  /** Free text caveat, e.g. 'single source' or 'estimate: on-demand x (1 - spot advisor saving)'. */
  note?: string;
  /** AWS SKU of the price, when the snapshot keeps it (snapshots written by `mlcost prices update`). */
  sku?: string;
  /** The AWS list price, present only when the team's rates (`.mlcost.yml` `pricing:`) changed it. */
  list?: PricePoint;
  /** What the team's rates did to the list price, in words (present with `list`). */
  rate?: string;
}

export type PriceLookup = { ok: true; price: PricePoint } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------------
// Priced output (the JSON contract: see ARCHITECTURE.md)

export interface CostComponent {
  name: string;
  unit: string;
  /** null: depends on usage that nobody gave. */
  monthlyQuantity: number | null;
  /** null: no price found (the resource's `unpriced` says why). */
  unitPrice: number | null;
  /** null: unknown (usage not given, or no price). Never 0 for unknown. */
  monthlyCost: number | null;
  usageBased: boolean;
  /** Usage key that sets this quantity in `.mlcost.yml` (`usage:`), when usage-based. */
  usageKey?: string;
  /** Where the number came from: the price book entry's source and date. */
  priceSource?: { source: string; date: string; note?: string };
  /** AWS list unit price, present only when the team's rates make `unitPrice` differ from it. */
  listUnitPrice?: number;
  /** Monthly cost at the list price (null: quantity unknown), present with `listUnitPrice`. */
  listMonthlyCost?: number | null;
  /** The team rate applied (`.mlcost.yml` `pricing:`), in words, present with `listUnitPrice`. */
  teamRate?: string;
  /** A quantity that was assumed rather than read: what was assumed and how to change it. */
  assumption?: string;
  /** Source line of the attribute that drives this component, when known. */
  line?: number;
}

export interface Unpriced {
  component: string;
  reason: string;
}

export interface PricedResource {
  address: string;
  type: string;
  file: string;
  line: number;
  region: string | null;
  /** null: nothing of it could be priced. */
  monthlyCost: number | null;
  /**
   * Monthly cost at the most it can scale to (autoscaling max size), when that is higher than
   * `monthlyCost`; absent otherwise. Priced lines only.
   */
  ceilingMonthlyCost?: number;
  costComponents: CostComponent[];
  subresources: PricedResource[];
  unpriced: Unpriced[];
  details?: Record<string, unknown>;
  tags?: Record<string, string>;
}

export interface Unsupported {
  address: string;
  type: string;
  reason: string;
}

export interface ProjectBreakdown {
  name: string;
  path: string;
  kind: ProjectKind;
  totalMonthlyCost: number;
  resources: PricedResource[];
  unsupported: Unsupported[];
  errors: AnalysisError[];
  /** Unsupported resource types with their count (a summary of `unsupported`). */
  unsupportedCounts?: Record<string, number>;
}

export interface PricesMeta {
  source: 'embedded' | 'live' | 'file';
  /** Date the snapshot was captured (YYYY-MM-DD). */
  capturedAt: string;
  /** Oldest source date among the prices actually used by this breakdown. */
  oldestPriceDate?: string;
  /** Present when `.mlcost.yml` `pricing:` sets team rates: how many rules of each kind, and warnings. */
  teamRates?: { discounts: number; commitments: number; overrides: number; warnings?: string[] };
}

export interface Breakdown {
  version: 1;
  currency: 'USD';
  prices: PricesMeta;
  totalMonthlyCost: number;
  projects: ProjectBreakdown[];
}

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ComponentChange {
  name: string;
  baseMonthlyCost: number | null;
  headMonthlyCost: number | null;
  delta: number | null;
}

export interface ResourceChange {
  address: string;
  project: string;
  type: string;
  change: ChangeKind;
  baseMonthlyCost: number | null;
  headMonthlyCost: number | null;
  /** null when either side is unknown and the other is not zero-by-absence. */
  delta: number | null;
  file?: string;
  line?: number;
  components: ComponentChange[];
}

export interface ProjectDelta {
  name: string;
  path: string;
  kind: ProjectKind;
  baseMonthlyCost: number;
  headMonthlyCost: number;
  delta: number;
}

export type Severity = 'error' | 'warning' | 'info';
export type Conclusion = 'success' | 'neutral' | 'failure';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  address: string | null;
  /** Monthly saving in USD the advice would bring, when it can be computed; null otherwise. */
  monthlySavings: number | null;
}

/** A guardrail finding that a `# mlcost:ignore` comment silenced: listed, never counted. */
export interface IgnoredFinding extends Finding {
  /** The reason written in the comment. */
  reason: string;
  /** Where the comment is. */
  ignoredAt: { file: string; line: number };
}

export interface PolicyResult {
  conclusion: Conclusion;
  findings: Finding[];
  /** Findings silenced by `# mlcost:ignore` comments; absent when there is none. */
  ignored?: IgnoredFinding[];
}

export interface Diff {
  version: 1;
  currency: 'USD';
  base: Breakdown;
  head: Breakdown;
  baseMonthlyCost: number;
  headMonthlyCost: number;
  totalMonthlyDelta: number;
  /** Per project, sorted by name. */
  projects: ProjectDelta[];
  /** Only resources whose cost or presence changed, sorted by |delta| descending then address. */
  resources: ResourceChange[];
  policy: PolicyResult;
}
