/**
 * ElastiCache cluster: node-hours of num_cache_nodes nodes by engine and node type (a cluster that
 * joins a replication group adds one replica of the group's node type), plus Redis/Valkey backups
 * beyond the free one. https://aws.amazon.com/elasticache/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine } from '../lines.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

function shape(r: ResourceView, ctx: PricerContext) {
  const inGroup = r.get('replication_group_id') !== undefined;
  const group = inGroup ? ctx.referenced(r, 'replication_group_id')[0] : undefined;
  const engine = r.str('engine') ?? group?.str('engine') ?? (group ? 'redis' : undefined);
  const nodeType = r.str('node_type') ?? group?.str('node_type');
  const nodes = r.num('num_cache_nodes');
  return { inGroup, group, engine, nodeType, nodes: nodes ?? 1, nodesAssumed: nodes === undefined && !inGroup && engine === 'memcached' };
}

function whyMissing(r: ResourceView, s: ReturnType<typeof shape>, path: 'engine' | 'node_type'): string {
  if (r.get(path) !== undefined) return r.why(path);
  if (s.inGroup && !s.group) return `${path} comes from the replication group, which is not in this project`;
  return r.why(path);
}

export const awsElasticacheCluster = {
  type: 'aws_elasticache_cluster',
  components(r, ctx) {
    const s = shape(r, ctx);
    const assumptions = [
      s.group && !r.str('node_type') ? `node type from the replication group ${s.group.address}` : undefined,
      s.group && !r.str('engine') ? `engine from the replication group ${s.group.address}` : undefined,
      s.nodesAssumed ? '1 node assumed (num_cache_nodes is not set)' : undefined,
    ].filter(Boolean);
    const spec = {
      name: `Cache nodes (${s.engine ?? 'unknown engine'}, ${s.nodeType ?? 'unknown type'})`,
      unit: 'hours',
      monthlyQuantity: HOURS_PER_MONTH * s.nodes,
      line: r.line('node_type'),
      ...(assumptions.length ? { assumption: assumptions.join('; ') } : {}),
    };
    const out: ComponentSpec[] = [];
    if (!s.engine) out.push(unpricedLine(spec, whyMissing(r, s, 'engine')));
    else if (!s.nodeType) out.push(unpricedLine(spec, whyMissing(r, s, 'node_type')));
    else if (r.get('num_cache_nodes') !== undefined && r.num('num_cache_nodes') === undefined) out.push(unpricedLine(spec, r.why('num_cache_nodes')));
    else out.push(regionalLine(r, spec, (g) => keys.elasticacheNode(g, s.engine!, s.nodeType!)));
    // A group member's backups are the group's; a standalone Redis/Valkey cluster keeps one free.
    const retention = r.num('snapshot_retention_limit', 0);
    if (!s.inGroup && s.engine !== 'memcached' && retention > 1) out.push(backupStorage(r, ctx, retention));
    return out;
  },
  details(r, ctx) {
    const s = shape(r, ctx);
    return {
      ...(s.engine ? { engine: s.engine } : {}),
      ...(s.nodeType ? { nodeType: s.nodeType } : {}),
      nodes: s.nodes,
      ...(s.group ? { replicationGroup: s.group.address } : {}),
    };
  },
} satisfies Pricer;

/** Backups kept beyond the free one: `snapshot_storage_size_gb` (the size of one backup) x (retention - 1). */
export function backupStorage(r: ResourceView, ctx: PricerContext, retention: number): ComponentSpec {
  const size = ctx.usage.num('snapshot_storage_size_gb');
  return regionalLine(
    r,
    {
      name: 'Backup storage',
      unit: 'GB',
      monthlyQuantity: size === undefined ? null : size * (retention - 1),
      usageBased: true,
      usageKey: 'snapshot_storage_size_gb',
      line: r.line('snapshot_retention_limit'),
    },
    (g) => keys.elasticacheBackupStorage(g),
  );
}
