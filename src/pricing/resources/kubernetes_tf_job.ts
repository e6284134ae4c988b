/**
 * Kubeflow TFJob: each replica type (Chief, PS, Worker, Evaluator) x replicas at its node share, for
 * the job's runs (usage `runs_per_month`, 1 assumed) x `minutes_per_run` (60 assumed).
 */
import { jobHours, podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesTfJob = {
  type: 'kubernetes_tf_job',
  components: (r, ctx) => podGroupLines(r, ctx, jobHours(r, ctx, { runsLabel: 'a training job runs once when applied' })),
  details(r, ctx) {
    const h = jobHours(r, ctx, { runsLabel: 'a training job runs once when applied' });
    return workloadDetails(r, ctx, { runsPerMonth: h.runs, minutesPerRun: h.minutes });
  },
} satisfies Pricer;
