/**
 * GPU node groups that keep nodes running with no work outside production: an EKS node group or
 * Auto Scaling group of GPU/accelerator instances with a minimum size above 0, in an environment
 * that is known and not a production one. The saving is what the minimum nodes cost per month
 * (they run whether or not a job needs them). Resources whose environment is unknown are not judged.
 */
import { z } from 'zod';
import { HOURS_PER_MONTH, monthlyPrice } from '../../pricing/cost.js';
import { keys } from '../../pricing/keys.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../rule.js';
import { instanceTypesOf, isAccelerated, money, view } from '../facts.js';

export const gpuIdleNodes = defineRule({
  id: 'gpu-idle-nodes',
  summary: 'GPU node groups with a minimum size above 0 outside production.',
  defaults: { enabled: true, severity: 'warning' },
  options: {
    production: z.array(z.string().min(1)).optional().describe('Environments where always-on GPU nodes are fine (default `prod`, `production`).'),
  },
  optionDefaults: { production: ['prod', 'production'] },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (r.type !== 'aws_eks_node_group' && r.type !== 'aws_autoscaling_group') continue;
        const s = ctx.settings(r, p);
        if (!s) continue;
        const env = ctx.environment(r, p);
        if (env === null || s.production.includes(env)) continue;
        const v = view(r);
        const minPath = r.type === 'aws_eks_node_group' ? 'scaling_config.0.min_size' : 'min_size';
        const min = v.num(minPath);
        if (min === undefined || min <= 0) continue;
        const priced = p.priced(r.address);
        const gpu = instanceTypesOf(r, p.relations, priced).find((u) => isAccelerated(p.book, u.type) === true);
        if (!gpu) continue;
        const spot = r.type === 'aws_eks_node_group' && v.str('capacity_type') === 'SPOT';
        let saving: number | null = null;
        if (p.book && r.region) {
          const q = spot ? keys.ec2Spot(r.region, gpu.type) : keys.ec2Instance(r.region, gpu.type);
          const price = monthlyPrice(p.book, q, min * HOURS_PER_MONTH);
          if (price.ok) saving = price.usd;
        }
        out.push({
          project: p,
          resource: r,
          line: v.line(minPath),
          monthlySavings: saving,
          message:
            `\`${r.address}\` keeps at least ${min} × ${gpu.type} running in environment \`${env}\` (min size ${min})` +
            (saving !== null ? `, ${money(saving)} / month even when no job needs them` : '') +
            ': a minimum of 0 lets the group scale to zero between jobs (the cluster autoscaler or Karpenter adds nodes when pods wait)',
        });
      }
    }
    return out;
  },
});
