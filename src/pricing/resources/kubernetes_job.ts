/**
 * Kubernetes Job: pods per run (completions, else parallelism, else 1) x runs per month x minutes
 * per run, at the pods' node share. Usage `runs_per_month` (1 assumed: a Job runs once when applied)
 * and `minutes_per_run` (60 assumed) set them; `suspend: true` runs nothing.
 */
import { jobHours, podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesJob = {
  type: 'kubernetes_job',
  components: (r, ctx) => podGroupLines(r, ctx, jobHours(r, ctx)),
  details(r, ctx) {
    const h = jobHours(r, ctx);
    return workloadDetails(r, ctx, { runsPerMonth: h.runs, minutesPerRun: h.minutes });
  },
} satisfies Pricer;
