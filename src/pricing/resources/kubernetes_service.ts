/**
 * Kubernetes Service of type LoadBalancer on AWS: a Network Load Balancer when annotated
 * `service.beta.kubernetes.io/aws-load-balancer-type: nlb | nlb-ip | external` (or with
 * loadBalancerClass service.k8s.aws/nlb), else a Classic Load Balancer (the in-tree controller).
 * Hours, plus NLCU-hours (`monthly_lcu_hours`) or data processed (`monthly_data_processed_gb`) from usage.
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, unpricedLine, usageLine } from '../lines.js';
import type { Pricer } from '../types.js';

export const kubernetesService = {
  type: 'kubernetes_service',
  components(r, ctx) {
    const kind = r.str('load_balancer');
    const line = r.line('load_balancer');
    if (kind === 'nlb')
      return [
        regionalLine(r, { name: 'Network load balancer', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, (g) => keys.loadBalancer(g, 'nlb', 'hour')),
        usageLine(r, ctx.usage, { name: 'Capacity units (NLCU)', unit: 'NLCU-hours', usageKey: 'monthly_lcu_hours' }, (g) => keys.loadBalancer(g, 'nlb', 'lcu')),
      ];
    if (kind === 'classic')
      return [
        regionalLine(r, { name: 'Classic load balancer', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, (g) => keys.loadBalancer(g, 'classic', 'hour')),
        usageLine(r, ctx.usage, { name: 'Data processed', unit: 'GB', usageKey: 'monthly_data_processed_gb' }, (g) => keys.loadBalancer(g, 'classic', 'gb')),
      ];
    return [unpricedLine({ name: 'Load balancer', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, `loadBalancerClass ${String(kind).replace(/^class:/, '')} is not an AWS load balancer mlcost knows`)];
  },
  details(r) {
    return { loadBalancer: r.str('load_balancer') ?? null, ...(r.str('scheme') ? { scheme: r.str('scheme') } : {}) };
  },
} satisfies Pricer;
