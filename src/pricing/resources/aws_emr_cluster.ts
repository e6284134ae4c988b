/**
 * EMR cluster: instance-hours of its master, core and task nodes (instance groups or fleets) at
 * EC2 prices, the EMR fee per instance-hour on top, and the nodes' EBS volumes.
 * https://aws.amazon.com/emr/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { ebsVolume, EBS_DEFAULT_TYPE, instanceHours, perInstance } from '../common.js';
import type { Purchase } from '../common.js';
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView, SubresourceSpec } from '../types.js';

/** Hours the cluster runs in a month, from usage, for clusters that end on their own. */
const HOURS = 'monthly_hours';

/** One set of identical nodes: a group, or one purchase option of a fleet. */
interface NodeSet {
  /** `master`, `core` or `task <name>` (fee line names). */
  role: string;
  /** Instance-hours line label: `Master nodes`, `Task nodes [spot]`. */
  label: string;
  /** Where the set is declared, for subresource names (`core_instance_group`). */
  where: string;
  block: ResourceView;
  instanceType: string | undefined;
  typeWhy: string;
  count: number;
  purchase: Purchase;
  assumption?: string;
}

function groupSet(role: string, label: string, where: string, g: ResourceView, defaultCount: number): NodeSet {
  return {
    role,
    label,
    where,
    block: g,
    instanceType: g.str('instance_type'),
    typeWhy: g.why('instance_type'),
    count: g.num('instance_count', defaultCount),
    // A bid price makes an instance group use spot instances.
    purchase: g.get('bid_price') !== undefined && g.get('bid_price') !== null ? 'spot' : 'on-demand',
  };
}

function fleetSets(role: string, label: string, where: string, f: ResourceView): NodeSet[] {
  const configs = f.list('instance_type_configs');
  const first = configs[0];
  const weight = first?.num('weighted_capacity', 1) || 1;
  const types = configs.map((c) => c.str('instance_type')).filter((t): t is string => t !== undefined);
  const instanceType = first?.str('instance_type');
  const assumption = types.length > 1 ? `${instanceType} (listed first) assumed for the whole fleet; EMR may launch any of ${types.join(', ')}` : undefined;
  const sets: NodeSet[] = [];
  for (const [purchase, attr] of [['on-demand', 'target_on_demand_capacity'], ['spot', 'target_spot_capacity']] as const) {
    const units = f.num(attr, 0);
    if (units <= 0) continue;
    sets.push({
      role,
      label,
      where,
      block: first ?? f,
      instanceType,
      typeWhy: first ? first.why('instance_type') : f.why('instance_type_configs'),
      count: Math.ceil(units / weight),
      purchase,
      ...(assumption || weight !== 1
        ? { assumption: [assumption, weight !== 1 ? `capacity counted in units of weighted_capacity ${weight}` : undefined].filter(Boolean).join('; ') }
        : {}),
    });
  }
  return sets;
}

function nodeSets(r: ResourceView, ctx: PricerContext): NodeSet[] {
  const sets: NodeSet[] = [];
  for (const role of ['master', 'core'] as const) {
    const group = r.list(`${role}_instance_group`)[0];
    const fleet = r.list(`${role}_instance_fleet`)[0];
    const label = role === 'master' ? 'Master nodes' : 'Core nodes';
    if (group) sets.push(groupSet(role, label, `${role}_instance_group`, group, 1));
    else if (fleet) sets.push(...fleetSets(role, label, `${role}_instance_fleet`, fleet));
  }
  // Task nodes are separate resources that name the cluster.
  for (const g of ctx.referencing(r, 'aws_emr_instance_group')) {
    const name = g.str('name') ?? g.address;
    sets.push(groupSet(`task ${name}`, `Task nodes [${name}]`, g.address, g, 0));
  }
  for (const f of ctx.referencing(r, 'aws_emr_instance_fleet')) {
    const name = f.str('name') ?? f.address;
    sets.push(...fleetSets(`task ${name}`, `Task nodes [${name}]`, f.address, f));
  }
  return sets;
}

/** Hours per month the cluster runs: usage, else all month unless it terminates by itself. */
function clusterHours(r: ResourceView, ctx: PricerContext): { hours: number | null; assumption?: string; usageBased: boolean } {
  const given = ctx.usage.num(HOURS);
  if (given !== undefined) return { hours: given, usageBased: true };
  if (r.bool('keep_job_flow_alive_when_no_steps') === false)
    return { hours: null, usageBased: true };
  if (r.list('auto_termination_policy').length > 0)
    return { hours: HOURS_PER_MONTH, usageBased: false, assumption: `running all month assumed (auto_termination_policy ends it when idle; set usage ${HOURS})` };
  return { hours: HOURS_PER_MONTH, usageBased: false };
}

export const awsEmrCluster = {
  type: 'aws_emr_cluster',
  components(r, ctx) {
    const h = clusterHours(r, ctx);
    const out: ComponentSpec[] = [];
    for (const s of nodeSets(r, ctx)) {
      const assumption = [s.assumption, h.assumption].filter(Boolean).join('; ');
      const usage = h.usageBased ? { usageBased: true, usageKey: HOURS } : {};
      const quantity = h.hours === null ? null : h.hours * s.count;
      // Task groups are other resources, maybe in other files: lines only point into this file.
      const line = s.block.resource.file === r.resource.file ? s.block.line('instance_type') : r.line();
      const ec2 = instanceHours(r, { instanceType: s.instanceType, typeWhy: s.typeWhy, count: s.count, purchase: s.purchase, line, label: s.label, ...(assumption ? { assumption } : {}) });
      out.push({ ...ec2, monthlyQuantity: quantity, ...usage });
      const fee: ComponentSpec = { name: `EMR fee (${s.role}, ${s.purchase}, ${s.instanceType ?? 'unknown type'})`, unit: 'hours', monthlyQuantity: quantity, price: null, line, ...usage, ...(assumption ? { assumption } : {}) };
      if (!s.instanceType) out.push({ ...fee, unpricedReason: s.typeWhy });
      else if (!r.region) out.push({ ...fee, unpricedReason: 'region is unknown' });
      else out.push({ ...fee, price: keys.emrFee(r.region, s.instanceType) });
    }
    if (out.length === 0) out.push({ name: 'Nodes', unit: 'hours', monthlyQuantity: null, price: null, unpricedReason: 'no master or core instance group or fleet is set', line: r.line() });
    return out;
  },
  subresources(r, ctx) {
    const h = clusterHours(r, ctx);
    const subs: SubresourceSpec[] = [];
    // One set of volumes per node: a fleet's on-demand and spot nodes share its configuration.
    const byBlock = new Map<string, { where: string; block: ResourceView; count: number }>();
    for (const s of nodeSets(r, ctx)) {
      const seen = byBlock.get(s.where);
      if (seen) seen.count += s.count;
      else byBlock.set(s.where, { where: s.where, block: s.block, count: s.count });
    }
    // EBS is billed per GB-month for the time the volumes exist (the cluster's hours).
    const share = h.hours === null ? null : h.hours / HOURS_PER_MONTH;
    for (const { where, block, count } of byBlock.values()) {
      block.list('ebs_config').forEach((e, i) => {
        const type = e.str('type');
        const specs = perInstance(
          ebsVolume(r, {
            volumeType: type ?? EBS_DEFAULT_TYPE,
            sizeGb: e.num('size'),
            sizeWhy: e.why('size'),
            iops: e.num('iops'),
            throughput: e.num('throughput'),
            line: e.line('size'),
            ...(type ? {} : { assumption: `volume type ${EBS_DEFAULT_TYPE} assumed` }),
          }),
          e.num('volumes_per_instance', 1) * count,
        ).map((c) => ({ ...c, monthlyQuantity: share === null || c.monthlyQuantity === null ? null : c.monthlyQuantity * share, ...(h.usageBased ? { usageBased: true, usageKey: HOURS } : {}) }));
        subs.push({ name: `${where}.ebs_config[${i}]`, line: block.resource.file === r.resource.file ? e.line() : r.line(), components: block.resource.file === r.resource.file ? specs : specs.map(({ line: _line, ...c }) => c) });
      });
    }
    return subs;
  },
  details(r, ctx) {
    const sets = nodeSets(r, ctx);
    return {
      nodes: sets.reduce((a, s) => a + s.count, 0),
      ...(r.str('release_label') ? { releaseLabel: r.str('release_label') } : {}),
    };
  },
} satisfies Pricer;
