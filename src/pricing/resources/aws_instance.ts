/**
 * EC2 instance: instance-hours (on-demand, or spot via instance_market_options) plus its root
 * and EBS block devices. https://aws.amazon.com/ec2/pricing/on-demand/
 */
import { instanceBlockDevices, instanceHours } from '../common.js';
import type { Pricer, ResourceView } from '../types.js';

function purchaseOf(r: ResourceView): 'on-demand' | 'spot' | 'capacity-block' {
  const market = r.str('instance_market_options.0.market_type');
  if (market === 'spot') return 'spot';
  if (market === 'capacity-block') return 'capacity-block';
  return 'on-demand';
}

export const awsInstance = {
  type: 'aws_instance',
  components(r) {
    const tenancy = r.str('tenancy');
    const spec = instanceHours(r, {
      instanceType: r.str('instance_type'),
      typeWhy: r.why('instance_type'),
      count: 1,
      purchase: purchaseOf(r),
      line: r.line('instance_type'),
    });
    if (tenancy === 'dedicated' || tenancy === 'host')
      return [{ ...spec, price: null, unpricedReason: `${tenancy} tenancy is not in the price snapshot (shared tenancy only)` }];
    return [spec];
  },
  subresources(r, ctx) {
    return instanceBlockDevices(r, r, { rootIoRequests: ctx.usage.num('root_block_device.monthly_standard_io_requests') });
  },
} satisfies Pricer;
