/**
 * Kubernetes DaemonSet: one pod on every node of each pool it can run on, so its node share x the
 * pool's nodes (`nodes` of the pool in kubernetes.nodePools; assumed, and said, when not given).
 */
import { daemonLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesDaemonSet = {
  type: 'kubernetes_daemon_set',
  components: (r, ctx) => daemonLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx),
} satisfies Pricer;
