/**
 * What guardrails read from analysed resources, shared by the rules of src/policy/rules/: instance
 * types and families, labels and tags, EBS volumes, and the prices of alternatives (spot, gp3, ...)
 * through the price book (src/pricing/cost.ts `monthlyPrice`). Pure.
 */
import type { PriceBook } from '../core/ports.js';
import type { CostComponent, PriceQuery, PricedResource, Resource, Value } from '../core/types.js';
import { isUnknown } from '../core/types.js';
import { componentQuery, monthlyPrice, roundMoney } from '../pricing/cost.js';
import { keys } from '../pricing/keys.js';
import { viewOf } from '../pricing/view.js';
import type { ResourceView } from '../pricing/types.js';
import { formatUnitPrice, formatUsd } from '../report/format.js';

/** `$1,150` (whole dollars from $1,000) for messages. */
export function money(n: number): string {
  return formatUsd(n, { precision: 'headline' });
}

/** `$0.10 / GB-month`. */
export function unitPrice(usd: number, unit: string): string {
  return formatUnitPrice(usd, unit);
}

export function view(r: Resource): ResourceView {
  return viewOf(r);
}

// ---------------------------------------------------------------------------------------------
// Instance types

/** `g5.2xlarge` -> `{ family: 'g5', size: '2xlarge' }`; SageMaker's `ml.` prefix is dropped. */
export function instanceParts(type: string): { family: string; size: string } {
  const t = type.replace(/^ml\./, '');
  const i = t.indexOf('.');
  return i < 0 ? { family: t, size: '' } : { family: t.slice(0, i), size: t.slice(i + 1) };
}

const NAMED_SIZES = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'];

/** Orders instance sizes: nano < ... < large < xlarge < 2xlarge < ... < 48xlarge < metal. NaN when not a size. */
export function sizeRank(size: string): number {
  const named = NAMED_SIZES.indexOf(size);
  if (named >= 0) return named;
  const m = /^(\d+)xlarge$/.exec(size);
  if (m) return NAMED_SIZES.length - 1 + Number(m[1]);
  if (/^metal(-\d+xl)?$/.test(size)) return 10_000;
  return NaN;
}

/** GPUs or Neuron/Trainium accelerators, from the book's instance specs; undefined when the type is unknown. */
export function isAccelerated(book: PriceBook | undefined, type: string): boolean | undefined {
  const spec = book?.instanceSpec(type);
  if (!spec) return undefined;
  return spec.gpuCount > 0 || (spec.acceleratorCount ?? 0) > 0;
}

export interface InstanceUse {
  type: string;
  line: number;
  /** What sets it, for messages: `instance_types`, `launch template aws_launch_template.gpu`. */
  where: string;
}

function strings(v: Value | undefined): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The instance types a resource runs, as written (never assumed): EC2 instances, node groups and
 * their launch templates, Auto Scaling groups, Batch, spot requests, EMR, SageMaker endpoints,
 * notebooks and training jobs, and Kubernetes workloads pinned to a type or placed on a pool that
 * lists its types.
 */
export function instanceTypesOf(r: Resource, relations: { referenced(r: ResourceView, path: string): ResourceView[] }, priced?: PricedResource): InstanceUse[] {
  const v = viewOf(r);
  const out: InstanceUse[] = [];
  const add = (types: string[], line: number, where: string) => {
    for (const type of types) if (type && !out.some((o) => o.type === type)) out.push({ type, line, where });
  };
  const fromTemplate = (paths: string[]) => {
    for (const path of paths) {
      const lt = relations.referenced(v, path).find((x) => x.resource.type === 'aws_launch_template');
      if (lt) {
        add(strings(lt.get('instance_type')), v.line(path), `launch template ${lt.address}`);
        return;
      }
    }
  };
  switch (r.type) {
    case 'aws_instance':
    case 'aws_spot_instance_request':
    case 'aws_launch_template':
    case 'aws_sagemaker_notebook_instance':
      add(strings(v.get('instance_type')), v.line('instance_type'), 'instance_type');
      break;
    case 'aws_eks_node_group':
      add(strings(v.get('instance_types')), v.line('instance_types'), 'instance_types');
      if (out.length === 0) fromTemplate(['launch_template.0.id', 'launch_template.0.name']);
      break;
    case 'aws_autoscaling_group': {
      for (const o of v.list('mixed_instances_policy.0.launch_template.0.override')) add(strings(o.get('instance_type')), o.line('instance_type'), 'mixed_instances_policy override');
      fromTemplate([
        'launch_template.0.id',
        'launch_template.0.name',
        'mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id',
        'mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_name',
      ]);
      break;
    }
    case 'aws_batch_compute_environment':
      add(strings(v.get('compute_resources.0.instance_type')).filter((t) => t.includes('.')), v.line('compute_resources.0.instance_type'), 'compute_resources.instance_type');
      break;
    case 'aws_spot_fleet_request':
      for (const s of v.list('launch_specification')) add(strings(s.get('instance_type')), s.line('instance_type'), 'launch_specification');
      break;
    case 'aws_emr_cluster':
      for (const g of ['master_instance_group', 'core_instance_group']) for (const x of v.list(g)) add(strings(x.get('instance_type')), x.line('instance_type'), g);
      break;
    case 'aws_sagemaker_endpoint_configuration':
      for (const p of ['production_variants', 'shadow_production_variants']) for (const x of v.list(p)) add(strings(x.get('instance_type')), x.line('instance_type'), p);
      break;
    case 'aws_sagemaker_training_job':
      add(strings(v.get('resource_config.0.instance_type')), v.line('resource_config.0.instance_type'), 'resource_config.instance_type');
      break;
    default:
      if (r.type.startsWith('kubernetes_')) add(kubernetesTypes(r, priced), r.line, 'node pool');
  }
  return out;
}

/** Instance types of a Kubernetes workload that are written down: a pinned type, or its pool's listed types. */
function kubernetesTypes(r: Resource, priced: PricedResource | undefined): string[] {
  const v = viewOf(r);
  const out: string[] = [];
  for (const g of v.list('groups')) {
    const selector = g.get('node_selector');
    if (selector && typeof selector === 'object' && !Array.isArray(selector) && !isUnknown(selector)) {
      const t = (selector as Record<string, Value>)['node.kubernetes.io/instance-type'];
      if (typeof t === 'string' && !out.includes(t)) out.push(t);
    }
  }
  const details = priced?.details ?? {};
  const placements = Array.isArray(details['groups']) ? (details['groups'] as Record<string, unknown>[]) : [details];
  const pools = v.list('node_pools');
  for (const p of placements) {
    const pool = pools.find((x) => x.str('name') === p['pool']);
    const type = p['instanceType'];
    if (typeof type !== 'string' || !pool || pool.str('source') === 'default') continue;
    if (strings(pool.get('instance_types')).includes(type) && !out.includes(type)) out.push(type);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Labels and tags

/** Kubernetes pod labels of a workload (every pod group's), or the resource's tags for AWS resources. */
export function labelsOf(r: Resource): Record<string, string> {
  if (!r.type.startsWith('kubernetes_')) return { ...(r.tags ?? {}) };
  const out: Record<string, string> = {};
  const groups = r.attributes['groups'];
  for (const g of Array.isArray(groups) ? groups : []) {
    const labels = g && typeof g === 'object' && !Array.isArray(g) && !isUnknown(g) ? (g as Record<string, Value>)['labels'] : undefined;
    if (labels && typeof labels === 'object' && !Array.isArray(labels) && !isUnknown(labels))
      for (const [k, val] of Object.entries(labels)) if (typeof val === 'string') out[k] = val;
  }
  return out;
}

/** Map attribute (`labels = { ... }`) as strings; {} when absent or unknown. */
export function stringMapAt(r: Resource, path: string): Record<string, string> {
  const v = viewOf(r).get(path);
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v))
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

/**
 * Whether labels match one of the patterns: `key=value`, `key` (any value), `*=value` (any key).
 * Returns the label that matched, as `key=value`.
 */
export function matchLabels(patterns: readonly string[], labels: Record<string, string>): string | undefined {
  for (const pattern of patterns) {
    const i = pattern.indexOf('=');
    const key = i < 0 ? pattern : pattern.slice(0, i);
    const value = i < 0 ? undefined : pattern.slice(i + 1);
    for (const [k, v] of Object.entries(labels)) {
      if ((key === '*' || k === key) && (value === undefined || v.toLowerCase() === value.toLowerCase())) return `${k}=${v}`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Alternatives, priced through the book

/** Every component of a priced resource and its subresources. */
export function componentsOf(p: PricedResource): CostComponent[] {
  return [...p.costComponents, ...p.subresources.flatMap(componentsOf)];
}

export interface SpotAlternative {
  /** Monthly saving at the priced quantities; null when a spot price is missing. */
  saving: number | null;
  onDemand: number;
  spot: number | null;
  /** Instance types that run on-demand. */
  types: string[];
  /** Why a spot price is missing, per type. */
  missing: string[];
  /** The spot price's caveat (an estimate from the Spot Instance Advisor), when it has one. */
  note?: string;
  /** The spot price's date. */
  date?: string;
}

/**
 * The resource's on-demand EC2 instance-hours priced at spot instead: the same quantities, the
 * book's `spot:` price. Undefined when nothing of it runs on-demand EC2.
 */
export function spotAlternative(book: PriceBook | undefined, p: PricedResource): SpotAlternative | undefined {
  if (!book) return undefined;
  let onDemand = 0;
  let spot = 0;
  const types: string[] = [];
  const missing: string[] = [];
  let note: string | undefined;
  let date: string | undefined;
  for (const c of componentsOf(p)) {
    const q = componentQuery(c);
    if (!q || q.service !== 'AmazonEC2' || !q.key.startsWith('instance:') || c.monthlyQuantity === null || c.monthlyCost === null) continue;
    const type = q.key.slice('instance:'.length);
    if (!types.includes(type)) types.push(type);
    onDemand += c.monthlyCost;
    const alt = monthlyPrice(book, keys.ec2Spot(q.region, type), c.monthlyQuantity);
    if (!alt.ok) {
      missing.push(`${type}: ${alt.reason}`);
      continue;
    }
    spot += alt.usd;
    note ??= alt.price.note;
    date ??= alt.price.sourceDate;
  }
  if (types.length === 0) return undefined;
  return {
    saving: missing.length ? null : roundMoney(onDemand - spot),
    onDemand: roundMoney(onDemand),
    spot: missing.length ? null : roundMoney(spot),
    types,
    missing,
    ...(note ? { note } : {}),
    ...(date ? { date } : {}),
  };
}

/** `(−58%, spot estimate from the AWS Spot Instance Advisor, 2025-06-28)`. */
export function spotBasis(alt: SpotAlternative): string {
  const pct = alt.spot !== null && alt.onDemand > 0 ? `−${Math.round(((alt.onDemand - alt.spot) / alt.onDemand) * 100)}%, ` : '';
  const estimate = alt.note && /estimate/i.test(alt.note) ? 'spot estimate from the AWS Spot Instance Advisor, not a market price' : 'spot price';
  return `(${pct}${estimate}${alt.date ? `, ${alt.date}` : ''})`;
}

/** Sum of priced lines whose query matches `match`. */
export function pricedLines(p: PricedResource | undefined, match: (q: PriceQuery) => boolean): { cost: number; quantity: number; components: CostComponent[] } {
  let cost = 0;
  let quantity = 0;
  const components: CostComponent[] = [];
  for (const c of p ? componentsOf(p) : []) {
    const q = componentQuery(c);
    if (!q || !match(q) || c.monthlyCost === null || c.monthlyQuantity === null) continue;
    cost += c.monthlyCost;
    quantity += c.monthlyQuantity;
    components.push(c);
  }
  return { cost: roundMoney(cost), quantity, components };
}

// ---------------------------------------------------------------------------------------------
// EBS volumes

export interface EbsVolume {
  /** `root_block_device`, `ebs_block_device[0]`, `block_device_mappings[0]`, or '' for the volume itself. */
  name: string;
  type: string;
  /** The type was written (not a default). */
  explicit: boolean;
  sizeGb: number | undefined;
  iops: number | undefined;
  throughput: number | undefined;
  line: number;
  /** How many such volumes run (instances of a group); 1 for a single volume. */
  count: number;
}

function volumeOf(v: ResourceView, name: string, typePath: string, sizePath: string, defaultType: string | undefined, count: number): EbsVolume | undefined {
  const type = v.str(typePath) ?? defaultType;
  if (!type) return undefined;
  return {
    name,
    type,
    explicit: v.str(typePath) !== undefined,
    sizeGb: v.num(sizePath),
    iops: v.num('iops'),
    throughput: v.num('throughput'),
    line: v.line(v.str(typePath) !== undefined ? typePath : sizePath),
    count,
  };
}

/** Instances a group runs, from its priced details (desired size). */
function groupCount(priced: PricedResource | undefined): number | undefined {
  const d = priced?.details ?? {};
  for (const k of ['nodes', 'desiredSize']) if (typeof d[k] === 'number') return d[k] as number;
  return undefined;
}

/**
 * EBS volumes a resource creates: an `aws_ebs_volume` (the AWS provider's default type is gp2), an
 * instance's root and EBS block devices, and the block device mappings of the launch template a
 * node group or Auto Scaling group launches (times its instances). Types the AMI or EKS decide are
 * not listed: they are not written anywhere.
 */
export function ebsVolumesOf(r: Resource, relations: { referenced(r: ResourceView, path: string): ResourceView[] }, priced?: PricedResource): EbsVolume[] {
  const v = viewOf(r);
  const out: EbsVolume[] = [];
  if (r.type === 'aws_ebs_volume') {
    const vol = volumeOf(v, '', 'type', 'size', 'gp2', 1);
    if (vol) out.push(vol);
  } else if (r.type === 'aws_instance') {
    const root = v.list('root_block_device')[0];
    const rv = root ? volumeOf(root, 'root_block_device', 'volume_type', 'volume_size', undefined, 1) : undefined;
    if (rv) out.push(rv);
    v.list('ebs_block_device').forEach((d, i) => {
      const dv = volumeOf(d, `ebs_block_device[${i}]`, 'volume_type', 'volume_size', undefined, 1);
      if (dv) out.push(dv);
    });
  } else if (r.type === 'aws_eks_node_group' || r.type === 'aws_autoscaling_group') {
    const paths = ['launch_template.0.id', 'launch_template.0.name', 'mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id'];
    const lt = paths.map((p) => relations.referenced(v, p).find((x) => x.resource.type === 'aws_launch_template')).find((x) => x !== undefined);
    const count = groupCount(priced);
    if (!lt || count === undefined) return out;
    const sameFile = lt.resource.file === r.file;
    lt.list('block_device_mappings').forEach((m, i) => {
      const ebs = m.list('ebs')[0];
      const vol = ebs ? volumeOf(ebs, `block_device_mappings[${i}]`, 'volume_type', 'volume_size', undefined, count) : undefined;
      if (vol) out.push({ ...vol, line: sameFile ? vol.line : r.line });
    });
  }
  return out;
}

/**
 * gp2's sustained baseline: 3 IOPS per GB (100 to 16,000; below 1,000 GB it bursts to 3,000, which
 * gp3 includes); throughput 128 MiB/s up to 170 GB (gp3's included 125 is taken as equal), then
 * 3 IOPS x 256 KiB per GB (a quarter of the GB count times three) until 250 MiB/s from 334 GB.
 * Above 170 GB and below 334 GB gp2 reaches 250 MiB/s only on burst credits.
 */
export function gp2Baseline(sizeGb: number): { iops: number; throughput: number } {
  const throughput = sizeGb <= 170 ? 125 : sizeGb >= 334 ? 250 : Math.max(125, Math.min(250, Math.ceil((sizeGb * 3) / 4)));
  return { iops: Math.min(16000, Math.max(100, 3 * sizeGb)), throughput };
}

/** gp3 includes 3,000 IOPS and 125 MiB/s; more is provisioned (up to 16,000 IOPS and 1,000 MiB/s). */
export const GP3_INCLUDED = { iops: 3000, throughput: 125, maxIops: 16000, maxThroughput: 1000 };

export type Priced = { ok: true; usd: number } | { ok: false; reason: string };

/** One gp3 volume of `sizeGb` with at least `iops` and `throughput`, per month. */
export function gp3Cost(book: PriceBook, region: string, sizeGb: number, iops: number, throughput: number): Priced {
  const storage = monthlyPrice(book, keys.ebsStorage(region, 'gp3'), sizeGb);
  if (!storage.ok) return storage;
  let usd = storage.usd;
  const extraIops = Math.max(0, iops - GP3_INCLUDED.iops);
  if (extraIops > 0) {
    const p = monthlyPrice(book, keys.ebsIops(region, 'gp3'), extraIops);
    if (!p.ok) return p;
    usd += p.usd;
  }
  const extraThroughput = Math.max(0, throughput - GP3_INCLUDED.throughput);
  if (extraThroughput > 0) {
    const p = monthlyPrice(book, keys.ebsThroughput(region, 'gp3'), extraThroughput);
    if (!p.ok) return p;
    usd += p.usd;
  }
  return { ok: true, usd: roundMoney(usd) };
}

/** One volume of `type` (storage plus provisioned IOPS for io1/io2), per month. */
export function volumeCost(book: PriceBook, region: string, type: string, sizeGb: number, iops: number | undefined): Priced {
  const storage = monthlyPrice(book, keys.ebsStorage(region, type), sizeGb);
  if (!storage.ok) return storage;
  if ((type === 'io1' || type === 'io2') && iops !== undefined) {
    const p = monthlyPrice(book, keys.ebsIops(region, type), iops);
    if (!p.ok) return p;
    return { ok: true, usd: roundMoney(storage.usd + p.usd) };
  }
  return { ok: true, usd: storage.usd };
}

/** A number attribute of a Terraform block that may be written as a string. */
export function numberAt(r: Resource, path: string): number | undefined {
  return viewOf(r).num(path);
}

/** Tags an Auto Scaling group puts on the instances it launches: `tag` blocks with `propagate_at_launch = true`. */
export function asgPropagatedTags(r: Resource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of viewOf(r).list('tag')) {
    const key = t.str('key');
    if (key && t.bool('propagate_at_launch') === true) out[key] = t.str('value') ?? '';
  }
  return out;
}

/** Tags of every `tag` block of an Auto Scaling group (propagated or not). */
export function asgTags(r: Resource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of viewOf(r).list('tag')) {
    const key = t.str('key');
    if (key) out[key] = t.str('value') ?? '';
  }
  return out;
}

/** Tags a launch template's `tag_specifications` put on the instances it launches. */
export function launchTemplateInstanceTags(lt: ResourceView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of lt.list('tag_specifications')) {
    if (spec.str('resource_type') !== 'instance') continue;
    const tags = spec.get('tags');
    if (tags && typeof tags === 'object' && !Array.isArray(tags) && !isUnknown(tags))
      for (const [k, v] of Object.entries(tags)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** The launch template a node group or Auto Scaling group launches from, when it is in the project. */
export function launchTemplateOf(r: Resource, relations: { referenced(r: ResourceView, path: string): ResourceView[] }): ResourceView | undefined {
  const v = viewOf(r);
  const paths = [
    'launch_template.0.id',
    'launch_template.0.name',
    'mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id',
    'mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_name',
  ];
  for (const path of paths) {
    const lt = relations.referenced(v, path).find((x) => x.resource.type === 'aws_launch_template');
    if (lt) return lt;
  }
  return undefined;
}

/** Kubernetes kinds that are training work by nature (Kubeflow training operators). */
export const KUBERNETES_TRAINING_TYPES = new Set(['kubernetes_pytorch_job', 'kubernetes_tf_job']);
