/**
 * Kinesis Data Streams. Provisioned: shard-hours, PUT payload units (usage) and retention beyond 24 h
 * (extended per shard-hour, long-term per GB-month). On-demand: stream-hours and GB in/out (usage).
 * https://aws.amazon.com/kinesis/data-streams/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, setting, unpricedLine, usageLine } from '../lines.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

const DEFAULT_RETENTION_HOURS = 24;
const EXTENDED_RETENTION_HOURS = 168;

function modeOf(r: ResourceView): 'provisioned' | 'on-demand' {
  return r.str('stream_mode_details.0.stream_mode') === 'ON_DEMAND' ? 'on-demand' : 'provisioned';
}

/** Optional lines (enhanced fan-out, long-term retrieval) appear when usage gives them. */
function optional(r: ResourceView, ctx: PricerContext, mode: 'provisioned' | 'on-demand', lines: [string, string, string, string][]): ComponentSpec[] {
  return lines
    .filter(([, , key]) => ctx.usage.num(key) !== undefined)
    .map(([name, unit, usageKey, dimension]) => usageLine(r, ctx.usage, { name, unit, usageKey }, (g) => keys.kinesisStream(g, mode, dimension)));
}

export const awsKinesisStream = {
  type: 'aws_kinesis_stream',
  components(r, ctx) {
    const modeSetting = setting(r, 'stream_mode_details.0.stream_mode', 'PROVISIONED');
    if (modeSetting.why) return [unpricedLine({ name: 'Stream capacity', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line: r.line('stream_mode_details') }, modeSetting.why)];
    const mode = modeOf(r);
    const retention = r.num('retention_period', DEFAULT_RETENTION_HOURS);
    const retentionWhy = r.get('retention_period') !== undefined && r.num('retention_period') === undefined ? r.why('retention_period') : undefined;
    const retentionLine = r.line('retention_period');
    const k = (dimension: string) => (g: string) => keys.kinesisStream(g, mode, dimension);
    const out: ComponentSpec[] = [];
    if (mode === 'provisioned') {
      const shards = r.num('shard_count');
      const shardHours = { name: 'Shard hours', unit: 'shard-hours', monthlyQuantity: shards === undefined ? null : HOURS_PER_MONTH * shards, line: r.line('shard_count') };
      out.push(shards === undefined ? unpricedLine(shardHours, r.why('shard_count')) : regionalLine(r, shardHours, k('shard-hour')));
      out.push(usageLine(r, ctx.usage, { name: 'PUT payload units', unit: 'units', usageKey: 'monthly_provisioned_put_units' }, k('put-unit')));
      if (retentionWhy) out.push(unpricedLine({ name: 'Extended retention (up to 7 days)', unit: 'shard-hours', monthlyQuantity: null, line: retentionLine }, retentionWhy));
      if (retention > DEFAULT_RETENTION_HOURS && shards !== undefined)
        out.push(regionalLine(r, { name: 'Extended retention (up to 7 days)', unit: 'shard-hours', monthlyQuantity: HOURS_PER_MONTH * shards, line: retentionLine }, k('extended-retention')));
      if (retention > EXTENDED_RETENTION_HOURS)
        out.push(usageLine(r, ctx.usage, { name: 'Long-term retention (beyond 7 days)', unit: 'GB', usageKey: 'monthly_provisioned_long_term_retention_gb', line: retentionLine }, k('long-term-retention')));
      out.push(
        ...optional(r, ctx, mode, [
          ['Long-term retention retrieval', 'GB', 'monthly_provisioned_long_term_retrieval_gb', 'long-term-retrieval'],
          ['Enhanced fan-out consumers', 'consumer-shard-hours', 'monthly_provisioned_efo_consumer_hours', 'efo-consumer-hour'],
          ['Enhanced fan-out data retrieved', 'GB', 'monthly_provisioned_efo_data_out_gb', 'efo-data-out'],
        ]),
      );
      return out;
    }
    out.push(
      regionalLine(r, { name: 'Stream hours (on-demand)', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line: r.line('stream_mode_details') }, k('stream-hour')),
      usageLine(r, ctx.usage, { name: 'Data ingested', unit: 'GB', usageKey: 'monthly_on_demand_data_in_gb' }, k('data-in')),
      usageLine(r, ctx.usage, { name: 'Data retrieved', unit: 'GB', usageKey: 'monthly_on_demand_data_out_gb' }, k('data-out')),
    );
    if (retention > DEFAULT_RETENTION_HOURS)
      out.push(usageLine(r, ctx.usage, { name: 'Extended retention (up to 7 days)', unit: 'GB', usageKey: 'monthly_on_demand_extended_retention_gb', line: retentionLine }, k('extended-retention')));
    if (retention > EXTENDED_RETENTION_HOURS)
      out.push(usageLine(r, ctx.usage, { name: 'Long-term retention (beyond 7 days)', unit: 'GB', usageKey: 'monthly_on_demand_long_term_retention_gb', line: retentionLine }, k('long-term-retention')));
    out.push(...optional(r, ctx, mode, [['Enhanced fan-out data retrieved', 'GB', 'monthly_on_demand_efo_data_out_gb', 'efo-data-out']]));
    return out;
  },
  details(r) {
    const mode = modeOf(r);
    return {
      streamMode: mode === 'on-demand' ? 'ON_DEMAND' : 'PROVISIONED',
      ...(mode === 'provisioned' && r.num('shard_count') !== undefined ? { shards: r.num('shard_count') } : {}),
      retentionHours: r.num('retention_period', DEFAULT_RETENTION_HOURS),
    };
  },
} satisfies Pricer;
