/**
 * Kubernetes CronJob: runs per month counted from spec.schedule (a 730-hour month) x pods per run x
 * minutes per run (usage `minutes_per_run`, 60 assumed) at the pods' node share. `suspend: true`
 * runs nothing; usage `runs_per_month` overrides the schedule.
 */
import { jobHours, podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesCronJob = {
  type: 'kubernetes_cron_job',
  components: (r, ctx) => podGroupLines(r, ctx, jobHours(r, ctx, { schedule: true })),
  details(r, ctx) {
    const h = jobHours(r, ctx, { schedule: true });
    return workloadDetails(r, ctx, { schedule: r.str('schedule') ?? null, runsPerMonth: h.runs, minutesPerRun: h.minutes, ...(r.bool('suspend') ? { suspended: true } : {}) });
  },
} satisfies Pricer;
