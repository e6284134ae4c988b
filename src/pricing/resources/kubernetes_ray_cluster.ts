/**
 * KubeRay RayCluster: the head pod plus each worker group's replicas (x numOfHosts) at their node
 * share, all month; with in-tree autoscaling, maxReplicas is the ceiling.
 */
import { podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesRayCluster = {
  type: 'kubernetes_ray_cluster',
  components: (r, ctx) => podGroupLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx),
} satisfies Pricer;
