/**
 * ElastiCache replication group: node-hours of its nodes (num_node_groups x (replicas_per_node_group
 * + 1) in cluster mode, else num_cache_clusters) by engine and node type, plus backups beyond the
 * free one. https://aws.amazon.com/elasticache/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine } from '../lines.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';
import { backupStorage } from './aws_elasticache_cluster.js';

const DEFAULT_ENGINE = 'redis';

/** A count attribute under its current name or its older one (provider v3/v4). */
function count(r: ResourceView, paths: string[]): { value?: number; why?: string } {
  for (const p of paths) {
    const v = r.num(p);
    if (v !== undefined) return { value: v };
    if (r.get(p) !== undefined && r.get(p) !== null) return { why: r.why(p) };
  }
  return {};
}

/** Bounds from an aws_appautoscaling_target that scales this group's shards or replicas. */
function scaled(r: ResourceView, ctx: PricerContext, dimension: 'NodeGroups' | 'Replicas', value: number): { value: number; note?: string } {
  const target = ctx.referencing(r, 'aws_appautoscaling_target').find((t) => t.str('scalable_dimension') === `elasticache:replication-group:${dimension}`);
  if (!target) return { value };
  const min = target.num('min_capacity');
  const max = target.num('max_capacity');
  const clamped = Math.min(Math.max(value, min ?? value), max ?? value);
  return clamped === value ? { value } : { value: clamped, note: `${dimension === 'NodeGroups' ? 'shards' : 'replicas per shard'} held within ${min}-${max} by ${target.address}` };
}

function shape(r: ResourceView, ctx: PricerContext) {
  const groups = count(r, ['num_node_groups', 'cluster_mode.0.num_node_groups']);
  const replicas = count(r, ['replicas_per_node_group', 'cluster_mode.0.replicas_per_node_group']);
  const clusters = count(r, ['num_cache_clusters', 'number_cache_clusters']);
  const assumptions: string[] = [];
  const why = groups.why ?? replicas.why ?? clusters.why;
  if (groups.value !== undefined) {
    const g = scaled(r, ctx, 'NodeGroups', groups.value);
    const rep = scaled(r, ctx, 'Replicas', replicas.value ?? 0);
    if (replicas.value === undefined) assumptions.push('0 replicas per shard assumed (replicas_per_node_group is not set)');
    for (const n of [g.note, rep.note]) if (n) assumptions.push(n);
    return { nodes: g.value * (rep.value + 1), shards: g.value, replicasPerShard: rep.value, assumptions, why };
  }
  if (clusters.value !== undefined) {
    const rep = scaled(r, ctx, 'Replicas', clusters.value - 1);
    if (rep.note) assumptions.push(rep.note);
    return { nodes: rep.value + 1, assumptions, why };
  }
  if (!why) assumptions.push('1 node assumed (num_cache_clusters is not set; provider default)');
  return { nodes: 1, assumptions, why };
}

export const awsElasticacheReplicationGroup = {
  type: 'aws_elasticache_replication_group',
  components(r, ctx) {
    const engine = r.str('engine') ?? DEFAULT_ENGINE;
    const nodeType = r.str('node_type');
    const s = shape(r, ctx);
    const assumptions = [...(r.get('engine') === undefined ? [`engine ${DEFAULT_ENGINE} assumed (provider default)`] : []), ...s.assumptions];
    const spec = {
      name: `Cache nodes (${engine}, ${nodeType ?? 'unknown type'})`,
      unit: 'hours',
      monthlyQuantity: HOURS_PER_MONTH * s.nodes,
      line: r.line('node_type'),
      ...(assumptions.length ? { assumption: assumptions.join('; ') } : {}),
    };
    const out: ComponentSpec[] = [];
    if (r.get('engine') !== undefined && !r.str('engine')) out.push(unpricedLine(spec, r.why('engine')));
    else if (!nodeType) out.push(unpricedLine(spec, r.why('node_type')));
    else if (s.why) out.push(unpricedLine({ ...spec, monthlyQuantity: null }, s.why));
    else out.push(regionalLine(r, spec, (g) => keys.elasticacheNode(g, engine, nodeType)));
    const retention = r.num('snapshot_retention_limit', 0);
    if (engine !== 'memcached' && retention > 1) out.push(backupStorage(r, ctx, retention));
    return out;
  },
  details(r, ctx) {
    const s = shape(r, ctx);
    return {
      engine: r.str('engine') ?? DEFAULT_ENGINE,
      ...(r.str('node_type') ? { nodeType: r.str('node_type') } : {}),
      nodes: s.nodes,
      ...(s.shards !== undefined ? { shards: s.shards, replicasPerShard: s.replicasPerShard } : {}),
    };
  },
} satisfies Pricer;
