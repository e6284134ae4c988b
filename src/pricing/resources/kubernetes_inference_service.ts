/**
 * KServe InferenceService: predictor, transformer and explainer pods, each minReplicas (KServe's
 * default 1; 0 scales to zero) x node share, with maxReplicas as the ceiling. Containers without
 * resources get KServe's default 1 CPU / 2Gi, said as assumed.
 */
import { podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesInferenceService = {
  type: 'kubernetes_inference_service',
  components: (r, ctx) => podGroupLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx),
} satisfies Pricer;
