/**
 * Training capacity on on-demand instances: EKS node groups, Auto Scaling groups and instances
 * labelled or tagged for training, Batch compute environments on EC2, Kubernetes training workloads
 * placed on on-demand nodes, and SageMaker training jobs and pipeline training steps without managed
 * spot. The saving is the
 * priced on-demand instance-hours at the book's spot price (an estimate from the AWS Spot Instance
 * Advisor: said so in the message).
 */
import { z } from 'zod';
import type { PriceBook } from '../../core/ports.js';
import type { Resource } from '../../core/types.js';
import { keys } from '../../pricing/keys.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { asgTags, KUBERNETES_TRAINING_TYPES, labelsOf, matchLabels, money, spotAlternative, spotBasis, stringMapAt, view } from '../facts.js';

const label = z.string().regex(/^[^=\s]+(=[^=\s]*)?$/, { error: 'expected `key=value`, `key` or `*=value`' });

/** What marks capacity as training capacity: the first matching label or tag, or the reason it is one. */
function trainingMark(r: Resource, patterns: readonly string[], batchIsTraining: boolean): string | undefined {
  const v = view(r);
  switch (r.type) {
    case 'aws_eks_node_group': {
      const m = matchLabels(patterns, stringMapAt(r, 'labels')) ?? matchLabels(patterns, r.tags ?? {});
      return m ? `labelled \`${m}\`` : undefined;
    }
    case 'aws_autoscaling_group': {
      const m = matchLabels(patterns, asgTags(r));
      return m ? `tagged \`${m}\`` : undefined;
    }
    case 'aws_instance': {
      const m = matchLabels(patterns, r.tags ?? {});
      return m ? `tagged \`${m}\`` : undefined;
    }
    case 'aws_batch_compute_environment': {
      const m = matchLabels(patterns, r.tags ?? {});
      if (m) return `tagged \`${m}\``;
      return batchIsTraining ? 'a Batch compute environment (Batch retries jobs an interruption stops)' : undefined;
    }
    default: {
      if (!r.type.startsWith('kubernetes_')) return undefined;
      const m = matchLabels(patterns, labelsOf(r));
      if (m) return `labelled \`${m}\``;
      return KUBERNETES_TRAINING_TYPES.has(r.type) ? `a ${String(v.str('kind'))}` : undefined;
    }
  }
}

/** Why the resource already uses spot (or reserved ML capacity), or undefined when it runs on-demand. */
function notOnDemand(r: Resource): boolean {
  const v = view(r);
  if (r.type === 'aws_eks_node_group') return ['SPOT', 'CAPACITY_BLOCK'].includes(v.str('capacity_type') ?? 'ON_DEMAND');
  if (r.type === 'aws_instance') return v.list('instance_market_options').some((m) => m.str('market_type') === 'spot' || m.str('market_type') === 'capacity-block');
  if (r.type === 'aws_batch_compute_environment') return v.str('compute_resources.0.type') !== 'EC2';
  return false;
}

function interruption(book: PriceBook | undefined, region: string | null, types: string[]): string {
  if (!book || !region) return '';
  const advice = types.map((t) => book.spotAdvice(region, t)).find((a) => a !== undefined);
  return advice ? `; the Spot Instance Advisor rates interruptions of ${types[0]} at ${advice.interruption} a month, so checkpoint the training` : '';
}

function lineOf(r: Resource): number {
  const v = view(r);
  if (r.type === 'aws_eks_node_group') return v.line('capacity_type');
  if (r.type === 'aws_batch_compute_environment') return v.line('compute_resources.0.type');
  return r.line;
}

/**
 * SageMaker training without managed spot: a training job (`enable_managed_spot_training`), or a
 * training step of a SageMaker pipeline as the pipeline analyzer reads it (`usage: training`, `spot`).
 */
function sagemakerTraining(p: ProjectView, r: Resource): RuleFinding | undefined {
  const v = view(r);
  if (r.type === 'sagemaker_pipeline_step') {
    if (v.str('usage') !== 'training' || v.bool('spot') !== false) return undefined;
    const type = v.str('instance_type');
    return {
      project: p,
      resource: r,
      line: v.line('instance_type'),
      message:
        `\`${r.address}\` trains on on-demand ${type ?? 'instances'}: EnableManagedSpotTraining (with a CheckpointConfig and MaxWaitTimeInSeconds) ` +
        'bills the spot price; mlcost has no SageMaker spot price to put a figure on the saving',
    };
  }
  if (v.bool('enable_managed_spot_training') === true) return undefined;
  const type = v.str('resource_config.0.instance_type');
  return {
    project: p,
    resource: r,
    line: v.line('enable_managed_spot_training'),
    message:
      `\`${r.address}\` trains on on-demand ${type ?? 'instances'}: managed spot training (enable_managed_spot_training, with checkpoint_config) ` +
      'bills the spot price; mlcost has no SageMaker spot price to put a figure on the saving',
  };
}

export const spotForTraining = defineRule({
  id: 'spot-for-training',
  summary: 'Training capacity (labelled node groups and pools, Batch, training jobs) on on-demand instances, with the saving of spot.',
  defaults: { enabled: true, severity: 'warning' },
  options: {
    trainingLabels: z
      .array(label)
      .optional()
      .describe('Labels or tags that mark training capacity: `key=value`, `key` (any value) or `*=value` (any key). Default `*=training`, `*=train`.'),
    batch: z.boolean().optional().describe('Treat every on-demand Batch EC2 compute environment as training capacity (default true).'),
  },
  optionDefaults: { trainingLabels: ['*=training', '*=train'], batch: true },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        const s = ctx.settings(r, p);
        if (!s) continue;
        if (r.type === 'aws_sagemaker_training_job' || r.type === 'sagemaker_pipeline_step') {
          const f = sagemakerTraining(p, r);
          if (f) out.push(f);
          continue;
        }
        const mark = trainingMark(r, s.trainingLabels, s.batch);
        if (!mark || notOnDemand(r)) continue;
        const priced = p.priced(r.address);
        const alt = priced ? spotAlternative(p.book, priced) : undefined;
        if (!alt) continue;
        const types = alt.types.join(', ');
        let advice: string;
        let saving: number | null = null;
        if (alt.saving === null) advice = `no spot price to compare (${alt.missing.join('; ')})`;
        else if (alt.onDemand <= 0) advice = `spot would cut the instance-hour price ${spotBasis(alt)}; the hours depend on usage`;
        else {
          saving = alt.saving;
          advice = `spot would save ~${money(alt.saving)} / month at the priced size, ${money(alt.onDemand)} → ${money(alt.spot ?? 0)} ${spotBasis(alt)}`;
        }
        if (alt.onDemand <= 0 && alt.saving !== null) {
          const book = p.book;
          const region = r.region;
          const first = alt.types[0];
          if (book && region && first) {
            const od = book.lookup(keys.ec2Instance(region, first));
            const sp = book.lookup(keys.ec2Spot(region, first));
            if (od.ok && sp.ok && od.price.usd > 0)
              advice = `spot would cut the ${first} instance-hour price by ${Math.round((1 - sp.price.usd / od.price.usd) * 100)}% (spot estimate from the AWS Spot Instance Advisor, not a market price); the hours depend on usage`;
          }
        }
        const kube = r.type.startsWith('kubernetes_');
        const what = kube ? `runs on on-demand nodes (${types})` : `runs on-demand (${types})`;
        out.push({
          project: p,
          resource: r,
          line: lineOf(r),
          monthlySavings: saving,
          message: `\`${r.address}\` is ${mark} but ${what}: ${advice}${interruption(p.book, r.region, alt.types)}`,
        });
      }
    }
    return out;
  },
});
