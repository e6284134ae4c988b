/** Billing rules shared by several pricers (EC2 instances, EBS volumes). */
import { keys } from './keys.js';
import { HOURS_PER_MONTH } from './cost.js';
import type { ComponentSpec, ResourceView } from './types.js';

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
