/**
 * LeaderWorkerSet (multi-node inference): replicas groups of `size` pods, one leader and size - 1
 * workers each, at their node shares, all month.
 */
import { podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesLeaderWorkerSet = {
  type: 'kubernetes_leader_worker_set',
  components: (r, ctx) => podGroupLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx, { groupSize: r.num('group_size') ?? null }),
} satisfies Pricer;
