/**
 * SageMaker real-time endpoints that keep instances running 24/7 with no autoscaling: no
 * aws_appautoscaling_target on a variant, or a target no aws_appautoscaling_policy uses (it never
 * scales). Their cost is the same whatever the traffic.
 */
import type { Resource } from '../../core/types.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { money, view } from '../facts.js';

function policiesOf(p: ProjectView, target: string): Resource[] {
  const id = target.replace(/\[[^\]]*\]$/, '');
  return p.resources.filter((r) => r.type === 'aws_appautoscaling_policy' && Object.values(r.references ?? {}).some((ids) => ids.some((x) => id.endsWith(x))));
}

export const endpointIdleRisk = defineRule({
  id: 'endpoint-idle-risk',
  summary: 'SageMaker endpoints whose instances run 24/7 with no autoscaling policy.',
  defaults: { enabled: true, severity: 'warning' },
  options: {},
  optionDefaults: {},
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (r.type !== 'aws_sagemaker_endpoint' || !ctx.settings(r, p)) continue;
        const priced = p.priced(r.address);
        const d = priced?.details ?? {};
        const instances = d['instances'];
        if (typeof instances !== 'number' || instances < 1) continue;
        const cost = priced?.monthlyCost;
        const costText = typeof cost === 'number' && cost > 0 ? ` (${money(cost)} / month whatever the traffic)` : '';
        const targets = Array.isArray(d['autoscalingTargets']) ? (d['autoscalingTargets'] as string[]) : [];
        if (targets.length === 0) {
          out.push({
            project: p,
            resource: r,
            line: view(r).line('endpoint_config_name'),
            message:
              `\`${r.address}\` keeps ${instances} instance${instances === 1 ? '' : 's'} running 24/7 with no autoscaling${costText}: ` +
              'add an aws_appautoscaling_target (scalable_dimension sagemaker:variant:DesiredInstanceCount) and a target-tracking aws_appautoscaling_policy so quiet hours cost less',
          });
          continue;
        }
        const idle = targets.filter((t) => policiesOf(p, t).length === 0);
        if (idle.length === targets.length) {
          out.push({
            project: p,
            resource: r,
            message: `\`${r.address}\` has an autoscaling target (${idle.join(', ')}) but no aws_appautoscaling_policy uses it, so it never scales${costText}`,
          });
        }
      }
    }
    return out;
  },
});
