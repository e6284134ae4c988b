/**
 * Kubeflow Pipelines task (a container component of a compiled v2 pipeline): runs per month (a
 * recurring-run schedule in `.mlcost.yml` `pipelines.schedules`, usage, or 1 assumed) x pods per run
 * (ParallelFor items) x minutes per run (usage `minutes_per_run`, 60 assumed), each pod paying its
 * share of the node it is placed on (its cpu, memory and accelerator requests), as a Kubernetes
 * Job's pods do.
 */
import { podPipelineDetails, podPipelineLines } from '../pipelines.js';
import type { Pricer } from '../types.js';

export const kubeflowTask = {
  type: 'kubeflow_task',
  components: (r, ctx) => podPipelineLines(r, ctx),
  details: (r, ctx) => podPipelineDetails(r, ctx, { pipeline: r.str('pipeline') ?? null, task: r.str('task') ?? null }),
} satisfies Pricer;
