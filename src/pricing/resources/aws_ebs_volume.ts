/** EBS volume: GB-months of storage by type, plus provisioned IOPS and throughput. https://aws.amazon.com/ebs/pricing/ */
import { ebsVolume } from '../common.js';
import type { Pricer } from '../types.js';

export const awsEbsVolume = {
  type: 'aws_ebs_volume',
  components(r, ctx) {
    const type = r.str('type');
    return ebsVolume(r, {
      volumeType: type ?? 'gp2',
      sizeGb: r.num('size'),
      sizeWhy: r.get('snapshot_id') !== undefined && r.get('size') === undefined ? 'size comes from the snapshot (not known statically)' : r.why('size'),
      iops: r.num('iops'),
      throughput: r.num('throughput'),
      ioRequests: ctx.usage.num('monthly_standard_io_requests'),
      line: r.line('size'),
      ...(type ? {} : { assumption: 'type gp2 assumed (provider default)' }),
    });
  },
} satisfies Pricer;
