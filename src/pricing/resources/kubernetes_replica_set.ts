/** Kubernetes ReplicaSet: replicas x node share, like a Deployment (src/pricing/kubernetes.ts). */
import { podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesReplicaSet = {
  type: 'kubernetes_replica_set',
  components: (r, ctx) => podGroupLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx),
} satisfies Pricer;
