/** A bare Kubernetes Pod: one pod's node share all month (src/pricing/kubernetes.ts). */
import { podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesPod = {
  type: 'kubernetes_pod',
  components: (r, ctx) => podGroupLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx),
} satisfies Pricer;
