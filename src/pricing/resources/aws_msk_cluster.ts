/**
 * MSK provisioned cluster: broker instance-hours x number_of_broker_nodes, EBS storage per broker and
 * provisioned storage throughput above 250 MiB/s; Express brokers bill storage used and data
 * written (usage). https://aws.amazon.com/msk/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine, usageLine } from '../lines.js';
import type { ComponentSpec, Pricer, ResourceView } from '../types.js';

/** MSK's default EBS volume per broker when none is given. */
const DEFAULT_VOLUME_GB = 1000;
const BASELINE_THROUGHPUT_MIBPS = 250;

function brokers(r: ResourceView) {
  const info = r.list('broker_node_group_info')[0];
  const type = info?.str('instance_type');
  const ebs = info?.list('storage_info.0.ebs_storage_info')[0];
  const volume = ebs?.num('volume_size') ?? info?.num('ebs_volume_size');
  const pt = ebs?.list('provisioned_throughput')[0];
  return {
    info,
    count: r.num('number_of_broker_nodes'),
    type,
    express: type?.startsWith('express.') ?? false,
    volume,
    throughput: pt && pt.bool('enabled') !== false ? pt.num('volume_throughput') : undefined,
  };
}

export const awsMskCluster = {
  type: 'aws_msk_cluster',
  components(r, ctx) {
    const b = brokers(r);
    const line = b.info?.line('instance_type') ?? r.line();
    const hours = { name: `Broker instances (${b.type ?? 'unknown type'})`, unit: 'hours', monthlyQuantity: b.count === undefined ? null : HOURS_PER_MONTH * b.count, line };
    const out: ComponentSpec[] = [];
    if (b.count === undefined) out.push(unpricedLine(hours, r.why('number_of_broker_nodes')));
    else if (!b.type) out.push(unpricedLine(hours, b.info ? b.info.why('instance_type') : 'broker_node_group_info is not set'));
    else out.push(regionalLine(r, hours, (g) => keys.mskBroker(g, b.type!)));
    if (b.express) {
      out.push(
        usageLine(r, ctx.usage, { name: 'Storage (Express)', unit: 'GB', usageKey: 'storage_gb' }, (g) => keys.mskStorage(g, 'express')),
        usageLine(r, ctx.usage, { name: 'Data written (Express)', unit: 'GB', usageKey: 'monthly_data_in_gb' }, (g) => keys.mskExpressDataIn(g)),
      );
      return out;
    }
    if (b.count === undefined) return out;
    out.push(
      regionalLine(
        r,
        {
          name: 'Broker storage',
          unit: 'GB',
          monthlyQuantity: (b.volume ?? DEFAULT_VOLUME_GB) * b.count,
          ...(b.volume === undefined ? { assumption: `${DEFAULT_VOLUME_GB} GB per broker assumed (MSK default volume size)` } : {}),
        },
        (g) => keys.mskStorage(g, 'standard'),
      ),
    );
    if (b.throughput !== undefined && b.throughput > BASELINE_THROUGHPUT_MIBPS)
      out.push(
        regionalLine(
          r,
          { name: `Provisioned storage throughput (above ${BASELINE_THROUGHPUT_MIBPS} MiB/s)`, unit: 'MiB/s', monthlyQuantity: (b.throughput - BASELINE_THROUGHPUT_MIBPS) * b.count },
          (g) => keys.mskProvisionedThroughput(g),
        ),
      );
    return out;
  },
  details(r) {
    const b = brokers(r);
    return {
      ...(b.count !== undefined ? { brokers: b.count } : {}),
      ...(b.type ? { instanceType: b.type } : {}),
      ...(!b.express ? { volumePerBrokerGb: b.volume ?? DEFAULT_VOLUME_GB } : {}),
    };
  },
} satisfies Pricer;
