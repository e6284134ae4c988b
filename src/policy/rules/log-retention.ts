/**
 * CloudWatch log groups that keep logs forever (no `retention_in_days`, or 0), or longer than
 * `maxDays`: stored logs grow every month. The figure is the book's storage price and, when usage
 * gives the GB ingested per month, how much the store grows.
 */
import { z } from 'zod';
import { keys } from '../../pricing/keys.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../rule.js';
import { unitPrice, view } from '../facts.js';

export const logRetention = defineRule({
  id: 'log-retention',
  summary: 'CloudWatch log groups without a retention period (or with one longer than maxDays).',
  defaults: { enabled: true, severity: 'info' },
  options: {
    maxDays: z.number().int().positive().optional().describe('Also flag retention longer than this many days.'),
  },
  optionDefaults: {},
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (r.type !== 'aws_cloudwatch_log_group') continue;
        const s = ctx.settings(r, p);
        if (!s) continue;
        const v = view(r);
        const raw = v.get('retention_in_days');
        const days = v.num('retention_in_days');
        if (raw !== undefined && raw !== null && days === undefined) continue; // unknown value
        const forever = days === undefined || days === 0;
        if (!forever && (s.maxDays === undefined || (days as number) <= s.maxDays)) continue;
        let price = '';
        if (p.book && r.region) {
          const found = p.book.lookup(keys.cloudwatchLogsStorage(r.region));
          if (found.ok) price = `stored logs cost ${unitPrice(found.price.usd, 'GB-month')}`;
        }
        const ingested = ctx.usage(r)['monthly_data_ingested_gb'];
        const growth = typeof ingested === 'number' && ingested > 0 ? `; at ${ingested.toLocaleString('en-US')} GB ingested a month (usage) the store grows by about that much every month (CloudWatch compresses it)` : '';
        out.push({
          project: p,
          resource: r,
          line: v.line('retention_in_days'),
          message: forever
            ? `\`${r.address}\` keeps its logs forever (retention_in_days ${raw === undefined ? 'not set' : 'is 0'})${price ? `: ${price}` : ''}${growth}; set retention_in_days (e.g. 30 or 90)`
            : `\`${r.address}\` keeps its logs ${days} days, more than the ${s.maxDays} days of rules.log-retention.maxDays${price ? ` (${price})` : ''}`,
        });
      }
    }
    return out;
  },
});
