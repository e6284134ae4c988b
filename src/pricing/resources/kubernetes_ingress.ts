/**
 * Kubernetes Ingress served by the AWS Load Balancer Controller (ingressClassName alb, the
 * `kubernetes.io/ingress.class: alb` annotation, or an IngressClass of controller
 * ingress.k8s.aws/alb): an Application Load Balancer's hours plus LCU-hours from usage
 * (`monthly_lcu_hours`). Ingresses of one `alb.ingress.kubernetes.io/group.name` share one ALB,
 * billed on the first of them.
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine, usageLine } from '../lines.js';
import type { Pricer } from '../types.js';

export const kubernetesIngress = {
  type: 'kubernetes_ingress',
  components(r, ctx) {
    if (r.str('shares_alb_with')) return [];
    return [
      regionalLine(r, { name: 'Application load balancer', unit: 'hours', monthlyQuantity: HOURS_PER_MONTH }, (g) => keys.loadBalancer(g, 'alb', 'hour')),
      usageLine(r, ctx.usage, { name: 'Capacity units (LCU)', unit: 'LCU-hours', usageKey: 'monthly_lcu_hours' }, (g) => keys.loadBalancer(g, 'alb', 'lcu')),
    ];
  },
  details(r) {
    return {
      loadBalancer: 'alb',
      ...(r.str('group') ? { albGroup: r.str('group') } : {}),
      ...(r.str('shares_alb_with') ? { sharesLoadBalancerWith: r.str('shares_alb_with') } : {}),
      ...(r.str('scheme') ? { scheme: r.str('scheme') } : {}),
    };
  },
} satisfies Pricer;
