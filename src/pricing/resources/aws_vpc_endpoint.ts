/**
 * VPC endpoint. Interface: per AZ-hour (one AZ per subnet) plus data processed (usage, tiered);
 * Gateway Load Balancer endpoints per hour and GB; Gateway endpoints (S3, DynamoDB) are free.
 * https://aws.amazon.com/privatelink/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine, usageLine } from '../lines.js';
import type { Pricer, ResourceView } from '../types.js';

const DEFAULT_TYPE = 'Gateway';

/** AZs an interface endpoint has a network interface in: one per subnet. */
function zones(r: ResourceView): { count?: number; why?: string; assumption?: string } {
  const ids = r.get('subnet_ids');
  if (Array.isArray(ids)) return ids.length > 0 ? { count: ids.length } : { count: 1, assumption: '1 AZ assumed (subnet_ids is empty)' };
  if (ids !== undefined && ids !== null) return { why: r.why('subnet_ids') };
  const configs = r.list('subnet_configuration');
  if (configs.length > 0) return { count: configs.length };
  return { count: 1, assumption: '1 AZ assumed (subnet_ids is not set)' };
}

export const awsVpcEndpoint = {
  type: 'aws_vpc_endpoint',
  components(r, ctx) {
    const type = r.str('vpc_endpoint_type') ?? (r.get('vpc_endpoint_type') === undefined ? DEFAULT_TYPE : undefined);
    const line = r.line('vpc_endpoint_type');
    if (type === undefined) return [unpricedLine({ name: 'VPC endpoint', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, r.why('vpc_endpoint_type'))];
    // Gateway endpoints (S3, DynamoDB) have no hourly or data processing charge: no line, $0.
    if (type === 'Gateway') return [];
    if (type === 'GatewayLoadBalancer')
      return [
        regionalLine(r, { name: 'Gateway Load Balancer endpoint', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, (g) => keys.vpcEndpointGwlb(g, 'hour')),
        usageLine(r, ctx.usage, { name: 'Data processed', unit: 'GB', usageKey: 'monthly_data_processed_gb' }, (g) => keys.vpcEndpointGwlb(g, 'gb')),
      ];
    if (type !== 'Interface')
      return [unpricedLine({ name: `${type} endpoint`, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, `${type} VPC endpoints are not priced by mlcost yet`)];
    const z = zones(r);
    const hours = { name: 'Interface endpoint (per AZ)', unit: 'hours', line: r.line('subnet_ids'), ...(z.assumption ? { assumption: z.assumption } : {}) };
    return [
      z.count === undefined
        ? unpricedLine({ ...hours, monthlyQuantity: null }, z.why ?? 'subnet_ids is unknown')
        : regionalLine(r, { ...hours, monthlyQuantity: HOURS_PER_MONTH * z.count }, (g) => keys.vpcEndpointHour(g)),
      usageLine(r, ctx.usage, { name: 'Data processed', unit: 'GB', usageKey: 'monthly_data_processed_gb' }, (g) => keys.vpcEndpointData(g)),
    ];
  },
  details(r) {
    const type = r.str('vpc_endpoint_type') ?? DEFAULT_TYPE;
    const z = type === 'Interface' ? zones(r) : {};
    return {
      endpointType: type,
      ...(type === 'Gateway' ? { noCharge: 'gateway endpoints (S3, DynamoDB) have no hourly or data processing charge' } : {}),
      ...(r.str('service_name') ? { serviceName: r.str('service_name') } : {}), ...(z.count !== undefined ? { availabilityZones: z.count } : {}) };
  },
} satisfies Pricer;
