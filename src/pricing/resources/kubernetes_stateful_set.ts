/**
 * Kubernetes StatefulSet: replicas x node share, plus one EBS volume per replica for each
 * volumeClaimTemplate (storage class -> EBS type; ceiling at the autoscaler's max, since claims
 * stay when it scales back down).
 */
import { groupsOf, podGroupLines, volumeSubresources, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesStatefulSet = {
  type: 'kubernetes_stateful_set',
  components: (r, ctx) => podGroupLines(r, ctx),
  subresources(r) {
    const g = groupsOf(r)[0];
    return volumeSubresources(r, { perReplica: { replicas: g?.replicas ?? 0, max: g?.maxReplicas ?? null } });
  },
  details: (r, ctx) => workloadDetails(r, ctx, { volumes: r.list('volumes').map((v) => ({ name: v.str('name'), storageGiB: v.num('storage_gib') ?? null, storageClass: v.str('storage_class') ?? null })) }),
} satisfies Pricer;
