/** Classic Load Balancer: per hour, plus per GB processed (usage). https://aws.amazon.com/elasticloadbalancing/pricing/ */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, usageLine } from '../lines.js';
import type { Pricer } from '../types.js';

export const awsElb = {
  type: 'aws_elb',
  components(r, ctx) {
    return [
      regionalLine(r, { name: 'Classic load balancer', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH }, (g) => keys.loadBalancer(g, 'classic', 'hour')),
      usageLine(r, ctx.usage, { name: 'Data processed', unit: 'GB', usageKey: 'monthly_data_processed_gb' }, (g) => keys.loadBalancer(g, 'classic', 'gb')),
    ];
  },
} satisfies Pricer;
