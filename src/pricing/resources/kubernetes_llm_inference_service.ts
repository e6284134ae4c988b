/**
 * KServe LLMInferenceService (v1alpha2): replicas x the node share of its pod template. Worker and
 * prefill pods (multi-node, disaggregated serving) are listed as not priced yet.
 */
import { podGroupLines, workloadDetails } from '../kubernetes.js';
import type { Pricer } from '../types.js';

export const kubernetesLlmInferenceService = {
  type: 'kubernetes_llm_inference_service',
  components: (r, ctx) => podGroupLines(r, ctx),
  details: (r, ctx) => workloadDetails(r, ctx),
} satisfies Pricer;
