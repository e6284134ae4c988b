/**
 * EFS file system: GB-months per storage class (Standard, IA and Archive by lifecycle policy, or One
 * Zone), IA/Archive access per GB, provisioned throughput above the storage baseline, or Elastic
 * Throughput per GB. Sizes come from usage. https://aws.amazon.com/efs/pricing/
 */
import { keys } from '../keys.js';
import { regionalLine, setting, unpricedLine, usageLine } from '../lines.js';
import type { ComponentSpec, Pricer, ResourceView } from '../types.js';

/** Bursting and provisioned file systems get 50 KB/s of throughput per GB of Standard storage for free. */
const BASELINE_KBPS_PER_GB = 50;

function layout(r: ResourceView) {
  const az = r.get('availability_zone_name');
  const oneZone = az !== undefined && az !== null;
  const policies = r.list('lifecycle_policy');
  const has = (key: string) => policies.some((p) => p.get(key) !== undefined && p.get(key) !== null);
  return {
    oneZone,
    standard: oneZone ? { cls: 'one-zone', label: 'One Zone' } : { cls: 'standard', label: 'Standard' },
    ia: oneZone ? { cls: 'one-zone-ia', label: 'One Zone-IA' } : { cls: 'ia', label: 'Infrequent Access' },
    toIa: has('transition_to_ia'),
    // One Zone file systems have no Archive class.
    toArchive: !oneZone && has('transition_to_archive'),
    mode: setting(r, 'throughput_mode', 'bursting'),
  };
}

export const awsEfsFileSystem = {
  type: 'aws_efs_file_system',
  components(r, ctx) {
    const l = layout(r);
    const u = ctx.usage;
    const out: ComponentSpec[] = [
      usageLine(r, u, { name: `Storage (${l.standard.label})`, unit: 'GB', usageKey: 'storage_gb' }, (g) => keys.efsStorage(g, l.standard.cls)),
    ];
    if (l.toIa || u.num('infrequent_access_storage_gb') !== undefined) {
      const line = r.line('lifecycle_policy');
      out.push(
        usageLine(r, u, { name: `Storage (${l.ia.label})`, unit: 'GB', usageKey: 'infrequent_access_storage_gb', line }, (g) => keys.efsStorage(g, l.ia.cls)),
        usageLine(r, u, { name: `Reads (${l.ia.label})`, unit: 'GB', usageKey: 'monthly_infrequent_access_read_gb', line }, (g) => keys.efsAccess(g, l.ia.cls, 'read')),
        usageLine(r, u, { name: `Writes (${l.ia.label})`, unit: 'GB', usageKey: 'monthly_infrequent_access_write_gb', line }, (g) => keys.efsAccess(g, l.ia.cls, 'write')),
      );
    }
    if (l.toArchive || (!l.oneZone && u.num('archive_storage_gb') !== undefined)) {
      const line = r.line('lifecycle_policy');
      out.push(
        usageLine(r, u, { name: 'Storage (Archive)', unit: 'GB', usageKey: 'archive_storage_gb', line }, (g) => keys.efsStorage(g, 'archive')),
        usageLine(r, u, { name: 'Reads (Archive)', unit: 'GB', usageKey: 'monthly_archive_read_gb', line }, (g) => keys.efsAccess(g, 'archive', 'read')),
        usageLine(r, u, { name: 'Writes (Archive)', unit: 'GB', usageKey: 'monthly_archive_write_gb', line }, (g) => keys.efsAccess(g, 'archive', 'write')),
      );
    }
    if (l.mode.why) out.push(unpricedLine({ name: 'Throughput', unit: 'MiB/s', monthlyQuantity: null, line: r.line('throughput_mode') }, l.mode.why));
    if (l.mode.value === 'provisioned') out.push(provisionedThroughput(r, u.num('storage_gb')));
    if (l.mode.value === 'elastic') {
      const line = r.line('throughput_mode');
      out.push(
        usageLine(r, u, { name: 'Elastic Throughput reads', unit: 'GB', usageKey: 'monthly_elastic_read_gb', line }, (g) => keys.efsElasticThroughput(g, 'read')),
        usageLine(r, u, { name: 'Elastic Throughput writes', unit: 'GB', usageKey: 'monthly_elastic_write_gb', line }, (g) => keys.efsElasticThroughput(g, 'write')),
      );
    }
    return out;
  },
  details(r) {
    const l = layout(r);
    return {
      storageClass: l.standard.label,
      throughputMode: l.mode.value ?? 'unknown',
      ...(l.toIa ? { transitionToIa: r.list('lifecycle_policy').map((p) => p.str('transition_to_ia')).find(Boolean) } : {}),
      ...(l.toArchive ? { transitionToArchive: r.list('lifecycle_policy').map((p) => p.str('transition_to_archive')).find(Boolean) } : {}),
    };
  },
} satisfies Pricer;

/** Provisioned throughput is billed above the baseline that the Standard storage already includes. */
function provisionedThroughput(r: ResourceView, storageGb: number | undefined): ComponentSpec {
  const mibps = r.num('provisioned_throughput_in_mibps');
  const spec = { name: 'Provisioned throughput (above the storage baseline)', unit: 'MiB/s', line: r.line('provisioned_throughput_in_mibps') };
  if (mibps === undefined) return unpricedLine({ ...spec, monthlyQuantity: null }, r.why('provisioned_throughput_in_mibps'));
  const baseline = storageGb === undefined ? 0 : (storageGb * BASELINE_KBPS_PER_GB) / 1000;
  return regionalLine(
    r,
    {
      ...spec,
      monthlyQuantity: Math.max(0, mibps - baseline),
      ...(storageGb === undefined
        ? { assumption: `all ${mibps} MiB/s billed: the baseline included with Standard storage (50 KB/s per GB) is deducted only when usage storage_gb is given` }
        : {}),
    },
    (g) => keys.efsProvisionedThroughput(g),
  );
}
