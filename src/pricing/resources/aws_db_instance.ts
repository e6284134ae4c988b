/**
 * RDS DB instance: instance-hours by engine, class and Single-/Multi-AZ, plus allocated storage,
 * provisioned IOPS and gp3 throughput above the included baseline; a read replica
 * (replicate_source_db) is its own instance. https://aws.amazon.com/rds/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine, usageLine } from '../lines.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

/** gp3 on RDS includes 3,000 IOPS and 125 MiB/s, or 12,000 IOPS and 500 MiB/s from this size (GB) up. */
function gp3Baseline(engine: string, sizeGb: number): { iops: number; throughput: number } {
  const threshold = engine.startsWith('oracle') ? 200 : engine.startsWith('sqlserver') ? Infinity : 400;
  return sizeGb >= threshold ? { iops: 12000, throughput: 500 } : { iops: 3000, throughput: 125 };
}

interface Engine {
  engine?: string;
  why: string;
  /** The source database a replica inherits engine and storage from. */
  source?: ResourceView;
}

function engineOf(r: ResourceView, ctx: PricerContext): Engine {
  const source = r.get('replicate_source_db') !== undefined ? ctx.referenced(r, 'replicate_source_db')[0] : undefined;
  const engine = r.str('engine');
  if (engine) return { engine, why: '', source };
  if (r.get('engine') !== undefined) return { why: r.why('engine'), source };
  if (source) {
    const inherited = source.str('engine');
    return inherited ? { engine: inherited, why: '', source } : { why: `engine of the source database ${source.address}: ${source.why('engine')}`, source };
  }
  if (r.get('replicate_source_db') !== undefined) return { why: 'engine comes from the source database (replicate_source_db), which is not in this project' };
  if (r.get('snapshot_identifier') !== undefined) return { why: 'engine comes from the snapshot (not known statically)' };
  return { why: 'engine is not set' };
}

/** An attribute of the instance, or of its source database for a replica (with the assumption said). */
function inherited<T>(r: ResourceView, e: Engine, path: string, read: (v: ResourceView, p: string) => T | undefined): { value?: T; from?: string } {
  const own = read(r, path);
  if (own !== undefined) return { value: own };
  const src = e.source ? read(e.source, path) : undefined;
  return src !== undefined ? { value: src, from: e.source!.address } : {};
}

export const awsDbInstance = {
  type: 'aws_db_instance',
  components(r, ctx) {
    const e = engineOf(r, ctx);
    const instanceClass = r.str('instance_class');
    const multiAz = r.bool('multi_az') === true;
    const deployment = multiAz ? 'multi-az' : 'single-az';
    const dLabel = multiAz ? 'Multi-AZ' : 'Single-AZ';
    const out: ComponentSpec[] = [];

    const instance = {
      name: `Database instance (${e.engine ?? 'unknown engine'}, ${dLabel}, ${instanceClass ?? 'unknown class'})`,
      unit: 'hours',
      monthlyQuantity: HOURS_PER_MONTH,
      line: r.line('instance_class'),
      ...(e.source && !r.str('engine') ? { assumption: `engine ${e.engine} from the source database ${e.source.address}` } : {}),
    };
    if (!e.engine) out.push(unpricedLine(instance, e.why));
    else if (e.engine.startsWith('aurora')) out.push(unpricedLine(instance, 'Aurora instances are billed as aws_rds_cluster_instance (engine aurora-* on aws_db_instance is not supported by RDS)'));
    else if (!instanceClass) out.push(unpricedLine(instance, r.why('instance_class')));
    else if (r.get('multi_az') !== undefined && r.bool('multi_az') === undefined) out.push(unpricedLine(instance, r.why('multi_az')));
    else out.push(regionalLine(r, instance, (g) => keys.rdsInstance(g, e.engine!, instanceClass, deployment)));

    const size = inherited(r, e, 'allocated_storage', (v, p) => v.num(p));
    const typeOf = inherited(r, e, 'storage_type', (v, p) => v.str(p));
    const iops = inherited(r, e, 'iops', (v, p) => v.num(p));
    const storageType = typeOf.value ?? (iops.value !== undefined ? 'io1' : 'gp2');
    const assumptions = [
      size.from ? `allocated_storage from the source database ${size.from}` : undefined,
      typeOf.from ? `storage_type from the source database ${typeOf.from}` : undefined,
      typeOf.value === undefined ? `storage type ${storageType} assumed (provider default${iops.value !== undefined ? ' when iops is set' : ''})` : undefined,
    ].filter(Boolean);
    const typeWhy = r.get('storage_type') !== undefined && r.str('storage_type') === undefined ? r.why('storage_type') : undefined;
    const storage = {
      name: `Storage (${typeWhy ? 'unknown type' : storageType}, ${dLabel})`,
      unit: 'GB',
      monthlyQuantity: size.value ?? null,
      line: r.line('allocated_storage'),
      ...(assumptions.length ? { assumption: assumptions.join('; ') } : {}),
    };
    if (typeWhy) {
      out.push(unpricedLine(storage, typeWhy));
      return out;
    }
    if (size.value === undefined) {
      const why =
        r.get('allocated_storage') !== undefined
          ? r.why('allocated_storage')
          : r.get('snapshot_identifier') !== undefined
            ? 'allocated storage comes from the snapshot (not known statically)'
            : r.get('replicate_source_db') !== undefined
              ? 'allocated storage comes from the source database, which is not in this project'
              : r.why('allocated_storage');
      out.push(unpricedLine(storage, why));
      return out;
    }
    out.push(regionalLine(r, storage, (g) => keys.rdsStorage(g, storageType, deployment)));

    const sizeGb = size.value;
    const iopsFrom = iops.from ? { assumption: `iops from the source database ${iops.from}` } : {};
    if (storageType === 'io1' || storageType === 'io2') {
      const spec = { name: `Provisioned IOPS (${storageType}, ${dLabel})`, unit: 'IOPS', monthlyQuantity: iops.value ?? null, line: r.line('iops'), ...iopsFrom };
      out.push(iops.value === undefined ? unpricedLine(spec, `iops is not set (required for ${storageType})`) : regionalLine(r, spec, (g) => keys.rdsIops(g, storageType, deployment)));
    } else if (storageType === 'gp3') {
      const base = gp3Baseline(e.engine ?? '', sizeGb);
      if (iops.value !== undefined && iops.value > base.iops)
        out.push(
          regionalLine(
            r,
            { name: `Provisioned IOPS (gp3 above the included baseline, ${dLabel})`, unit: 'IOPS', monthlyQuantity: iops.value - base.iops, line: r.line('iops'), ...iopsFrom },
            (g) => keys.rdsIops(g, 'gp3', deployment),
          ),
        );
      const throughput = r.num('storage_throughput');
      if (throughput !== undefined && throughput > base.throughput)
        out.push(
          regionalLine(
            r,
            { name: `Provisioned throughput (gp3 above the included baseline, ${dLabel})`, unit: 'MiB/s', monthlyQuantity: throughput - base.throughput, line: r.line('storage_throughput') },
            (g) => keys.rdsThroughput(g, 'gp3', deployment),
          ),
        );
    } else if (storageType === 'standard') {
      out.push(usageLine(r, ctx.usage, { name: 'I/O requests (magnetic)', unit: 'requests', usageKey: 'monthly_standard_io_requests', line: r.line('storage_type') }, (g) => keys.rdsIoRequests(g)));
    }
    // Backup storage up to the size of the database is free; the excess is shown when usage gives it.
    if (ctx.usage.num('additional_backup_storage_gb') !== undefined)
      out.push(usageLine(r, ctx.usage, { name: 'Additional backup storage', unit: 'GB', usageKey: 'additional_backup_storage_gb' }, (g) => keys.rdsBackupStorage(g)));
    return out;
  },
  details(r, ctx) {
    const e = engineOf(r, ctx);
    const max = r.num('max_allocated_storage');
    return {
      ...(e.engine ? { engine: e.engine } : {}),
      ...(r.str('instance_class') ? { instanceClass: r.str('instance_class') } : {}),
      multiAz: r.bool('multi_az') === true,
      ...(e.source ? { replicaOf: e.source.address } : r.get('replicate_source_db') !== undefined ? { replicaOf: r.str('replicate_source_db') ?? 'unknown' } : {}),
      ...(max !== undefined && max > 0 ? { maxAllocatedStorageGb: max } : {}),
    };
  },
} satisfies Pricer;
