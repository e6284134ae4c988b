/**
 * Spot fleet: target_capacity worth of instances (spot estimate; on_demand_target_capacity at
 * on-demand prices) of its launch specification or launch template, plus their EBS volumes.
 * https://aws.amazon.com/ec2/spot/pricing/
 */
import { instanceBlockDevices, instanceHours, launchTemplateDisks } from '../common.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView, SubresourceSpec } from '../types.js';

const LT_SPEC = 'launch_template_config.0.launch_template_specification.0';

interface Fleet {
  instanceType: string | undefined;
  typeWhy: string;
  /** Instances per purchase option; undefined when capacity cannot be turned into instances. */
  onDemand: number | undefined;
  spot: number | undefined;
  countWhy: string;
  assumptions: string[];
  /** Where the disks come from. */
  spec?: ResourceView;
  lt?: ResourceView;
  line: number;
}

function launchTemplate(r: ResourceView, ctx: PricerContext): { lt?: ResourceView; why: string } {
  for (const path of [`${LT_SPEC}.id`, `${LT_SPEC}.name`]) {
    const lt = ctx.referenced(r, path).find((x) => x.resource.type === 'aws_launch_template');
    if (lt) return { lt, why: '' };
  }
  const v = r.get(`${LT_SPEC}.id`) ?? r.get(`${LT_SPEC}.name`);
  if (typeof v === 'string') return { why: `launch template ${v} is not defined in this project` };
  return { why: r.why(`${LT_SPEC}.id`) };
}

function fleet(r: ResourceView, ctx: PricerContext): Fleet {
  const assumptions: string[] = [];
  const specs = r.list('launch_specification');
  let instanceType: string | undefined;
  let typeWhy: string;
  let weight = 1;
  let spec: ResourceView | undefined;
  let lt: ResourceView | undefined;
  let line = r.line('target_capacity');
  let choices: string[] = [];
  if (specs.length > 0) {
    spec = specs[0] as ResourceView;
    instanceType = spec.str('instance_type');
    typeWhy = spec.why('instance_type');
    weight = spec.num('weighted_capacity', 1) || 1;
    choices = specs.map((s) => s.str('instance_type')).filter((t): t is string => t !== undefined);
    line = spec.line('instance_type');
  } else {
    const found = launchTemplate(r, ctx);
    lt = found.lt;
    const overrides = r.list('launch_template_config.0.overrides');
    const first = overrides[0];
    instanceType = first?.str('instance_type') ?? lt?.str('instance_type');
    typeWhy = lt ? `${lt.address}: ${lt.why('instance_type')}` : found.why;
    if (first?.str('instance_type')) line = first.line('instance_type');
    weight = first?.num('weighted_capacity', 1) || 1;
    choices = overrides.map((o) => o.str('instance_type')).filter((t): t is string => t !== undefined);
  }
  if (choices.length > 1) assumptions.push(`${instanceType} (listed first) assumed for all instances; the fleet may launch any of ${[...new Set(choices)].join(', ')}`);
  const target = r.num('target_capacity');
  const onDemandTarget = Math.min(target ?? 0, r.num('on_demand_target_capacity', 0));
  const unit = r.str('target_capacity_unit_type') ?? 'units';
  let perInstance: number | undefined = weight;
  let countWhy = target === undefined ? r.why('target_capacity') : '';
  if (unit === 'vcpu' || unit === 'memory-mib') {
    const hw = instanceType ? ctx.instanceSpec(instanceType) : undefined;
    perInstance = hw ? (unit === 'vcpu' ? hw.vcpu : hw.memoryGiB * 1024) : undefined;
    if (perInstance === undefined) countWhy = `capacity is in ${unit} and the size of ${instanceType ?? 'the instance type'} is not known`;
    else assumptions.push(`target capacity in ${unit}: ${perInstance} per ${instanceType}`);
  } else if (weight !== 1) assumptions.push(`capacity counted in units of weighted_capacity ${weight} per ${instanceType ?? 'instance'}`);
  const instances = (units: number) => (perInstance === undefined ? undefined : Math.ceil(units / perInstance));
  return {
    instanceType,
    typeWhy,
    onDemand: target === undefined ? undefined : instances(onDemandTarget),
    spot: target === undefined ? undefined : instances(target - onDemandTarget),
    countWhy,
    assumptions,
    ...(spec ? { spec } : {}),
    ...(lt ? { lt } : {}),
    line,
  };
}

export const awsSpotFleetRequest = {
  type: 'aws_spot_fleet_request',
  components(r, ctx) {
    const f = fleet(r, ctx);
    if (f.onDemand === undefined || f.spot === undefined)
      return [{ name: `Instance usage (Linux/UNIX, spot, ${f.instanceType ?? 'unknown type'})`, unit: 'hours', monthlyQuantity: null, price: null, unpricedReason: f.countWhy, line: r.line('target_capacity') }];
    const assumption = f.assumptions.join('; ');
    const out: ComponentSpec[] = [];
    const opts = { instanceType: f.instanceType, typeWhy: f.typeWhy, line: f.line, ...(assumption ? { assumption } : {}) };
    if (f.spot > 0 || f.onDemand === 0) out.push(instanceHours(r, { ...opts, count: f.spot, purchase: 'spot' }));
    if (f.onDemand > 0) out.push(instanceHours(r, { ...opts, count: f.onDemand, purchase: 'on-demand' }));
    return out;
  },
  subresources(r, ctx): SubresourceSpec[] {
    const f = fleet(r, ctx);
    if (f.onDemand === undefined || f.spot === undefined) return [];
    const count = f.onDemand + f.spot;
    if (f.spec) return instanceBlockDevices(r, f.spec, { count });
    if (f.lt) return launchTemplateDisks(r, f.lt, count);
    return [];
  },
  details(r, ctx) {
    const f = fleet(r, ctx);
    return {
      ...(r.num('target_capacity') !== undefined ? { targetCapacity: r.num('target_capacity') } : {}),
      ...(f.instanceType ? { instanceType: f.instanceType } : {}),
      ...(f.spot !== undefined ? { spotInstances: f.spot } : {}),
      ...(f.onDemand !== undefined ? { onDemandInstances: f.onDemand } : {}),
    };
  },
} satisfies Pricer;
