/** NAT gateway: per hour, plus per GB processed (usage). https://aws.amazon.com/vpc/pricing/ */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import type { Pricer } from '../types.js';

export const awsNatGateway = {
  type: 'aws_nat_gateway',
  components(r, ctx) {
    const region = r.region;
    if (!region) return [{ name: 'NAT gateway', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, price: null, unpricedReason: 'region is unknown' }];
    return [
      { name: 'NAT gateway', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, price: keys.natGatewayHour(region) },
      {
        name: 'Data processed',
        unit: 'GB',
        monthlyQuantity: ctx.usage.num('monthly_data_processed_gb') ?? null,
        price: keys.natGatewayData(region),
        usageBased: true,
        usageKey: 'monthly_data_processed_gb',
      },
    ];
  },
} satisfies Pricer;
