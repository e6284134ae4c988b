/**
 * Spot instance request: instance-hours at the spot estimate (the market price, not spot_price,
 * which is only a cap) plus the instance's root and EBS volumes. https://aws.amazon.com/ec2/spot/pricing/
 */
import { instanceBlockDevices, instanceHours } from '../common.js';
import type { Pricer } from '../types.js';

export const awsSpotInstanceRequest = {
  type: 'aws_spot_instance_request',
  components(r) {
    const spec = instanceHours(r, {
      instanceType: r.str('instance_type'),
      typeWhy: r.why('instance_type'),
      count: 1,
      purchase: 'spot',
      line: r.line('instance_type'),
    });
    const tenancy = r.str('tenancy');
    if (tenancy === 'dedicated' || tenancy === 'host')
      return [{ ...spec, price: null, unpricedReason: `${tenancy} tenancy is not in the price snapshot (shared tenancy only)` }];
    return [spec];
  },
  subresources(r, ctx) {
    return instanceBlockDevices(r, r, { rootIoRequests: ctx.usage.num('root_block_device.monthly_standard_io_requests') });
  },
  details(r) {
    const max = r.str('spot_price');
    return { ...(max ? { maxSpotPrice: max } : {}), spotType: r.str('spot_type') ?? 'persistent' };
  },
} satisfies Pricer;
