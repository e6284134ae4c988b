/**
 * RDS cluster. Aurora: cluster storage and I/O from usage (instances bill on aws_rds_cluster_instance;
 * Serverless v1 bills ACU-hours here). Multi-AZ DB cluster (engine mysql/postgres): cluster-hours
 * of its three instances, storage and IOPS. https://aws.amazon.com/rds/aurora/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine, usageLine } from '../lines.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

const SECONDS_PER_HOUR = 3600;
const DEFAULT_ENGINE = 'aurora';

/** Aurora engine as priced: the legacy `aurora` engine is Aurora MySQL. */
export function auroraEngine(engine: string): string {
  return engine === 'aurora' ? 'aurora-mysql' : engine;
}

/** Aurora storage configuration: I/O-Optimized (`aurora-iopt1`) or Standard. */
export function auroraStorage(cluster: ResourceView | undefined): 'standard' | 'io-optimized' {
  return cluster?.str('storage_type') === 'aurora-iopt1' ? 'io-optimized' : 'standard';
}

export const AURORA_STORAGE_LABEL = { standard: 'Aurora Standard', 'io-optimized': 'Aurora I/O-Optimized' } as const;

function engineOf(r: ResourceView): { engine: string; assumed: boolean; why?: string } {
  const engine = r.str('engine');
  if (engine) return { engine, assumed: false };
  if (r.get('engine') !== undefined) return { engine: DEFAULT_ENGINE, assumed: false, why: r.why('engine') };
  return { engine: DEFAULT_ENGINE, assumed: true };
}

function aurora(r: ResourceView, ctx: PricerContext, engine: string, assumption: string | undefined): ComponentSpec[] {
  const storage = auroraStorage(r);
  const label = AURORA_STORAGE_LABEL[storage];
  const u = ctx.usage;
  const out: ComponentSpec[] = [];
  if (r.str('engine_mode') === 'serverless')
    out.push(
      usageLine(
        r,
        u,
        { name: `Aurora Serverless v1 capacity (${engine})`, unit: 'ACU-hours', usageKey: 'capacity_units_per_hr', scale: HOURS_PER_MONTH, line: r.line('engine_mode'), ...(assumption ? { assumption } : {}) },
        (g) => keys.auroraServerless(g, engine, 'v1', storage),
      ),
    );
  out.push(usageLine(r, u, { name: `Storage (${label})`, unit: 'GB', usageKey: 'storage_gb', line: r.line('storage_type') }, (g) => keys.auroraStorage(g, storage)));
  if (storage === 'standard') out.push(ioRequests(r, ctx));
  return out;
}

/** Aurora Standard I/O: `monthly_io_requests`, or Infracost's read/write requests per second x 730 h. */
function ioRequests(r: ResourceView, ctx: PricerContext): ComponentSpec {
  const u = ctx.usage;
  const monthly = u.num('monthly_io_requests');
  const reads = u.num('read_requests_per_sec');
  const writes = u.num('write_requests_per_sec');
  const spec = { name: 'I/O requests', unit: 'requests', usageBased: true, usageKey: 'monthly_io_requests' };
  if (monthly !== undefined || (reads === undefined && writes === undefined))
    return regionalLine(r, { ...spec, monthlyQuantity: monthly ?? null }, (g) => keys.auroraIo(g));
  const missing = reads === undefined ? 'read_requests_per_sec' : writes === undefined ? 'write_requests_per_sec' : undefined;
  return regionalLine(
    r,
    {
      ...spec,
      usageKey: 'read_requests_per_sec + write_requests_per_sec',
      monthlyQuantity: ((reads ?? 0) + (writes ?? 0)) * SECONDS_PER_HOUR * HOURS_PER_MONTH,
      ...(missing ? { assumption: `${missing} not given: 0 assumed` } : {}),
    },
    (g) => keys.auroraIo(g),
  );
}

function multiAzCluster(r: ResourceView, engine: string): ComponentSpec[] {
  const cls = r.str('db_cluster_instance_class');
  const out: ComponentSpec[] = [];
  const instances = {
    name: `Multi-AZ DB cluster (${engine}, ${cls ?? 'unknown class'})`,
    unit: 'hours',
    monthlyQuantity: HOURS_PER_MONTH,
    line: r.line('db_cluster_instance_class'),
  };
  out.push(cls ? regionalLine(r, instances, (g) => keys.rdsInstance(g, engine, cls, 'multi-az-cluster')) : unpricedLine(instances, r.why('db_cluster_instance_class')));
  const size = r.num('allocated_storage');
  const type = r.str('storage_type');
  const storage = { name: `Storage (${type ?? 'unknown type'}, Multi-AZ DB cluster)`, unit: 'GB', monthlyQuantity: size ?? null, line: r.line('allocated_storage') };
  if (size === undefined || !type) {
    out.push(unpricedLine(storage, size === undefined ? r.why('allocated_storage') : r.why('storage_type')));
    return out;
  }
  out.push(regionalLine(r, storage, (g) => keys.rdsStorage(g, type, 'multi-az-cluster')));
  const iops = r.num('iops');
  // gp3 includes 3,000 IOPS below 400 GB and 12,000 from 400 GB up; io1/io2 bill every provisioned IOPS.
  const included = type === 'gp3' ? (size >= 400 ? 12000 : 3000) : 0;
  if (type === 'io1' || type === 'io2' || (type === 'gp3' && iops !== undefined && iops > included)) {
    const spec = { name: `Provisioned IOPS (${type}${included ? ' above the included baseline' : ''}, Multi-AZ DB cluster)`, unit: 'IOPS', monthlyQuantity: iops === undefined ? null : iops - included, line: r.line('iops') };
    out.push(iops === undefined ? unpricedLine(spec, `iops is not set (required for ${type})`) : regionalLine(r, spec, (g) => keys.rdsIops(g, type, 'multi-az-cluster')));
  }
  return out;
}

export const awsRdsCluster = {
  type: 'aws_rds_cluster',
  components(r, ctx) {
    const e = engineOf(r);
    if (e.why) return [unpricedLine({ name: 'Cluster storage', unit: 'GB', monthlyQuantity: null, line: r.line('engine') }, e.why)];
    if (e.engine === 'mysql' || e.engine === 'postgres') return multiAzCluster(r, e.engine);
    return aurora(r, ctx, auroraEngine(e.engine), e.assumed ? `engine ${DEFAULT_ENGINE} (Aurora MySQL) assumed (provider default)` : undefined);
  },
  details(r, ctx) {
    const e = engineOf(r);
    const instances = ctx.referencing(r, 'aws_rds_cluster_instance');
    const multiAz = e.engine === 'mysql' || e.engine === 'postgres';
    return {
      engine: multiAz ? e.engine : auroraEngine(e.engine),
      ...(multiAz ? { deployment: 'Multi-AZ DB cluster' } : { storageConfiguration: AURORA_STORAGE_LABEL[auroraStorage(r)], engineMode: r.str('engine_mode') ?? 'provisioned' }),
      ...(instances.length ? { instances: instances.map((i) => i.address) } : {}),
    };
  },
} satisfies Pricer;
