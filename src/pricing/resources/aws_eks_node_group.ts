/**
 * EKS managed node group: desired_size x instance-hours (on-demand, spot or capacity block) plus
 * each node's disk, read from its launch template when it has one.
 * https://aws.amazon.com/eks/pricing/ (nodes are billed as EC2)
 */
import { ebsVolume, instanceHours } from '../common.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

/** EKS's documented defaults for Linux nodes without a launch template. */
const DEFAULT_DISK_GB = 20;
const DEFAULT_DISK_TYPE = 'gp2';
const DEFAULT_INSTANCE_TYPE = 't3.medium';

function scaling(r: ResourceView) {
  const s = r.list('scaling_config')[0];
  return { desired: s?.num('desired_size'), min: s?.num('min_size'), max: s?.num('max_size'), line: s?.line('desired_size') ?? r.line() };
}

function nodeCount(r: ResourceView): number {
  const s = scaling(r);
  return s.desired ?? s.min ?? 1;
}

/** The same line at max_size nodes: what the group can scale to. */
function withCeiling(spec: ComponentSpec, r: ResourceView, count: number): ComponentSpec {
  const max = scaling(r).max;
  if (max === undefined || max <= count || spec.monthlyQuantity === null || count === 0) return spec;
  return { ...spec, ceilingQuantity: (spec.monthlyQuantity / count) * max };
}

function capacity(r: ResourceView): 'on-demand' | 'spot' | 'capacity-block' {
  const c = r.str('capacity_type');
  return c === 'SPOT' ? 'spot' : c === 'CAPACITY_BLOCK' ? 'capacity-block' : 'on-demand';
}

/** The launch template the node group uses, when it is a resource of the same project. */
function launchTemplate(r: ResourceView, ctx: PricerContext): ResourceView | 'unresolved' | undefined {
  if (r.get('launch_template') === undefined) return undefined;
  const found = [...ctx.referenced(r, 'launch_template.0.id'), ...ctx.referenced(r, 'launch_template.0.name')];
  return found[0] ?? 'unresolved';
}

function instanceType(r: ResourceView, ctx: PricerContext): { type: string | undefined; why: string; assumption?: string } {
  const types = r.get('instance_types');
  if (Array.isArray(types) && typeof types[0] === 'string') return { type: types[0], why: '' };
  if (types !== undefined && types !== null) return { type: undefined, why: r.why('instance_types') };
  const lt = launchTemplate(r, ctx);
  if (lt === 'unresolved') return { type: undefined, why: 'instance type comes from a launch template that is not in this project' };
  if (lt) {
    const t = lt.str('instance_type');
    return t ? { type: t, why: '' } : { type: undefined, why: `launch template ${lt.address}: ${lt.why('instance_type')}` };
  }
  return { type: DEFAULT_INSTANCE_TYPE, why: '', assumption: `instance type ${DEFAULT_INSTANCE_TYPE} assumed (EKS default when instance_types is not set)` };
}

export const awsEksNodeGroup = {
  type: 'aws_eks_node_group',
  components(r, ctx) {
    const s = scaling(r);
    const it = instanceType(r, ctx);
    const count = nodeCount(r);
    const assumptions = [it.assumption, s.desired === undefined ? `${count} node(s) assumed (desired_size is not known)` : undefined].filter(Boolean);
    const hours = instanceHours(r, {
      instanceType: it.type,
      typeWhy: it.why,
      count,
      purchase: capacity(r),
      line: s.line,
      ...(assumptions.length ? { assumption: assumptions.join('; ') } : {}),
    });
    return [withCeiling(hours, r, count)];
  },
  subresources(r, ctx) {
    const count = nodeCount(r);
    const lt = launchTemplate(r, ctx);
    if (lt === 'unresolved') return [];
    if (lt) {
      // Disks as the launch template maps them, for every node.
      const components: ComponentSpec[] = [];
      for (const m of lt.list('block_device_mappings')) {
        const ebs = m.list('ebs')[0];
        if (!ebs) continue;
        const size = ebs.num('volume_size');
        const type = ebs.str('volume_type') ?? DEFAULT_DISK_TYPE;
        for (const c of ebsVolume(r, {
          volumeType: type,
          sizeGb: size === undefined ? undefined : size * count,
          sizeWhy: `launch template ${lt.address}: ${ebs.why('volume_size')}`,
          iops: ebs.num('iops') === undefined ? undefined : (ebs.num('iops') as number) * count,
          throughput: ebs.num('throughput') === undefined ? undefined : (ebs.num('throughput') as number) * count,
          ...(ebs.str('volume_type') ? {} : { assumption: `volume type ${DEFAULT_DISK_TYPE} assumed (provider default)` }),
        }))
          components.push(withCeiling({ ...c, name: `Node disks ${m.str('device_name') ?? ''} ${c.name}`.replace(/\s+/g, ' ') }, r, count));
      }
      return components.length ? [{ name: 'disk', components }] : [];
    }
    const disk = r.num('disk_size');
    const [storage] = ebsVolume(r, {
      volumeType: DEFAULT_DISK_TYPE,
      sizeGb: (disk ?? DEFAULT_DISK_GB) * count,
      line: r.line('disk_size'),
      assumption: `${disk === undefined ? `${DEFAULT_DISK_GB} GB ` : ''}${DEFAULT_DISK_TYPE} per node assumed (EKS default disk)`,
    });
    return storage ? [{ name: 'disk', components: [withCeiling({ ...storage, name: `Node disks (${DEFAULT_DISK_TYPE})` }, r, count)] }] : [];
  },
  details(r, ctx) {
    const s = scaling(r);
    const it = instanceType(r, ctx);
    return {
      ...(it.type ? { instanceType: it.type } : {}),
      capacity: capacity(r),
      nodes: nodeCount(r),
      ...(s.min !== undefined ? { minSize: s.min } : {}),
      ...(s.max !== undefined ? { maxSize: s.max } : {}),
    };
  },
} satisfies Pricer;
