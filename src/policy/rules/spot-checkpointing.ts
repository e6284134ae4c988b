/**
 * Checkpointing where spot is used: SageMaker training jobs with managed spot and no
 * `checkpoint_config`, Kubernetes training workloads on spot nodes whose spec names no checkpoint
 * (no volume, mount path, env var or argument mentioning `checkpoint`/`ckpt`), and Batch job
 * definitions without retries in a project with a spot compute environment (an interrupted job
 * fails instead of starting again).
 */
import { z } from 'zod';
import { componentQuery } from '../../pricing/cost.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../rule.js';
import { componentsOf, KUBERNETES_TRAINING_TYPES, labelsOf, matchLabels, view } from '../facts.js';

const label = z.string().regex(/^[^=\s]+(=[^=\s]*)?$/, { error: 'expected `key=value`, `key` or `*=value`' });
const CHECKPOINT = /checkpoint|ckpt/i;

export const spotCheckpointing = defineRule({
  id: 'spot-checkpointing',
  summary: 'Training on spot capacity without a checkpoint location (or, for Batch, without retries).',
  defaults: { enabled: true, severity: 'warning' },
  options: {
    trainingLabels: z.array(label).optional().describe('Labels that mark Kubernetes training workloads (default `*=training`, `*=train`).'),
  },
  optionDefaults: { trainingLabels: ['*=training', '*=train'] },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      const spotBatch = p.resources.find((r) => r.type === 'aws_batch_compute_environment' && view(r).str('compute_resources.0.type') === 'SPOT');
      for (const r of p.resources) {
        const s = ctx.settings(r, p);
        if (!s) continue;
        const v = view(r);
        if (r.type === 'aws_sagemaker_training_job') {
          if (v.bool('enable_managed_spot_training') !== true || v.str('checkpoint_config.0.s3_uri')) continue;
          out.push({
            project: p,
            resource: r,
            line: v.line('enable_managed_spot_training'),
            message: `\`${r.address}\` uses managed spot training without checkpoint_config: an interruption restarts training from the start; set checkpoint_config.s3_uri and save checkpoints there`,
          });
        } else if (r.type === 'aws_batch_job_definition' && spotBatch) {
          const attempts = v.num('retry_strategy.0.attempts');
          if (attempts !== undefined && attempts >= 2) continue;
          if (v.get('retry_strategy.0.attempts') !== undefined && attempts === undefined) continue; // unknown value
          out.push({
            project: p,
            resource: r,
            line: v.line('retry_strategy'),
            message:
              `\`${r.address}\` has ${attempts === undefined ? 'no retry_strategy' : `retry_strategy attempts = ${attempts}`} while \`${spotBatch.address}\` runs on spot: ` +
              'a spot interruption fails the job instead of starting it again; set retry_strategy { attempts = 2 or more } and checkpoint long jobs',
          });
        } else if (r.type.startsWith('kubernetes_')) {
          const training = KUBERNETES_TRAINING_TYPES.has(r.type) || matchLabels(s.trainingLabels, labelsOf(r)) !== undefined;
          if (!training) continue;
          const priced = p.priced(r.address);
          const onSpot = priced ? componentsOf(priced).some((c) => componentQuery(c)?.key.startsWith('spot:')) : false;
          if (!onSpot) continue;
          const refs = v.get('text_refs');
          if (Array.isArray(refs) && refs.some((x) => typeof x === 'string' && CHECKPOINT.test(x))) continue;
          out.push({
            project: p,
            resource: r,
            message:
              `\`${r.address}\` trains on spot nodes but its spec names no checkpoint (no volume, mount path, env var or argument mentioning "checkpoint" or "ckpt"): ` +
              'an interruption loses the work since the last checkpoint; write checkpoints to a volume or S3 and resume from them',
          });
        }
      }
    }
    return out;
  },
});
