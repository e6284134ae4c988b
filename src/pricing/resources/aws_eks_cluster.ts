/** EKS control plane: billed per cluster-hour (extended support costs more). https://aws.amazon.com/eks/pricing/ */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import type { Pricer } from '../types.js';

export const awsEksCluster = {
  type: 'aws_eks_cluster',
  components(r) {
    const support = r.str('upgrade_policy.0.support_type') === 'EXTENDED' ? 'extended' : 'standard';
    const name = `EKS cluster (${support} support)`;
    if (!r.region) return [{ name, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, price: null, unpricedReason: 'region is unknown' }];
    return [
      {
        name,
        unit: 'hours',
        monthlyQuantity: HOURS_PER_MONTH,
        price: keys.eksCluster(r.region, 'standard'),
        ...(support === 'extended'
          ? { assumption: 'priced at the standard-support rate: extended-support billing starts only when the version leaves standard support' }
          : {}),
      },
    ];
  },
} satisfies Pricer;
