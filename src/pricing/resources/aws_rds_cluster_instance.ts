/**
 * Aurora cluster instance: instance-hours by engine, class and the cluster's storage configuration
 * (Standard or I/O-Optimized); db.serverless bills Serverless v2 ACU-hours from usage.
 * https://aws.amazon.com/rds/aurora/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine, usageLine } from '../lines.js';
import type { Pricer, PricerContext, ResourceView } from '../types.js';
import { AURORA_STORAGE_LABEL, auroraEngine, auroraStorage } from './aws_rds_cluster.js';

function clusterOf(r: ResourceView, ctx: PricerContext): ResourceView | undefined {
  return ctx.referenced(r, 'cluster_identifier')[0];
}

export const awsRdsClusterInstance = {
  type: 'aws_rds_cluster_instance',
  components(r, ctx) {
    const cluster = clusterOf(r, ctx);
    const rawEngine = r.str('engine') ?? cluster?.str('engine');
    const cls = r.str('instance_class');
    const storage = auroraStorage(cluster);
    const label = AURORA_STORAGE_LABEL[storage];
    const assumption = cluster ? undefined : `${label} storage configuration assumed (the cluster is not in this project)`;
    const line = r.line('instance_class');
    if (!rawEngine) {
      const spec = { name: `Database instance (unknown engine, ${cls ?? 'unknown class'})`, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line };
      return [unpricedLine(spec, r.get('engine') !== undefined ? r.why('engine') : 'engine is not set')];
    }
    const engine = auroraEngine(rawEngine);
    if (engine === 'mysql' || engine === 'postgres')
      return [unpricedLine({ name: `Database instance (${engine}, ${cls ?? 'unknown class'})`, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, 'instances of a Multi-AZ DB cluster are billed on the aws_rds_cluster')];
    if (cls === 'db.serverless')
      return [
        usageLine(
          r,
          ctx.usage,
          { name: `Aurora Serverless v2 capacity (${engine}, ${label})`, unit: 'ACU-hours', usageKey: 'capacity_units_per_hr', scale: HOURS_PER_MONTH, line, ...(assumption ? { assumption } : {}) },
          (g) => keys.auroraServerless(g, engine, 'v2', storage),
        ),
      ];
    const spec = { name: `Database instance (${engine}, ${label}, ${cls ?? 'unknown class'})`, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line, ...(assumption ? { assumption } : {}) };
    if (!cls) return [unpricedLine(spec, r.why('instance_class'))];
    return [regionalLine(r, spec, (g) => keys.auroraInstance(g, engine, cls, storage))];
  },
  details(r, ctx) {
    const cluster = clusterOf(r, ctx);
    return { ...(cluster ? { cluster: cluster.address } : {}), ...(r.str('instance_class') ? { instanceClass: r.str('instance_class') } : {}) };
  },
} satisfies Pricer;
