/**
 * CloudWatch log group: GB ingested (Standard or Infrequent Access log class) and GB-months
 * archived, from usage; Logs Insights scans when usage gives them. https://aws.amazon.com/cloudwatch/pricing/
 */
import { keys } from '../keys.js';
import { unpricedLine, usageLine } from '../lines.js';
import type { ComponentSpec, Pricer } from '../types.js';

export const awsCloudwatchLogGroup = {
  type: 'aws_cloudwatch_log_group',
  components(r, ctx) {
    const u = ctx.usage;
    const cls = r.str('log_group_class') ?? 'STANDARD';
    const line = r.line('log_group_class');
    const ingest = { name: `Data ingested (${cls === 'INFREQUENT_ACCESS' ? 'Infrequent Access' : cls === 'STANDARD' ? 'Standard' : cls})`, unit: 'GB', usageKey: 'monthly_data_ingested_gb', line };
    const out: ComponentSpec[] = [];
    if (r.get('log_group_class') !== undefined && !r.str('log_group_class'))
      out.push(unpricedLine({ ...ingest, name: 'Data ingested', monthlyQuantity: u.num('monthly_data_ingested_gb') ?? null, usageBased: true }, r.why('log_group_class')));
    else if (cls === 'STANDARD') out.push(usageLine(r, u, ingest, (g) => keys.cloudwatchLogsIngest(g)));
    else if (cls === 'INFREQUENT_ACCESS') out.push(usageLine(r, u, ingest, (g) => keys.cloudwatchLogsIngestInfrequentAccess(g)));
    else out.push(unpricedLine({ ...ingest, monthlyQuantity: u.num('monthly_data_ingested_gb') ?? null, usageBased: true }, `log class ${cls} is not priced by mlcost yet`));
    out.push(usageLine(r, u, { name: 'Archival storage', unit: 'GB', usageKey: 'storage_gb', line: r.line('retention_in_days') }, (g) => keys.cloudwatchLogsStorage(g)));
    // Insights queries are billed per GB scanned by the account's queries; shown when usage gives them.
    if (u.num('monthly_data_scanned_gb') !== undefined)
      out.push(usageLine(r, u, { name: 'Logs Insights data scanned', unit: 'GB', usageKey: 'monthly_data_scanned_gb' }, (g) => keys.cloudwatchLogsInsights(g)));
    return out;
  },
  details(r) {
    const days = r.num('retention_in_days');
    const retention = r.get('retention_in_days') === undefined || days === 0 ? 'never expire' : (days ?? 'unknown');
    return { logGroupClass: r.str('log_group_class') ?? 'STANDARD', retentionInDays: retention };
  },
} satisfies Pricer;
