/**
 * KubeRay RayJob: the cluster it creates (head + worker groups). With shutdownAfterJobFinishes the
 * cluster lives for the job's runs (usage `runs_per_month`, `minutes_per_run`; assumed and said when
 * not given); without it the cluster stays up after the job and is billed all month. A RayJob that
 * runs on an existing cluster (clusterSelector) adds nothing: that cluster is billed where it is defined.
 */
import { ALWAYS_ON, jobHours, podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer, PricerContext, ResourceView } from '../types.js';

function hours(r: ResourceView, ctx: PricerContext) {
  return r.str('mode') === 'job' ? jobHours(r, ctx, { runsLabel: 'a RayJob runs once when applied' }) : undefined;
}

export const kubernetesRayJob = {
  type: 'kubernetes_ray_job',
  components(r, ctx) {
    if (r.bool('existing_cluster')) return [];
    const h = hours(r, ctx);
    if (h) return podGroupLines(r, ctx, h);
    return podGroupLines(r, ctx, ALWAYS_ON, ['the Ray cluster stays up after the job (shutdownAfterJobFinishes is not true), so it is billed all month']);
  },
  details(r, ctx) {
    if (r.bool('existing_cluster')) return { cluster: 'existing (clusterSelector): billed where that RayCluster is defined' };
    const h = hours(r, ctx);
    return workloadDetails(r, ctx, h ? { runsPerMonth: h.runs, minutesPerRun: h.minutes } : { keptAfterJob: true });
  },
} satisfies Pricer;
