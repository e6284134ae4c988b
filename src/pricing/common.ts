/** Billing rules shared by several pricers (EC2 instances, EBS volumes, launch templates, Fargate). */
import { keys } from './keys.js';
import { HOURS_PER_MONTH } from './cost.js';
import type { ComponentSpec, ResourceView, SubresourceSpec } from './types.js';

export type Purchase = 'on-demand' | 'spot' | 'capacity-block';

/** Instance-hours of `count` instances of a type, on-demand or spot. */
export function instanceHours(r: ResourceView, opts: {
  instanceType: string | undefined;
  typeWhy: string;
  count: number;
  purchase: Purchase;
  line?: number;
  label?: string;
  assumption?: string;
}): ComponentSpec {
  const { instanceType, count, purchase } = opts;
  const name = `${opts.label ?? 'Instance usage'} (Linux/UNIX, ${purchase}, ${instanceType ?? 'unknown type'})`;
  const base = { name, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH * count, line: opts.line, ...(opts.assumption ? { assumption: opts.assumption } : {}) };
  if (!instanceType) return { ...base, price: null, unpricedReason: opts.typeWhy };
  if (!r.region) return { ...base, price: null, unpricedReason: 'region is unknown' };
  const price =
    purchase === 'spot'
      ? keys.ec2Spot(r.region, instanceType)
      : purchase === 'capacity-block'
        ? keys.ec2CapacityBlock(r.region, instanceType)
        : keys.ec2Instance(r.region, instanceType);
  return { ...base, price };
}

/** Default EBS volume sizes and IOPS/throughput included in the base price. */
const GP3_FREE_IOPS = 3000;
const GP3_FREE_THROUGHPUT = 125;

/**
 * Storage, IOPS and throughput lines of one EBS volume. `sizeAssumed` labels a size the
 * pricer did not read from the configuration.
 */
export function ebsVolume(r: ResourceView, v: {
  volumeType: string;
  sizeGb: number | undefined;
  sizeWhy?: string;
  iops?: number;
  throughput?: number;
  /** Magnetic volumes: I/O requests per month from usage. */
  ioRequests?: number;
  line?: number;
  assumption?: string;
}): ComponentSpec[] {
  const region = r.region;
  const type = v.volumeType;
  const out: ComponentSpec[] = [];
  const common = { line: v.line };
  if (!region) return [{ name: `Storage (${type})`, unit: 'GB', monthlyQuantity: v.sizeGb ?? null, price: null, unpricedReason: 'region is unknown', ...common }];
  out.push({
    name: `Storage (${type})`,
    unit: 'GB',
    monthlyQuantity: v.sizeGb ?? null,
    price: keys.ebsStorage(region, type),
    ...(v.sizeGb === undefined ? { unpricedReason: v.sizeWhy ?? 'volume size is unknown' } : {}),
    ...(v.assumption ? { assumption: v.assumption } : {}),
    ...common,
  });
  if (type === 'gp3') {
    if (v.iops !== undefined && v.iops > GP3_FREE_IOPS)
      out.push({ name: 'Provisioned IOPS (above 3,000)', unit: 'IOPS', monthlyQuantity: v.iops - GP3_FREE_IOPS, price: keys.ebsIops(region, 'gp3'), ...common });
    if (v.throughput !== undefined && v.throughput > GP3_FREE_THROUGHPUT)
      out.push({ name: 'Provisioned throughput (above 125 MiB/s)', unit: 'MiB/s', monthlyQuantity: v.throughput - GP3_FREE_THROUGHPUT, price: keys.ebsThroughput(region, 'gp3'), ...common });
  } else if (type === 'io1' || type === 'io2') {
    out.push({
      name: 'Provisioned IOPS',
      unit: 'IOPS',
      monthlyQuantity: v.iops ?? null,
      price: keys.ebsIops(region, type),
      ...(v.iops === undefined ? { unpricedReason: `iops is not set (required for ${type})` } : {}),
      ...common,
    });
  } else if (type === 'standard') {
    out.push({ name: 'I/O requests', unit: 'requests', monthlyQuantity: v.ioRequests ?? null, price: keys.ebsIoRequests(region), usageBased: true, usageKey: 'monthly_standard_io_requests', ...common });
  }
  return out;
}

/**
 * The same lines for `n` instances: each quantity times `n` (one volume per instance of a group);
 * with `ceilingN`, the quantity at that many instances too (the group's max size).
 */
export function perInstance(specs: ComponentSpec[], n: number, ceilingN?: number): ComponentSpec[] {
  return specs.map((s) => ({
    ...s,
    monthlyQuantity: s.monthlyQuantity === null ? null : s.monthlyQuantity * n,
    ...(ceilingN !== undefined && ceilingN > n && s.monthlyQuantity !== null ? { ceilingQuantity: s.monthlyQuantity * ceilingN } : {}),
  }));
}

/** EC2's root volume when the configuration does not say: the AMI decides; 8 GB gp2 is the common case. */
export const ROOT_DEFAULT_GB = 8;
/** Volume type of a new EBS volume when none is given (EC2 API default). */
export const EBS_DEFAULT_TYPE = 'gp2';

/**
 * Root and EBS block devices in the shape of aws_instance (`root_block_device`, `ebs_block_device`)
 * for `count` instances. `spec` is the resource or a nested block of it (a spot fleet's
 * launch_specification).
 */
export function instanceBlockDevices(r: ResourceView, spec: ResourceView, opts: { count?: number; rootIoRequests?: number } = {}): SubresourceSpec[] {
  const count = opts.count ?? 1;
  const subs: SubresourceSpec[] = [];
  const root = spec.list('root_block_device')[0];
  const rootType = root?.str('volume_type');
  const rootSize = root?.num('volume_size');
  const assumed: string[] = [];
  if (!rootSize) assumed.push(`${ROOT_DEFAULT_GB} GB`);
  if (!rootType) assumed.push(EBS_DEFAULT_TYPE);
  subs.push({
    name: 'root_block_device',
    line: root?.line() ?? spec.line(),
    components: perInstance(
      ebsVolume(r, {
        volumeType: rootType ?? EBS_DEFAULT_TYPE,
        sizeGb: rootSize ?? ROOT_DEFAULT_GB,
        iops: root?.num('iops'),
        throughput: root?.num('throughput'),
        ioRequests: opts.rootIoRequests,
        line: root?.line('volume_size'),
        ...(assumed.length
          ? { assumption: `root volume ${assumed.join(' ')} assumed (the AMI decides; set root_block_device to be exact)` }
          : {}),
      }),
      count,
    ),
  });
  spec.list('ebs_block_device').forEach((d, i) => {
    subs.push({
      name: `ebs_block_device[${i}]`,
      line: d.line(),
      components: perInstance(
        ebsVolume(r, {
          volumeType: d.str('volume_type') ?? EBS_DEFAULT_TYPE,
          sizeGb: d.num('volume_size'),
          sizeWhy: d.why('volume_size'),
          iops: d.num('iops'),
          throughput: d.num('throughput'),
          line: d.line('volume_size'),
          ...(d.str('volume_type') ? {} : { assumption: `volume type ${EBS_DEFAULT_TYPE} assumed (provider default)` }),
        }),
        count,
      ),
    });
  });
  return subs;
}

/**
 * EBS volumes of a launch template's `block_device_mappings` for `count` instances launched from
 * it (with `ceilingCount`, also at the most the group scales to). Without mappings the AMI's root
 * volume applies (8 GB gp2 assumed, labelled).
 */
export function launchTemplateDisks(r: ResourceView, lt: ResourceView, count: number, ceilingCount?: number): SubresourceSpec[] {
  // Lines point into the template when it is in the same file as `r`; otherwise at `r` itself.
  const here = lt.resource.file === r.resource.file;
  const at = (line: number) => (here ? line : r.line());
  const mappings = lt.list('block_device_mappings').filter((m) => m.list('ebs').length > 0);
  if (mappings.length === 0) {
    return [{
      name: 'root_block_device',
      line: at(lt.line()),
      components: perInstance(
        ebsVolume(r, {
          volumeType: EBS_DEFAULT_TYPE,
          sizeGb: ROOT_DEFAULT_GB,
          assumption: `root volume ${ROOT_DEFAULT_GB} GB ${EBS_DEFAULT_TYPE} per instance assumed (the AMI decides; set block_device_mappings in ${lt.address} to be exact)`,
        }),
        count,
        ceilingCount,
      ),
    }];
  }
  return mappings.map((m, i) => {
    const ebs = m.list('ebs')[0] as ResourceView;
    const type = ebs.str('volume_type');
    return {
      name: `block_device_mappings[${i}]`,
      line: at(m.line()),
      components: perInstance(
        ebsVolume(r, {
          volumeType: type ?? EBS_DEFAULT_TYPE,
          sizeGb: ebs.num('volume_size'),
          sizeWhy: `${lt.address}: ${ebs.why('volume_size')} (the AMI's snapshot decides)`,
          iops: ebs.num('iops'),
          throughput: ebs.num('throughput'),
          ...(here ? { line: ebs.line('volume_size') } : {}),
          ...(type ? {} : { assumption: `volume type ${EBS_DEFAULT_TYPE} assumed (EC2 default)` }),
        }),
        count,
        ceilingCount,
      ),
    };
  });
}

export type FargateArch = 'x86' | 'arm';

/**
 * Fargate vCPU-hours and GB-hours (on-demand or Fargate Spot). Quantities are null when they
 * depend on usage nobody gave; `usage` then names the keys that set them.
 */
export function fargateCompute(r: ResourceView, opts: {
  vcpuHours: number | null;
  gbHours: number | null;
  arch: FargateArch;
  spot?: boolean;
  usage?: { vcpu: string; memory: string };
  assumption?: string;
  line?: number;
}): ComponentSpec[] {
  const market = opts.spot ? 'Fargate Spot' : 'Fargate';
  const region = r.region;
  const common = {
    ...(opts.usage ? { usageBased: true } : {}),
    ...(opts.assumption ? { assumption: opts.assumption } : {}),
    ...(opts.line ? { line: opts.line } : {}),
  };
  const price = (dim: 'vcpu' | 'memory') =>
    !region ? null
      : dim === 'vcpu' ? (opts.spot ? keys.fargateSpotVcpu(region, opts.arch) : keys.fargateVcpu(region, opts.arch))
        : opts.spot ? keys.fargateSpotMemory(region, opts.arch) : keys.fargateMemory(region, opts.arch);
  const noRegion = region ? {} : { unpricedReason: 'region is unknown' };
  return [
    { name: `vCPU (${market}, Linux/${opts.arch})`, unit: 'vCPU-hours', monthlyQuantity: opts.vcpuHours, price: price('vcpu'), ...common, ...(opts.usage ? { usageKey: opts.usage.vcpu } : {}), ...noRegion },
    { name: `Memory (${market}, Linux/${opts.arch})`, unit: 'GB-hours', monthlyQuantity: opts.gbHours, price: price('memory'), ...common, ...(opts.usage ? { usageKey: opts.usage.memory } : {}), ...noRegion },
  ];
}
