/**
 * Kubernetes Deployment: replicas x its pods' share of the nodes they are placed on (or Fargate);
 * a HorizontalPodAutoscaler or KEDA ScaledObject sets the baseline (min) and the ceiling (max).
 * Placement and shares: src/pricing/kubernetes.ts.
 */
import { podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesDeployment = {
  type: 'kubernetes_deployment',
  components: (r, ctx) => podGroupLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx),
} satisfies Pricer;
