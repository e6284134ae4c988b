/**
 * Auto Scaling group: desired capacity x instance-hours of its launch template's instance type
 * (on-demand and spot split by a mixed instances policy) plus each instance's EBS volumes; the
 * ceiling is the same at max_size. https://aws.amazon.com/ec2/pricing/on-demand/ (Auto Scaling is free)
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { instanceHours, launchTemplateDisks } from '../common.js';
import type { Purchase } from '../common.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

const MIXED_LT = 'mixed_instances_policy.0.launch_template.0.launch_template_specification.0';

/** Attributes that may name the launch template, in the order they are tried. */
const TEMPLATE_PATHS = ['launch_template.0.id', 'launch_template.0.name', `${MIXED_LT}.launch_template_id`, `${MIXED_LT}.launch_template_name`];

interface Template {
  lt?: ResourceView;
  why: string;
}

function launchTemplate(r: ResourceView, ctx: PricerContext): Template {
  for (const path of TEMPLATE_PATHS) {
    const lt = ctx.referenced(r, path).find((x) => x.resource.type === 'aws_launch_template');
    if (lt) return { lt, why: '' };
  }
  for (const path of TEMPLATE_PATHS) {
    const v = r.get(path);
    if (typeof v === 'string') return { why: `launch template ${v} is not defined in this project` };
    if (v !== undefined && v !== null) return { why: r.why(path) };
  }
  if (r.get('launch_configuration') !== undefined) return { why: 'launch configurations (aws_launch_configuration) are not priced yet' };
  return { why: 'no launch template is set' };
}

interface Capacity {
  /** Instances the group runs (desired_capacity, else min_size); undefined when unknown. */
  count: number | undefined;
  why: string;
  assumption?: string;
  desired?: number;
  min?: number;
  max?: number;
}

function capacity(r: ResourceView): Capacity {
  const desired = r.num('desired_capacity');
  const min = r.num('min_size');
  const max = r.num('max_size');
  const sizes = { ...(desired !== undefined ? { desired } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  if (desired !== undefined) return { count: desired, why: '', ...sizes };
  if (min !== undefined)
    return { count: min, why: '', assumption: `${min} instance(s) assumed (desired_capacity is not set; min_size used)`, ...sizes };
  return { count: undefined, why: `${r.why('desired_capacity')} and ${r.why('min_size')}`, ...sizes };
}

interface Plan {
  instanceType: string | undefined;
  typeWhy: string;
  onDemand: number;
  spot: number;
  /** Purchase option of the non-spot part (capacity blocks come from the template's market options). */
  purchase: Purchase;
  assumptions: string[];
  line: number;
}

/** Instance type and on-demand/spot split of the group's instances. */
function plan(r: ResourceView, lt: ResourceView, count: number): Plan {
  const mixed = r.list('mixed_instances_policy')[0];
  const assumptions: string[] = [];
  let instanceType = lt.str('instance_type');
  let typeWhy = lt.list('instance_requirements').length > 0
    ? `${lt.address} selects instance types by instance_requirements (AWS picks them at launch)`
    : `${lt.address}: ${lt.why('instance_type')}`;
  let line = r.line(r.get('desired_capacity') === undefined ? 'min_size' : 'desired_capacity');
  if (!mixed) {
    const market = lt.str('instance_market_options.0.market_type');
    if (market === 'spot') return { instanceType, typeWhy, onDemand: 0, spot: count, purchase: 'on-demand', assumptions, line };
    return { instanceType, typeWhy, onDemand: count, spot: 0, purchase: market === 'capacity-block' ? 'capacity-block' : 'on-demand', assumptions, line };
  }
  const overrides = mixed.list('launch_template.0.override');
  const first = overrides[0];
  let weight = 1;
  if (first) {
    const types = overrides.map((o) => o.str('instance_type')).filter((t): t is string => t !== undefined);
    if (first.str('instance_type')) {
      instanceType = first.str('instance_type');
      line = first.line('instance_type');
      if (types.length > 1) assumptions.push(`${instanceType} (the first override) assumed for all instances; the group may launch any of ${types.join(', ')}`);
    } else if (first.list('instance_requirements').length > 0) {
      instanceType = undefined;
      typeWhy = 'the override selects instance types by instance_requirements (AWS picks them at launch)';
    }
    weight = first.num('weighted_capacity', 1) || 1;
  }
  const dist = mixed.list('instances_distribution')[0];
  const base = Math.min(count, dist?.num('on_demand_base_capacity', 0) ?? 0);
  const pct = dist?.num('on_demand_percentage_above_base_capacity', 100) ?? 100;
  const onDemandUnits = base + Math.ceil(((count - base) * pct) / 100);
  const spotUnits = count - onDemandUnits;
  assumptions.push(`on-demand = ${base} base + ${pct}% of the other ${count - base}, rounded up; the rest spot`);
  let onDemand = onDemandUnits;
  let spot = spotUnits;
  if (weight !== 1) {
    onDemand = Math.ceil(onDemandUnits / weight);
    spot = Math.ceil(spotUnits / weight);
    assumptions.push(`capacity counted in units of weighted_capacity ${weight} per ${instanceType ?? 'instance'}`);
  }
  return { instanceType, typeWhy, onDemand, spot, purchase: 'on-demand', assumptions, line };
}

export const awsAutoscalingGroup = {
  type: 'aws_autoscaling_group',
  components(r, ctx) {
    const { lt, why } = launchTemplate(r, ctx);
    const cap = capacity(r);
    if (!lt || cap.count === undefined) {
      return [{ name: 'Instance usage (Linux/UNIX)', unit: 'hours', monthlyQuantity: null, price: null, unpricedReason: lt ? cap.why : why, line: r.line() }];
    }
    const p = plan(r, lt, cap.count);
    // The same split at max_size: what the group can scale to.
    const top = cap.max !== undefined && cap.max > cap.count ? plan(r, lt, cap.max) : undefined;
    const assumption = [cap.assumption, ...p.assumptions].filter(Boolean).join('; ');
    const out: ComponentSpec[] = [];
    const tenancy = lt.str('placement.0.tenancy');
    const add = (count: number, ceiling: number | undefined, purchase: Purchase) => {
      const spec = instanceHours(r, { instanceType: p.instanceType, typeWhy: p.typeWhy, count, purchase, line: p.line, ...(assumption ? { assumption } : {}) });
      const scaled = ceiling !== undefined && ceiling > count ? { ...spec, ceilingQuantity: ceiling * HOURS_PER_MONTH } : spec;
      out.push(tenancy === 'dedicated' || tenancy === 'host' ? { ...scaled, price: null, unpricedReason: `${tenancy} tenancy is not in the price snapshot (shared tenancy only)` } : scaled);
    };
    if (p.onDemand > 0 || p.spot === 0 || (top?.onDemand ?? 0) > 0) add(p.onDemand, top?.onDemand, p.purchase);
    if (p.spot > 0 || (top?.spot ?? 0) > 0) add(p.spot, top?.spot, 'spot');
    return out;
  },
  subresources(r, ctx) {
    const { lt } = launchTemplate(r, ctx);
    const cap = capacity(r);
    if (!lt || cap.count === undefined) return [];
    const p = plan(r, lt, cap.count);
    const top = cap.max !== undefined && cap.max > cap.count ? plan(r, lt, cap.max) : undefined;
    return launchTemplateDisks(r, lt, p.onDemand + p.spot, top ? top.onDemand + top.spot : undefined);
  },
  details(r, ctx) {
    const { lt } = launchTemplate(r, ctx);
    const cap = capacity(r);
    const p = lt && cap.count !== undefined ? plan(r, lt, cap.count) : undefined;
    return {
      ...(cap.desired !== undefined ? { desiredSize: cap.desired } : {}),
      ...(cap.min !== undefined ? { minSize: cap.min } : {}),
      ...(cap.max !== undefined ? { maxSize: cap.max } : {}),
      ...(lt ? { launchTemplate: lt.address } : {}),
      ...(p?.instanceType ? { instanceType: p.instanceType } : {}),
      ...(p ? { onDemandInstances: p.onDemand, spotInstances: p.spot } : {}),
    };
  },
} satisfies Pricer;
