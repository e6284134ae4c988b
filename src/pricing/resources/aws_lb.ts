/**
 * Elastic Load Balancing v2 (application, network or gateway): load balancer hours plus capacity
 * units from usage `monthly_lcu_hours` (LCU/NLCU/GLCU-hours: average units x 730).
 * https://aws.amazon.com/elasticloadbalancing/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, setting, unpricedLine, usageLine } from '../lines.js';
import type { Pricer, ResourceView } from '../types.js';

const KINDS = {
  application: { kind: 'alb', label: 'Application', unit: 'LCU-hours', lcu: 'LCU' },
  network: { kind: 'nlb', label: 'Network', unit: 'NLCU-hours', lcu: 'NLCU' },
  gateway: { kind: 'gwlb', label: 'Gateway', unit: 'GLCU-hours', lcu: 'GLCU' },
} as const;

function kindOf(r: ResourceView) {
  const t = setting(r, 'load_balancer_type', 'application').value;
  return t !== undefined && Object.hasOwn(KINDS, t) ? KINDS[t as keyof typeof KINDS] : undefined;
}

export const awsLb = {
  type: 'aws_lb',
  components(r, ctx) {
    const k = kindOf(r);
    const line = r.line('load_balancer_type');
    if (!k) {
      const why = r.str('load_balancer_type') ? `unknown load_balancer_type "${r.str('load_balancer_type')}"` : r.why('load_balancer_type');
      return [unpricedLine({ name: 'Load balancer', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, why)];
    }
    return [
      regionalLine(r, { name: `${k.label} load balancer`, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, line }, (g) => keys.loadBalancer(g, k.kind, 'hour')),
      usageLine(r, ctx.usage, { name: `Capacity units (${k.lcu})`, unit: k.unit, usageKey: 'monthly_lcu_hours' }, (g) => keys.loadBalancer(g, k.kind, 'lcu')),
    ];
  },
  details(r) {
    return { loadBalancerType: r.str('load_balancer_type') ?? 'application', ...(r.bool('internal') !== undefined ? { internal: r.bool('internal') } : {}) };
  },
} satisfies Pricer;
