/**
 * Argo Workflows template (a container, script or containerSet template of a Workflow,
 * CronWorkflow or WorkflowTemplate): runs per month x pods per run (the fan-out of withItems,
 * withParam, withSequence on the way from the entrypoint) x minutes per run (usage
 * `minutes_per_run`, 60 assumed), each pod paying its share of the node it is placed on, as a
 * Kubernetes Job's pods do. The ceiling is `activeDeadlineSeconds`.
 */
import { podPipelineDetails, podPipelineLines } from '../pipelines.js';
import type { Pricer } from '../types.js';

export const argoWorkflowTemplate = {
  type: 'argo_workflow_template',
  components: (r, ctx) => podPipelineLines(r, ctx),
  details: (r, ctx) => podPipelineDetails(r, ctx, { kind: r.str('kind') ?? null, workflow: r.str('workflow') ?? null, template: r.str('template') ?? null }),
} satisfies Pricer;
