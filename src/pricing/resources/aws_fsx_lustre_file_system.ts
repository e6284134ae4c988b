/**
 * FSx for Lustre: GB-months of provisioned storage capacity at the rate of the deployment type and
 * per-unit storage throughput, the SSD read cache of HDD file systems, and backups (usage).
 * https://aws.amazon.com/fsx/lustre/pricing/
 */
import { keys } from '../keys.js';
import { regionalLine, setting, unpricedLine, usageLine } from '../lines.js';
import type { ComponentSpec, Pricer, ResourceView } from '../types.js';

const DEFAULT_DEPLOYMENT = 'SCRATCH_1';
/** HDD file systems with drive_cache_type READ get an SSD cache sized at 20% of their storage. */
const SSD_CACHE_PERCENT = 20;

function config(r: ResourceView) {
  const deployment = r.str('deployment_type');
  const storageType = setting(r, 'storage_type', 'SSD');
  const persistent = (deployment ?? DEFAULT_DEPLOYMENT).startsWith('PERSISTENT');
  return {
    deployment: deployment ?? DEFAULT_DEPLOYMENT,
    deploymentAssumed: deployment === undefined && r.get('deployment_type') === undefined,
    storageType: storageType.value ?? 'unknown',
    storageTypeWhy: storageType.why,
    persistent,
    throughput: persistent ? r.num('per_unit_storage_throughput') : undefined,
    capacity: r.num('storage_capacity'),
  };
}

export const awsFsxLustreFileSystem = {
  type: 'aws_fsx_lustre_file_system',
  components(r, ctx) {
    const c = config(r);
    const label = `${c.deployment}${c.throughput !== undefined ? `, ${c.throughput} MB/s/TiB` : ''}${c.storageType === 'HDD' ? ', HDD' : ''}`;
    const spec = {
      name: `Storage capacity (${label})`,
      unit: 'GB',
      monthlyQuantity: c.capacity ?? null,
      line: r.line('storage_capacity'),
      ...(c.deploymentAssumed ? { assumption: `deployment type ${DEFAULT_DEPLOYMENT} assumed (provider default)` } : {}),
    };
    if (r.get('deployment_type') !== undefined && r.str('deployment_type') === undefined) return [unpricedLine(spec, r.why('deployment_type'))];
    if (c.storageTypeWhy) return [unpricedLine(spec, c.storageTypeWhy)];
    if (c.storageType === 'INTELLIGENT_TIERING')
      return [unpricedLine(spec, 'Intelligent-Tiering Lustre file systems bill per GB stored and per throughput capacity, which mlcost does not model yet')];
    if (c.capacity === undefined)
      return [unpricedLine(spec, r.get('backup_id') !== undefined && r.get('storage_capacity') === undefined ? 'storage capacity comes from the backup (not known statically)' : r.why('storage_capacity'))];
    if (c.persistent && c.throughput === undefined) return [unpricedLine(spec, r.why('per_unit_storage_throughput'))];
    const out: ComponentSpec[] = [regionalLine(r, spec, (g) => keys.fsxLustreStorage(g, c.deployment, c.throughput))];
    if (c.storageType === 'HDD' && r.str('drive_cache_type') === 'READ')
      out.push(
        regionalLine(
          r,
          { name: 'SSD read cache', unit: 'GB', monthlyQuantity: (c.capacity * SSD_CACHE_PERCENT) / 100, line: r.line('drive_cache_type') },
          (g) => keys.fsxLustreSsdCache(g),
        ),
      );
    if (c.persistent && r.num('automatic_backup_retention_days', 0) > 0)
      out.push(usageLine(r, ctx.usage, { name: 'Backup storage', unit: 'GB', usageKey: 'backup_storage_gb', line: r.line('automatic_backup_retention_days') }, (g) => keys.fsxLustreBackup(g)));
    return out;
  },
  details(r) {
    const c = config(r);
    return {
      deploymentType: c.deployment,
      storageType: c.storageType,
      ...(c.capacity !== undefined ? { storageCapacityGb: c.capacity } : {}),
      ...(c.throughput !== undefined ? { perUnitStorageThroughput: c.throughput } : {}),
    };
  },
} satisfies Pricer;
