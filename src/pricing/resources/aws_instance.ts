/**
 * EC2 instance: instance-hours (on-demand, or spot via instance_market_options) plus its root
 * and EBS block devices. https://aws.amazon.com/ec2/pricing/on-demand/
 */
import { ebsVolume, instanceHours } from '../common.js';
import type { Pricer, ResourceView, SubresourceSpec } from '../types.js';

/** EC2's root volume when the configuration does not say: the AMI decides; 8 GB gp2 is the common case. */
const ROOT_DEFAULT_GB = 8;
const ROOT_DEFAULT_TYPE = 'gp2';

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
    const subs: SubresourceSpec[] = [];
    const root = r.list('root_block_device')[0];
    const rootType = root?.str('volume_type');
    const rootSize = root?.num('volume_size');
    const assumed: string[] = [];
    if (!rootSize) assumed.push(`${ROOT_DEFAULT_GB} GB`);
    if (!rootType) assumed.push(ROOT_DEFAULT_TYPE);
    subs.push({
      name: 'root_block_device',
      line: root?.line() ?? r.line(),
      components: ebsVolume(r, {
        volumeType: rootType ?? ROOT_DEFAULT_TYPE,
        sizeGb: rootSize ?? ROOT_DEFAULT_GB,
        iops: root?.num('iops'),
        throughput: root?.num('throughput'),
        ioRequests: ctx.usage.num('root_block_device.monthly_standard_io_requests'),
        line: root?.line('volume_size'),
        ...(assumed.length
          ? { assumption: `root volume ${assumed.join(' ')} assumed (the AMI decides; set root_block_device to be exact)` }
          : {}),
      }),
    });
    r.list('ebs_block_device').forEach((d, i) => {
      const size = d.num('volume_size');
      subs.push({
        name: `ebs_block_device[${i}]`,
        line: d.line(),
        components: ebsVolume(r, {
          volumeType: d.str('volume_type') ?? ROOT_DEFAULT_TYPE,
          sizeGb: size,
          sizeWhy: d.why('volume_size'),
          iops: d.num('iops'),
          throughput: d.num('throughput'),
          line: d.line('volume_size'),
          ...(d.str('volume_type') ? {} : { assumption: `volume type ${ROOT_DEFAULT_TYPE} assumed (provider default)` }),
        }),
      });
    });
    return subs;
  },
} satisfies Pricer;
