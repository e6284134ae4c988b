/**
 * EKS managed node group: desired_size x instance-hours (on-demand or spot) plus each node's
 * disk. https://aws.amazon.com/eks/pricing/ (nodes are billed as EC2)
 */
import { ebsVolume, instanceHours } from '../common.js';
import type { Pricer, ResourceView } from '../types.js';

/** EKS's documented default for Linux nodes without a launch template. */
const DEFAULT_DISK_GB = 20;
const DEFAULT_DISK_TYPE = 'gp2';
const DEFAULT_INSTANCE_TYPE = 't3.medium';

function scaling(r: ResourceView) {
  const s = r.list('scaling_config')[0];
  return { desired: s?.num('desired_size'), min: s?.num('min_size'), max: s?.num('max_size'), line: s?.line('desired_size') ?? r.line() };
}

function capacity(r: ResourceView): 'on-demand' | 'spot' | 'capacity-block' {
  const c = r.str('capacity_type');
  return c === 'SPOT' ? 'spot' : c === 'CAPACITY_BLOCK' ? 'capacity-block' : 'on-demand';
}

function instanceType(r: ResourceView): { type: string | undefined; why: string; assumption?: string } {
  const types = r.get('instance_types');
  if (Array.isArray(types) && typeof types[0] === 'string') return { type: types[0], why: '' };
  if (types !== undefined) return { type: undefined, why: r.why('instance_types') };
  if (r.list('launch_template').length > 0)
    return { type: undefined, why: 'instance type comes from the launch template, which is not analysed yet' };
  return { type: DEFAULT_INSTANCE_TYPE, why: '', assumption: `instance type ${DEFAULT_INSTANCE_TYPE} assumed (EKS default when instance_types is not set)` };
}

export const awsEksNodeGroup = {
  type: 'aws_eks_node_group',
  components(r) {
    const s = scaling(r);
    const it = instanceType(r);
    const count = s.desired ?? s.min ?? 1;
    const assumptions = [it.assumption, s.desired === undefined ? `${count} node(s) assumed (desired_size is not known)` : undefined].filter(Boolean);
    return [
      instanceHours(r, {
        instanceType: it.type,
        typeWhy: it.why,
        count,
        purchase: capacity(r),
        line: s.line,
        ...(assumptions.length ? { assumption: assumptions.join('; ') } : {}),
      }),
    ];
  },
  subresources(r) {
    if (r.list('launch_template').length > 0) return [];
    const s = scaling(r);
    const count = s.desired ?? s.min ?? 1;
    const disk = r.num('disk_size');
    const [storage] = ebsVolume(r, {
      volumeType: DEFAULT_DISK_TYPE,
      sizeGb: (disk ?? DEFAULT_DISK_GB) * count,
      line: r.line('disk_size'),
      assumption: `${disk === undefined ? `${DEFAULT_DISK_GB} GB ` : ''}${DEFAULT_DISK_TYPE} per node assumed (EKS default disk)`,
    });
    return storage ? [{ name: 'disk', components: [{ ...storage, name: `Node disks (${DEFAULT_DISK_TYPE})` }] }] : [];
  },
  details(r) {
    const s = scaling(r);
    const it = instanceType(r);
    return {
      ...(it.type ? { instanceType: it.type } : {}),
      capacity: capacity(r),
      nodes: s.desired ?? s.min ?? 1,
      ...(s.min !== undefined ? { minSize: s.min } : {}),
      ...(s.max !== undefined ? { maxSize: s.max } : {}),
    };
  },
} satisfies Pricer;
